"""Spanish sentiment: VADER's rules with a Spanish lexicon, negations, boosters and contrast words.

English VADER over Spanish words scores almost nothing (and the little it scores is false friends), so
a text detected as Spanish is scored here instead, in the same shape as the English path. The rules are
vaderSentiment 3.3.2's, re-stated with the word lists as parameters (its own lists are module globals
that the English path uses, so they are never touched):
- a word's valence comes from `moderation/data/sentiment_es.json` (named word classes), matched
  case- and accent-insensitively; an ALL-CAPS word among others gains C_INCR;
- a booster or dampener among the three words before adds or removes B_INCR (×0.95 / ×0.9 further off);
- a negator among the three words before multiplies by N_SCALAR, once: Spanish negative concord
  ("no tengo ninguna queja") is one negation, not two; "sin duda", "sin embargo", "no obstante" are not
  negations; "poco" before a word is VADER's "least" rule ("poco amable" is unkind), "un poco" a dampener;
- the first contrast word ("pero", "aunque", "sin embargo", "no obstante") halves what comes before it
  and multiplies what follows by 1.5, as VADER does for "but"; "Aunque …, …" at the start of a sentence
  concedes its first clause instead;
- scores, punctuation emphasis and normalisation are VADER's own `score_valence`.
An emoji is scored as VADER scores it: by the English lexicon over its English (Unicode) description.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from vaderSentiment import vaderSentiment as _v

from . import vader
from ._data import load_json
from .results import SentenceScore, Sentiment, sentence_label, text_label
from .text import sentence_spans

# The label is built as on the English path: thresholds on the weighted sentence mean, the closing
# sentence weighing more, an injury-story word counting for little unless the problem goes on.
GRIPE_SHARE = 0.5  # share of a logistics gripe after a contrast word that counts beside praise
STORY_SHARE = 0.2  # share of a pain/injury word's negativity that counts in the label
ROLE_WEIGHT = {"complaint": 1.3, "verdict": 1.0, "other": 0.7, "story": 0.5}
CLOSING_WEIGHT = 1.25
_TOKEN = re.compile(r"\S+")
_STRIP = "".join(sorted(set("¡¿«»" + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")))
_CLAUSE_END = frozenset(",;:.!?")


def fold(word: str) -> str:
    """Lower-cased, without accents or tildes (á → a, ñ → n, ü → u): how patients type on phones."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Rules(NamedTuple):
    """VADER's word lists for one language, folded."""

    lexicon: dict[str, float]
    word_class: dict[str, str]  # word → the named class it belongs to
    negators: frozenset[str]
    not_negations: frozenset[tuple[str, str]]  # "sin duda": the first word negates nothing here
    boosters: dict[tuple[str, ...], float]  # one or two words → B_INCR / B_DECR
    least: frozenset[str]
    contrast: frozenset[tuple[str, ...]]
    ongoing: frozenset[str]
    idioms: dict[tuple[str, ...], float]  # set phrase → the valence of its last word
    logistics: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """sentiment_es.json, folded once."""
    raw = load_json("sentiment_es.json")
    lexicon: dict[str, float] = {}
    word_class: dict[str, str] = {}
    for name, words in raw["lexicon"].items():
        for word, valence in words.items():
            lexicon[fold(word)] = float(valence)
            word_class[fold(word)] = name
    boosters = {tuple(fold(p).split()): _v.B_INCR for p in raw["boosters"]["increase"]}
    boosters.update({tuple(fold(p).split()): _v.B_DECR for p in raw["boosters"]["decrease"]})
    return Rules(
        lexicon=lexicon, word_class=word_class,
        negators=frozenset(fold(w) for w in raw["negators"]),
        not_negations=frozenset(tuple(fold(p).split()) for p in raw["not_negations"]),
        boosters=boosters, least=frozenset(fold(w) for w in raw["least"]),
        contrast=frozenset(tuple(fold(p).split()) for p in raw["contrast"]),
        ongoing=frozenset(fold(w) for w in raw["story"]["ongoing"]),
        idioms={tuple(fold(p).split()): float(v) for p, v in raw["idioms"].items() if not p.startswith("_")},
        logistics=frozenset(fold(w) for w in raw["logistics"]["words"]),
    )


class SpanishPass(NamedTuple):
    """One pass over a text: each token's folded form, span and valence (before the contrast rule)."""

    words: tuple[str, ...]  # as written, punctuation stripped
    folded: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    clause_end: tuple[bool, ...]  # the token ends with , ; : . ! ? (a negation does not reach past it)
    valences: tuple[float, ...]
    scores: dict[str, float]


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]], list[bool], list[float | None]]:
    """Whitespace tokens with punctuation stripped; an emoji becomes a token of its own with VADER's
    valence of its description (None for ordinary words)."""
    emojis = vader.analyzer().emojis
    words, spans, ends, fixed = [], [], [], []
    for m in _TOKEN.finditer(text):
        raw, (s, e) = m.group(), m.span()
        pieces = [(raw, s)]
        if not raw.isascii() and any(ch in emojis for ch in raw):
            pieces, start = [], s
            for k, ch in enumerate(raw):
                if ch in emojis:
                    if s + k > start:
                        pieces.append((text[start:s + k], start))
                    pieces.append((ch, s + k))
                    start = s + k + 1
            if start < e:
                pieces.append((text[start:e], start))
        for piece, at in pieces:
            if piece in emojis:
                lexicon = vader.analyzer().lexicon
                value = sum(lexicon.get(w, 0.0) for w in emojis[piece].lower().split())
                words.append(piece), spans.append((at, at + len(piece))), ends.append(False)
                fixed.append(max(-4.0, min(4.0, value)))
                continue
            stripped = piece.strip(_STRIP)
            if not stripped:
                if ends and piece[-1:] in _CLAUSE_END:
                    ends[-1] = True
                continue
            words.append(stripped), spans.append((at, at + len(piece))), ends.append(piece[-1] in _CLAUSE_END)
            fixed.append(None)
    return words, spans, ends, fixed


def _negates(folded: list[str], j: int, r: Rules) -> bool:
    """The word at j is a negator here (not "sin" of "sin duda", not "no" of "no obstante")."""
    if folded[j] not in r.negators:
        return False
    return j + 1 >= len(folded) or (folded[j], folded[j + 1]) not in r.not_negations


def _booster(folded: list[str], j: int, r: Rules) -> float:
    """B_INCR / B_DECR for the booster ending at j (one word, or two such as "un poco")."""
    if j > 0 and (folded[j - 1], folded[j]) in r.boosters:
        return r.boosters[(folded[j - 1], folded[j])]
    return r.boosters.get((folded[j],), 0.0)


def _idiom(i: int, folded: list[str], r: Rules) -> tuple[float, int] | None:
    """(valence, length) of a set phrase ending at token i, as VADER's special cases replace a valence."""
    for (phrase, value) in r.idioms.items():
        n = len(phrase)
        if i + 1 >= n and tuple(folded[i + 1 - n:i + 1]) == phrase:
            return value, n
    return None


def _valence(i: int, words: list[str], folded: list[str], ends: list[bool], cap_diff: bool, r: Rules) -> float:
    """VADER's sentiment_valence for token i with the Spanish lists."""
    idiom = _idiom(i, folded, r)
    valence, first = (idiom[0], i + 1 - idiom[1]) if idiom else (r.lexicon.get(folded[i], 0.0), i)
    if not valence:
        return 0.0
    if words[i].isupper() and cap_diff:
        valence += _v.C_INCR if valence > 0 else -_v.C_INCR
    negated = False
    for start_i in range(3):
        j = first - (start_i + 1)
        if j < 0 or ends[j]:
            break  # the three words before, within the clause
        if folded[j] in r.lexicon:
            continue
        scalar = _booster(folded, j, r)
        if scalar:
            scalar = -scalar if valence < 0 else scalar
            if words[j].isupper() and cap_diff:
                scalar += _v.C_INCR if valence > 0 else -_v.C_INCR
            valence += scalar * (1.0, 0.95, 0.9)[start_i]
        if not negated and (_negates(folded, j, r) or (start_i == 0 and folded[j] in r.least
                                                      and not (j > 0 and (folded[j - 1], folded[j]) in r.boosters))):
            valence *= _v.N_SCALAR  # Spanish negative concord: one negation however many negators
            negated = True
    return valence


def _contrast_at(folded: list[str], ends: list[bool], r: Rules) -> float | None:
    """Position of the first contrast word (its last word), or between a conceding "Aunque …," clause
    and the rest (x.5); None without one."""
    for k, word in enumerate(folded):
        if (word,) in r.contrast or (k + 1 < len(folded) and (word, folded[k + 1]) in r.contrast):
            at = k if (word,) in r.contrast else k + 1
            if at == 0 and word == "aunque":
                comma = next((n for n, end in enumerate(ends) if end), None)
                return None if comma is None or comma == len(folded) - 1 else comma + 0.5
            return at
    return None


def _contrast(folded: list[str], ends: list[bool], sentiments: list[float], r: Rules) -> list[float]:
    """VADER's "but" rule on the first contrast word: ×0.5 before it, ×1.5 after it. "Aunque" opening
    the text concedes its own clause: ×0.5 up to the first comma, ×1.5 after."""
    at = _contrast_at(folded, ends, r)
    if at is None:
        return sentiments
    return [s * 0.5 if k < at else s * 1.5 if k > at else s for k, s in enumerate(sentiments)]


def _phrase_words(folded: list[str], r: Rules) -> set[int]:
    """Indexes of the words of set phrases other than their last (which carries the phrase's valence)."""
    inside: set[int] = set()
    for i in range(len(folded)):
        idiom = _idiom(i, folded, r)
        if idiom:
            inside.update(range(i + 1 - idiom[1], i))
    return inside


def run(text: str) -> SpanishPass:
    """Score a text once, as VADER's polarity_scores would with the Spanish lists."""
    r = rules()
    words, spans, ends, fixed = _tokens(text)
    folded = [fold(w) for w in words]
    cap_diff = _v.allcap_differential(words)
    valences = []
    inside = _phrase_words(folded, r)
    for i in range(len(words)):
        if i in inside:
            valences.append(0.0)
        elif fixed[i] is not None:
            valences.append(fixed[i])
        elif (folded[i],) in r.boosters or (i + 1 < len(words) and (folded[i], folded[i + 1]) in r.boosters):
            valences.append(0.0)
        else:
            valences.append(_valence(i, words, folded, ends, cap_diff, r))
    scores = vader.analyzer().score_valence(_contrast(folded, ends, list(valences), r), text.strip())
    return SpanishPass(words=tuple(words), folded=tuple(folded), spans=tuple(spans), clause_end=tuple(ends),
                       valences=tuple(valences), scores=scores)


def polarity_scores(text: str) -> dict[str, float]:
    """compound / pos / neu / neg of a Spanish text."""
    return run(text).scores


def _logistics_gripe(folded: list[str], ends: list[bool], values: list[float], text: str, r: Rules,
                     ) -> float | None:
    """"Buenos terapeutas, pero el estacionamiento…": praise, then a contrast word and a gripe about the
    building or the calendar. The care is the point; the gripe counts at GRIPE_SHARE. None otherwise."""
    at = _contrast_at(folded, ends, r)
    if at is None or at != int(at) or at == 0 or r.logistics.isdisjoint(folded[int(at) + 1:]):
        return None
    sia = vader.analyzer()
    praise = sia.score_valence(values[:int(at)], text)["compound"]
    if praise < 0.05:
        return None
    gripe = sia.score_valence(values[int(at) + 1:], "")["compound"]
    return round(max(-1.0, min(1.0, praise + GRIPE_SHARE * min(gripe, 0.0))), 4)


def analyze_spanish(text: str, *, is_spam: bool = False) -> tuple[Sentiment, tuple[SentenceScore, ...]]:
    """The Spanish scores of the whole text and the label built sentence by sentence."""
    r = rules()
    spass = run(text)
    sia = vader.analyzer()
    sentences: list[SentenceScore] = []
    total = weight = 0.0
    spans = sentence_spans(text)
    token = 0
    for n, (start, end) in enumerate(spans):
        while token < len(spass.spans) and spass.spans[token][0] < start:
            token += 1
        first = token
        while token < len(spass.spans) and spass.spans[token][0] < end:
            token += 1
        folded = list(spass.folded[first:token])
        ends = list(spass.clause_end[first:token])
        values = list(spass.valences[first:token])
        compound = sia.score_valence(_contrast(folded, ends, list(values), r), text[start:end])["compound"] \
            if values else 0.0
        # The injury story before the verdict ("tenía mucho dolor") says nothing about the care.
        story = r.ongoing.isdisjoint(folded) and any(
            v < 0 and r.word_class.get(w) == "pain_and_injury" for w, v in zip(folded, values, strict=True))
        if story:
            values = [v * STORY_SHARE if v < 0 and r.word_class.get(w) == "pain_and_injury" else v
                      for w, v in zip(folded, values, strict=True)]
        score = sia.score_valence(_contrast(folded, ends, values, r), text[start:end])["compound"] \
            if values else 0.0
        gripe = _logistics_gripe(folded, ends, values, text[start:end], r)
        if gripe is not None:
            score = gripe
        role = "story" if story and compound < 0 else "verdict" if gripe is not None \
            else "complaint" if score <= -0.05 else "verdict" if score >= 0.05 else "other"
        label = sentence_label(score)
        sentences.append(SentenceScore(start=start, end=end, compound=compound, label=label, role=role,
                                       score=score))
        w = ROLE_WEIGHT[role] * (CLOSING_WEIGHT if n == len(spans) - 1 and n > 0 else 1.0)
        total += w * score
        weight += w
    label = "neutral" if is_spam else text_label(total / weight if weight else 0.0)
    s = spass.scores
    return Sentiment(compound=s["compound"], pos=s["pos"], neu=s["neu"], neg=s["neg"], label=label), \
        tuple(sentences)
