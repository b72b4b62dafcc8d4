"""VADER, once per process, with the token valences kept so sentences can be scored from one pass.

The whole-text scores are exactly vaderSentiment 3.3.2's ``polarity_scores`` (a test and
bench/eval_analysis.py compare them on the paper's corpora). Two of its helpers lower-case the
whole word list for every lexicon word, which makes long texts quadratic; the overrides below do
the same look-ups on a list lower-cased once, with the same results.
"""
from __future__ import annotations

import re
import string
import threading
from itertools import compress, count
from types import SimpleNamespace
from typing import NamedTuple

from vaderSentiment import vaderSentiment as _v

_TOKEN = re.compile(r"\S+")  # str.split() semantics: \s is str.isspace() for str patterns
_NEGATE = frozenset(_v.NEGATE)


class _Words(list):
    """VADER's word list carrying its lower-cased twin."""

    lower: list[str]


def _lowered(words: list[str]) -> list[str]:
    """The lower-cased words, computed once per text when VADER's list is ours."""
    if isinstance(words, _Words):
        return words.lower
    return [str(w).lower() for w in words]


N_SCALAR = _v.N_SCALAR


def negated(word_lower: str) -> bool:
    """vaderSentiment.negated() for one already lower-cased word."""
    return word_lower in _NEGATE or "n't" in word_lower


def negation_flags(lows: list[str] | tuple[str, ...]) -> bytes:
    """One byte per lower-cased word, 1 where negated() holds: which words negate, found in C
    (bytes.find on a range then asks whether one negates there)."""
    flags = bytearray(map(_NEGATE.__contains__, lows))
    if "n't" in " ".join(lows):  # (no token holds whitespace)
        for i, low in enumerate(lows):
            if "n't" in low:
                flags[i] = 1
    return bytes(flags)


class _Analyzer(_v.SentimentIntensityAnalyzer):
    """SentimentIntensityAnalyzer whose idiom, negation and "but" checks do not re-lower the text."""

    def __init__(self) -> None:
        super().__init__()
        # the lexicon words that are not boosters: the words polarity_scores gives a valence of their own
        self.scorable = frozenset(self.lexicon.keys() - _v.BOOSTER_DICT.keys())

    @staticmethod
    def _negation_check(valence: float, words_and_emoticons: list[str], start_i: int, i: int) -> float:
        w = _lowered(words_and_emoticons)
        if start_i == 0:
            if negated(w[i - 1]):
                valence = valence * _v.N_SCALAR
        if start_i == 1:
            if w[i - 2] == "never" and (w[i - 1] == "so" or w[i - 1] == "this"):
                valence = valence * 1.25
            elif w[i - 2] == "without" and w[i - 1] == "doubt":
                pass
            elif negated(w[i - 2]):
                valence = valence * _v.N_SCALAR
        if start_i == 2:
            if w[i - 3] == "never" and (w[i - 2] == "so" or w[i - 2] == "this") or \
                    (w[i - 1] == "so" or w[i - 1] == "this"):
                valence = valence * 1.25
            elif w[i - 3] == "without" and (w[i - 2] == "doubt" or w[i - 1] == "doubt"):
                pass
            elif negated(w[i - 3]):
                valence = valence * _v.N_SCALAR
        return valence

    @staticmethod
    def _special_idioms_check(valence: float, words_and_emoticons: list[str], i: int) -> float:
        w = _lowered(words_and_emoticons)
        # Negative indexes wrap around exactly as in the original.
        sequences = [f"{w[i - 1]} {w[i]}", f"{w[i - 2]} {w[i - 1]} {w[i]}", f"{w[i - 2]} {w[i - 1]}",
                     f"{w[i - 3]} {w[i - 2]} {w[i - 1]}", f"{w[i - 3]} {w[i - 2]}"]
        for seq in sequences:
            if seq in _v.SPECIAL_CASES:
                valence = _v.SPECIAL_CASES[seq]
                break
        if len(w) - 1 > i:
            zeroone = f"{w[i]} {w[i + 1]}"
            if zeroone in _v.SPECIAL_CASES:
                valence = _v.SPECIAL_CASES[zeroone]
        if len(w) - 1 > i + 1:
            zeroonetwo = f"{w[i]} {w[i + 1]} {w[i + 2]}"
            if zeroonetwo in _v.SPECIAL_CASES:
                valence = _v.SPECIAL_CASES[zeroonetwo]
        for n_gram in (sequences[3], sequences[4], sequences[2]):
            if n_gram in _v.BOOSTER_DICT:
                valence = valence + _v.BOOSTER_DICT[n_gram]
        return valence


    @staticmethod
    def _but_check(words_and_emoticons: list[str], sentiments: list[float]) -> list[float]:
        w = _lowered(words_and_emoticons)
        if "but" not in w:
            return sentiments
        # The original's index()-based loop, kept as is: equal valences share the first's position.
        # (Its pop(si) + insert(si, x) is an assignment: the list keeps its length, so iterating it
        # by position reads the same elements as its for-loop over the list being changed.)
        # It is run on the non-zero valences only: a zero's turn would only rescale some zero, which
        # stays zero, and a zero never equals a non-zero valence, so index() finds the same first
        # position among them (a non-zero valence times 0.5 or 1.5 stays non-zero).
        bi = w.index("but")
        nonzero = list(compress(count(), sentiments))  # positions, ascending
        values = [sentiments[k] for k in nonzero]
        for sentiment in values.copy():  # each turn reads its own valence before any later turn rescales it
            si = values.index(sentiment)
            if nonzero[si] < bi:
                values[si] = sentiment * 0.5
            elif nonzero[si] > bi:
                values[si] = sentiment * 1.5
        for k, value in zip(nonzero, values, strict=True):
            sentiments[k] = value
        return sentiments

    @staticmethod
    def _sift_sentiment_scores(sentiments: list[float]) -> tuple[float, float, int]:
        # The original's loop over the non-zero valences only (in the same order, so the sums are
        # the same floats); the zeros are its neu_count.
        pos_sum = 0.0
        neg_sum = 0.0
        for sentiment_score in filter(None, sentiments):
            if sentiment_score > 0:
                pos_sum += (float(sentiment_score) + 1)
            else:
                neg_sum += (float(sentiment_score) - 1)
        return pos_sum, neg_sum, sentiments.count(0)


class VaderPass(NamedTuple):
    """One pass of VADER over a text: the whole-text scores and each token's valence and span."""

    scores: dict[str, float]
    words: tuple[str, ...]
    # offsets into the text as given, when it had emoji rewritten; None when the tokens are the
    # text's own str.split() (text without emoji)
    spans: tuple[tuple[int, int], ...] | None
    valences: tuple[float, ...]  # before VADER's text-wide "but" rule
    lows: tuple[str, ...] = ()  # the words lower-cased


_lock = threading.Lock()
_analyzer: _Analyzer | None = None


def analyzer() -> _v.SentimentIntensityAnalyzer:
    """The process's one analyzer (it reads two lexicon files when built)."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = _Analyzer()
    return _analyzer


def _demojize(text: str, emojis: dict[str, str]) -> tuple[str, list[int] | None]:
    """VADER's emoji-to-description rewrite, with each output character's source offset."""
    if text.isascii() or emojis.keys().isdisjoint(text):  # the emoji lexicon has no ASCII keys
        return text, None
    out: list[str] = []
    where: list[int] = []
    prev_space = True
    for idx, ch in enumerate(text):
        if ch in emojis:
            piece = ("" if prev_space else " ") + emojis[ch]
            prev_space = False
        else:
            piece = ch
            prev_space = ch == " "
        out.append(piece)
        where.extend([idx] * len(piece))
    return "".join(out), where


_PUNCTUATION = string.punctuation
# Every word of a multi-word special case or booster ("kiss of death", "kind of"): an idiom can only
# match where the words around a lexicon word are among these.
_IDIOM_WORDS = frozenset(part for key in (*_v.SPECIAL_CASES, *_v.BOOSTER_DICT) for part in key.split(" "))
_SO_THIS = ("so", "this")
# The words before a lexicon word that sentiment_valence reacts to: boosters, negations, "no",
# "so"/"this", "least" and idiom words (and any word with "n't", a negation too).
_CONTEXT_WORDS = frozenset(_v.BOOSTER_DICT) | _NEGATE | {"no", "so", "this", "least"} | _IDIOM_WORDS


def _valence(sia: _Analyzer, senti: SimpleNamespace, words: _Words, lows: list[str], i: int) -> float:
    """SentimentIntensityAnalyzer.sentiment_valence for the lexicon word at i (with its
    scalar_inc_dec and _least_check written out over the lower-cased words, not re-lowering them).

    The negation and idiom checks are called only where they can change the valence: _negation_check
    for the word start_i + 1 before acts only on a negation word there (or, for start_i 2, "so"/"this"
    just before), and every n-gram _special_idioms_check looks up holds the word itself or the one two
    before it, so it finds nothing when neither is an _IDIOM_WORDS word."""
    lexicon = sia.lexicon
    boosters = _v.BOOSTER_DICT
    low = lows[i]
    is_cap_diff = senti.is_cap_diff
    valence = lexicon[low]
    if low == "no" and i != len(words) - 1 and lows[i + 1] in lexicon:
        valence = 0.0
    if (i > 0 and lows[i - 1] == "no") or (i > 1 and lows[i - 2] == "no") \
            or (i > 2 and lows[i - 3] == "no" and lows[i - 1] in ["or", "nor"]):
        valence = lexicon[low] * _v.N_SCALAR
    if is_cap_diff and words[i].isupper():
        if valence > 0:
            valence += _v.C_INCR
        else:
            valence -= _v.C_INCR
    before = lows[max(0, i - 3):i]
    if _CONTEXT_WORDS.isdisjoint(before) and "n't" not in " ".join(before) and low not in _IDIOM_WORDS:
        # Most lexicon words: no rule below can apply (each needs one of those words among the three
        # before, or an idiom with this word); their + 0.0 changes nothing (no lexicon value is 0).
        return valence
    for start_i in range(min(i, 3)):
        before = lows[i - (start_i + 1)]
        if before in lexicon:
            continue
        s = 0.0  # scalar_inc_dec(words[i - (start_i + 1)], valence, is_cap_diff)
        if before in boosters:
            s = boosters[before]
            if valence < 0:
                s *= -1
            if is_cap_diff and words[i - (start_i + 1)].isupper():
                if valence > 0:
                    s += _v.C_INCR
                else:
                    s -= _v.C_INCR
            if start_i == 1 and s != 0:
                s = s * 0.95
            if start_i == 2 and s != 0:
                s = s * 0.9
        valence = valence + s  # even + 0.0, which turns a negated 0.0 ("no" before a word) back to 0.0
        if negated(before) or (start_i == 2 and lows[i - 1] in _SO_THIS):
            valence = sia._negation_check(valence, words, start_i, i)
        if start_i == 2 and (low in _IDIOM_WORDS or lows[i - 2] in _IDIOM_WORDS):
            valence = sia._special_idioms_check(valence, words, i)
    # _least_check
    if i > 1 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
        if lows[i - 2] != "at" and lows[i - 2] != "very":
            valence = valence * _v.N_SCALAR
    elif i > 0 and lows[i - 1] not in lexicon and lows[i - 1] == "least":
        valence = valence * _v.N_SCALAR
    return valence


def run(text: str) -> VaderPass:
    """Score a text once; ``scores`` equals ``polarity_scores(text)``.

    The loop is polarity_scores' own with its no-op calls left out: a token that is a booster, the
    "kind" of "kind of", or not in the lexicon gets valence 0 there too (sentiment_valence appends
    the 0 it was given), so only lexicon words go through sentiment_valence."""
    sia = analyzer()
    rewritten, where = _demojize(text, sia.emojis)
    tokens = [m.group() for m in _TOKEN.finditer(rewritten)] if where is not None else rewritten.split()
    # Offsets only where emoji descriptions moved the tokens; in other text they are where split() puts them.
    spans = None if where is None else tuple((where[m.start()], where[m.end() - 1] + 1)
                                             for m in _TOKEN.finditer(rewritten))
    # SentiText._strip_punc_if_word: the token without its punctuation, unless that leaves 2 characters or fewer
    words = _Words([token if len(stripped := token.strip(_PUNCTUATION)) <= 2 else stripped for token in tokens])
    # Each word lower-cased, in three C calls: no word holds a space, and lower() reads no context
    # across one (its only context rule, Greek final sigma, stops at a space).
    lows = words.lower = " ".join(words).lower().split(" ")
    senti = SimpleNamespace(words_and_emoticons=words,
                            is_cap_diff=0 < len(words) - sum(map(str.isupper, words)) < len(words))
    sentiments: list[float] = [0] * len(words)
    last = len(words) - 1
    scorable = sia.scorable
    for i in compress(count(), map(scorable.__contains__, lows)):  # the lexicon words, found in C
        if lows[i] != "kind" or i == last or lows[i + 1] != "of":
            sentiments[i] = _valence(sia, senti, words, lows, i)
    valences = tuple(sentiments)
    scores = sia.score_valence(sia._but_check(words, sentiments), rewritten.strip())
    return VaderPass(scores=scores, words=tuple(words), spans=spans, valences=valences, lows=tuple(lows))


def score_slice(vpass: VaderPass, text: str, first: int, last: int, start: int, end: int,
                valences: tuple[float, ...] | None = None) -> float:
    """Compound of tokens first..last-1 as a text of their own (its own "but", its own !/?),
    from VADER's token valences or from `valences` (the same tokens, re-weighted by the domain)."""
    if first >= last:
        return 0.0
    sentiments = (valences or vpass.valences)[first:last]
    if "but" in vpass.lows[first:last]:
        words = _Words(vpass.words[first:last])
        words.lower = list(vpass.lows[first:last])
        sentiments = analyzer()._but_check(words, list(sentiments))
    # score_valence(sentiments, text[start:end])["compound"], without the pos/neu/neg shares.
    sum_s = float(sum(sentiments))
    if not sum_s:
        return 0.0  # normalize(0.0), rounded: punctuation adds only to a non-zero sum
    # _punctuation_emphasis(text[start:end]), counted in place
    ep_count = min(text.count("!", start, end), 4)
    qm_count = text.count("?", start, end)
    qm_amplifier = 0 if qm_count <= 1 else qm_count * 0.18 if qm_count <= 3 else 0.96
    amplifier = ep_count * 0.292 + qm_amplifier
    if sum_s > 0:
        sum_s += amplifier
    elif sum_s < 0:
        sum_s -= amplifier
    return round(_v.normalize(sum_s), 4)


def polarity_scores(text: str) -> dict[str, float]:
    """Exactly vaderSentiment's polarity_scores, from the shared analyzer."""
    return run(text).scores
