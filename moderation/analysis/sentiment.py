"""Sentiment: VADER's whole-text scores, and the service's own label built sentence by sentence.

Glowing physical-therapy testimonials tell the injury story ("I was in agony") before the verdict
on the care, and unhappy ones often complain in words VADER scores as neutral ("Waited 40
minutes"). So the label reads each sentence: the negative words of the injury story count for
little, domain cues for complaints and outcomes are added, and the verdict sentences weigh most.
Spanish texts are scored by spanish.py (VADER's rules, a Spanish lexicon); texts in other languages
are not scored (no English number for words VADER cannot read).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

from . import vader
from ._data import ASCII_WORD_BYTES, Cue, CueSet, load_json
from .outcomes import find_outcome_claims
from .profanity import profanity_flags
from .results import SentenceScore, Sentiment, sentence_label, text_label
from .sentiment_classes import (
    any_class_trigger,
    classes,
    complaint_weight,
    gate_words,
    has_contrast,
    is_logistics,
    logistics_clause,
    negated_at,
)
from .spanish import analyze_spanish
from .text import ascii_quotes, sentence_spans

STORY_DISCOUNT = 0.2  # share of an injury-story sentence's negativity that still counts
COMPLAINT_PRAISE_DISCOUNT = 0.6  # share of a complaint sentence's positive words that still counts
NEGATED_COMPLAINT_SHARE = 0.5
AFTER_CONTRAST_PRAISE = 0.2
# a negated complaint word reads as this much of its opposite; share of the praise before "but" when a
# complaint follows it
NEGATED_NEGATIVE_SHARE = 0.5
OUTCOME_PRAISE = 0.4
PROFANITY_COMPLAINT = -0.6  # a complaint cue under a negation counts as this much praise
UNMET_SERVICE_WEIGHT = -0.5  # a sentence saying the practice did not do its job, in neutral words
ROLE_WEIGHT = {"complaint": 1.3, "verdict": 1.0, "other": 0.7, "story": 0.5, "logistics": 0.4}
GRIPE_SHARE = 0.5  # share of a logistics clause that counts beside praise in the same sentence
_PEOPLE = frozenset({"therapist", "therapists", "pt", "staff", "doctor", "she", "he", "team", "aide", "aides"})
_WORD = re.compile(r"[\w']+")
_ASCII_WORD = re.compile(r"[a-z0-9_']+")  # the same on lower-cased ASCII text, scanned faster


class _Cues(NamedTuple):
    """The compiled domain vocabulary."""

    complaint: tuple[Cue, ...]
    praise: tuple[Cue, ...]
    story_markers: frozenset[str]
    symptoms: frozenset[str]
    care_targets: frozenset[str]
    ongoing: frozenset[str]
    negators: frozenset[str]
    service_objects: frozenset[str]
    unmet_exceptions: frozenset[str]


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    """Compile sentiment_domain.json once."""
    raw = load_json("sentiment_domain.json")
    return _Cues(
        complaint=tuple(Cue(c) for c in raw["complaint"]),
        praise=tuple(Cue(c) for c in raw["praise"]),
        story_markers=frozenset(raw["story_markers"]),
        symptoms=frozenset(raw["symptoms"]),
        care_targets=frozenset(raw["care_targets"]),
        ongoing=frozenset(raw["ongoing"]),
        negators=frozenset(raw["unmet_service"]["negators"]),
        service_objects=frozenset(raw["unmet_service"]["service_objects"]),
        unmet_exceptions=frozenset(raw["unmet_service"]["exceptions"]),
    )


@lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], dict[str, float]]:
    """domain_lexicon.json: injury-story words to silence, and valences VADER's lexicon lacks."""
    raw = load_json("domain_lexicon.json")  # both sections are named word classes
    silent = frozenset(w for name, words in raw["story_neutral"].items() if not name.startswith("_") for w in words)
    added = {w.lower(): float(v) for name, words in raw["valence"].items() if not name.startswith("_")
             for w, v in words.items()}
    return silent, added


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    """The words _domain_valences can change: the silenced and the added ones."""
    silent, added = _lexicon()
    return silent | added.keys()


def _domain_valences(lows: tuple[str, ...], valences: tuple[float, ...], first: int, last: int,
                     negations: bytes, domain: bytes) -> tuple[float, ...] | None:
    """One sentence's token valences as this domain reads them; None when they are VADER's own.

    negations, domain: a byte per word, 1 where it is negated() / a _domain_words() word."""
    # The VADER pass over the whole text let a "never" at the end of the previous sentence negate
    # the first words of this one ("…would never golf again. Played 18 holes!"): undo that.
    crossing = first > 0 and negations.find(1, max(0, first - 3), first) >= 0
    if not crossing and domain.find(1, first, last) < 0:
        return None  # most sentences: nothing for the domain to change
    silent, added = _lexicon()
    ongoing = not _cues().ongoing.isdisjoint(lows[first:last])  # "my knee still hurts" stays negative
    out = list(valences)
    if crossing:
        for i in range(first, min(first + 3, last)):
            if valences[i] and negations.find(1, max(0, i - 3), first) >= 0 and negations.find(1, first, i) < 0:
                out[i] = valences[i] / vader.N_SCALAR
    # Only a domain word can change below (each word on its own: the order does not matter).
    for i in compress(range(first, last), domain[first:last]):
        low = lows[i]
        if low in silent and not ongoing:
            out[i] = 0.0
        elif low in added and valences[i] == 0:
            value = added[low]
            if negations.find(1, max(first, i - 3), i) >= 0:
                value *= vader.N_SCALAR
            out[i] = value
    changed = tuple(out[first:last]) != valences[first:last]
    return tuple(out) if changed else None


@lru_cache(maxsize=1)
def _cue_sets() -> tuple[CueSet, CueSet]:
    """The complaint and the praise cues, each indexed by their trigger words."""
    return CueSet(_cues().complaint), CueSet(_cues().praise)


def _cues_for(words: AbstractSet[str]) -> tuple[tuple[Cue, ...], tuple[Cue, ...]]:
    """The complaint and praise cues a sentence's words make possible, in their file order."""
    complaint, praise = _cue_sets()
    return complaint.applicable(words), praise.applicable(words)


def _clamp(x: float) -> float:
    """Keep a score within VADER's −1…1."""
    return max(-1.0, min(1.0, x))


def _cue_weights(text: str, words: AbstractSet[str], *, claim: bool = False, swearing: bool = False,
                 gate: frozenset[str] | None = None) -> tuple[float, float]:
    """(complaint, praise) of one sentence from the supported cues and the word-class mechanisms."""
    gate = gate_words(text) if gate is None else gate
    complaints, praises = _cues_for(words)  # only the cues this sentence's words can set off
    if not (complaints or praises or claim or swearing or any_class_trigger(gate)):
        return 0.0, 0.0  # what the steps below add up to when no cue and no class can match (most sentences)
    complaint = praise = 0.0
    for cue in complaints:
        match = cue.search(text)
        if match is None:
            continue
        if negated_at(text, match.start()):
            praise -= cue.weight * NEGATED_COMPLAINT_SHARE  # "not a single appointment started late"
        else:
            complaint += cue.weight
    praise += sum(c.weight for c in praises if c.search(text))
    fact, relief = complaint_weight(text, words, gate)
    if claim:
        relief += OUTCOME_PRAISE  # "cut my headaches in half": a result VADER reads as neutral
    if swearing:
        fact += PROFANITY_COMPLAINT  # swearing without praise words is anger at someone
    return max(complaint + fact, -1.5), praise + relief


def _sentence(text: str, compound: float, words: Collection[str] | None = None, gate: Collection[str] | None = None,
              *, claim: bool = False, swearing: bool = False) -> tuple[str, float]:
    """The role of one sentence and its domain-adjusted score, given the cues the whole text allows;
    words, gate: its _WORD words and gate_words (sets or lists, the same object when the same words),
    when the caller has them."""
    if words is None or gate is None:
        low = text.lower()
        words = frozenset((_ASCII_WORD if low.isascii() else _WORD).findall(low))
        # The gate words are these words split at apostrophes: without one they are the same set.
        gate = words if "'" not in low else gate_words(text, low)
    quiet = _quiet_words()
    if quiet is not None and quiet.isdisjoint(words) and (gate is words or quiet.isdisjoint(gate)) \
            and not claim and not swearing:
        # No word any step below looks for: what they add up to (no gripe, no cue, no class, not cared
        # for, no unmet service, role "other"), without the dozen look-ups (a quarter of sentences).
        return "other", round(_clamp(compound + 0.0 + 0.0), 4)
    # The steps below look words up many times: as sets (frozenset() of a frozenset is that frozenset).
    if gate is words:
        words = gate = frozenset(words)
    else:
        words, gate = frozenset(words), frozenset(gate)
    cues = _cues()
    mixed = logistics_clause(text, gate)
    if mixed is not None:
        rest_text, gripe_text = mixed
        rest_words = set(_WORD.findall(rest_text.lower()))
        rest = vader.polarity_scores(rest_text)["compound"]
        if rest > 0.05 and _cue_weights(rest_text, rest_words)[0] == 0:
            # "Great care, but the parking is awful": the care is the point, the parking a gripe.
            gripe = vader.polarity_scores(gripe_text)["compound"]
            gripe += _cue_weights(gripe_text, set(_WORD.findall(gripe_text.lower())))[0]
            return "verdict", round(_clamp(rest + GRIPE_SHARE * min(gripe, 0.0)), 4)
    complaint, praise = _cue_weights(text, words, claim=claim, swearing=swearing, gate=gate)
    if praise > 0 and complaint == 0 and compound < 0:
        # "No one there was ever rude": the negative word VADER scored is the thing that did not happen.
        compound = -compound * NEGATED_NEGATIVE_SHARE
    if complaint < 0 and compound > 0.05 and swearing:
        complaint -= PROFANITY_COMPLAINT  # "holy sh*t my back feels amazing" is delight, not anger
    cared_for = not cues.care_targets.isdisjoint(words)
    if complaint == 0 and praise == 0 and compound <= 0 and _unmet_service(words, cared_for):
        complaint = UNMET_SERVICE_WEIGHT
    if complaint < 0:
        role = "complaint"
    elif (compound < 0 and not cared_for and cues.ongoing.isdisjoint(words)
          and not cues.story_markers.isdisjoint(words) and not cues.symptoms.isdisjoint(words)):
        role = "story"
    elif compound < 0 and _PEOPLE.isdisjoint(words) and is_logistics(text, gate):
        role = "logistics"
    elif praise > 0 or cared_for:
        role = "verdict"
    else:
        role = "other"
    if role == "story":
        base = compound * STORY_DISCOUNT
    elif role == "complaint" and compound > 0:
        # "The staff were lovely but nobody cared whether I improved": the complaint is the point,
        # the more so when it comes after the contrast word.
        base = compound * (AFTER_CONTRAST_PRAISE if has_contrast(text, gate) else COMPLAINT_PRAISE_DISCOUNT)
    else:
        base = compound
    return role, round(_clamp(base + complaint + praise), 4)


@lru_cache(maxsize=1)
def _quiet_words() -> frozenset[str] | None:
    """Every word _sentence's steps look for, in a sentence's words or its gate words: a sentence with
    none of them (and no claim or swearing) is "other" at its compound. None when some cue needs no
    trigger word (then no sentence is quiet)."""
    complaint, praise = _cue_sets()
    if complaint.applicable(frozenset()) or praise.applicable(frozenset()):
        return None
    cues, c = _cues(), classes()
    return frozenset().union(*(cue.any for cue in (*complaint.cues, *praise.cues)), c.triggers,
                             c.logistics.triggers, cues.care_targets, cues.service_objects, cues.story_markers)


def _unmet_service(words: AbstractSet[str], cared_for: bool) -> bool:
    """A negated service with no judgement words: "no one would explain why", "didn't even look".

    Complaints often state what the practice did not do, in words VADER reads as neutral. Praise
    says the same shape about other providers ("nobody else could") or about a worry that did not
    come true ("never made me wait"), so those words keep the sentence out."""
    cues = _cues()
    return (cared_for or not cues.service_objects.isdisjoint(words)) \
        and not cues.negators.isdisjoint(words) and cues.unmet_exceptions.isdisjoint(words)




# Scores for a text in a language the service cannot score: VADER's own output for a text without
# sentiment words, so no English number stands beside words VADER cannot read.
NOT_SCORED = (0.0, 0.0, 0.0, 0.0)


def scored_languages() -> frozenset[str]:
    """Languages with a sentiment method: English (VADER) and Spanish (VADER's rules, a Spanish lexicon)."""
    return frozenset({"en", "es"})


def analyze_sentiment(text: str, *, language: str = "en", is_spam: bool = False,
                      claims: list[tuple[int, int]] | None = None,
                      swearing: list[tuple[int, int]] | None = None,
                      ) -> tuple[Sentiment, tuple[SentenceScore, ...]]:
    """VADER scores of the whole text (quotes made ASCII) and the domain label with per-sentence scores.

    claims / swearing: spans of outcome claims and profanity, when the caller has found them already."""
    plain = ascii_quotes(text)
    if language == "es":
        return analyze_spanish(plain, is_spam=is_spam)
    if language not in scored_languages():
        # Not scored: the admin says why (moderation/admin_display.py), the text is flagged non_english.
        compound, pos, neu, neg = NOT_SCORED
        return Sentiment(compound=compound, pos=pos, neu=neu, neg=neg, label="neutral"), ()
    if claims is None:
        claims = [(c.start, c.end) for c in find_outcome_claims(plain)]
    if swearing is None:
        swearing = [(f.start, f.end) for f in profanity_flags(plain)]
    vpass = vader.run(plain)
    sentences: list[SentenceScore] = []
    total = weight = 0.0
    token = 0
    spans = sentence_spans(plain)
    lows = vpass.lows
    starts = None if vpass.spans is None else [s for s, _ in vpass.spans]  # ascending, in text order
    negations = vader.negation_flags(lows)
    domain = bytes(map(_domain_words().__contains__, lows))
    # An ASCII text's words, sentence by sentence: the text lowered with every byte but [a-z0-9_'] made a
    # space, sliced and split (the same words as _WORD / gate_words find in each sentence, in C).
    spaced = plain.encode().translate(ASCII_WORD_BYTES).decode() if plain.isascii() else None
    words = gate = None  # lists of words: _sentence makes sets of them only if some step needs them
    for n, (start, end) in enumerate(spans):
        sentence = plain[start:end]
        if starts is None:
            # The tokens are the text's str.split(): each starts inside one sentence (sentences end
            # at whitespace, and a closing quote left out of one belongs to its last token), so a
            # sentence's own split() counts the tokens that start in it.
            first = token
            token = first + len(sentence.split())
        else:
            first = bisect_left(starts, start, token)  # the first token starting at or after start
            token = bisect_left(starts, end, first)  # the first starting at or after end
        compound = vader.score_slice(vpass, plain, first, token, start, end)
        adjusted = _domain_valences(lows, vpass.valences, first, token, negations, domain)
        adjusted_compound = compound if adjusted is None else vader.score_slice(
            vpass, plain, first, token, start, end, valences=adjusted)
        if spaced is not None:
            chunk = spaced[start:end]
            words = chunk.split()
            gate = words if "'" not in chunk else chunk.replace("'", " ").split()
        role, score = _sentence(sentence, adjusted_compound, words, gate,
                                claim=bool(claims) and any(s < end and start < e for s, e in claims),
                                swearing=bool(swearing) and any(s < end and start < e for s, e in swearing))
        # (by position, in the fields' order: a frozen dataclass's keyword call costs a third more)
        sentences.append(SentenceScore(start, end, compound, sentence_label(score), role, score))
        # The closing sentence is usually the verdict on the care.
        w = ROLE_WEIGHT[role] * (1.25 if n == len(spans) - 1 and n > 0 else 1.0)
        total += w * score
        weight += w
    if is_spam:
        label = "neutral"  # an advertisement says nothing about the care
    else:
        label = text_label(total / weight if weight else 0.0)
    s = vpass.scores
    sentiment = Sentiment(compound=s["compound"], pos=s["pos"], neu=s["neu"], neg=s["neg"], label=label)
    return sentiment, tuple(sentences)
