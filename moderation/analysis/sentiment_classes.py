"""Complaint and balance mechanisms built from named word classes (sentiment_domain.json's
"word_classes"), not from phrases of particular texts.

- complaint as fact: a service failure (cancel, billed, waited…) stated with repetition or absence
  (again, twice, never, still…), or a wait with a duration ("waited 40 minutes");
- neglect: nobody doing a care act ("no one called back"), or the practice not doing one;
- a staff attitude word ("rude", "dismissive"); pressure to buy ("kept pushing a package");
- a result that did not come ("no better", "didn't help"), unless about another provider;
- a clause about logistics (parking, hours, music) is a gripe, which weighs little beside praise.
A failure word under a negation ("never once felt rushed") is praise, not a complaint.
"""
from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import NamedTuple

from ._data import Cue, load_json

FACT_WEIGHT = -0.5  # one complaint stated as a fact, in words VADER reads as neutral
ATTITUDE_WEIGHT = -0.6
NEGATED_SHARE = 0.5  # a negated failure ("they never cancelled") counts as this much praise
# A negator shortly before, in the same clause: "never once felt rushed", "not a single late start".
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|never|no|without|nobody|noone|no\s+one)\b|n't)"
                             r"(?:\s+(?:a\s+single|once|even|just|ever|one|there))?"
                             r"(?:\s+[\w'-]+){0,4}\s+$", re.IGNORECASE)
_NUMBER = r"(?:\d+|an?|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five|fifty|sixty|ninety)"


def _alternation(words: list[str]) -> str:
    """A regex alternation of class members, longest first, spaces matching any whitespace."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_WORD = re.compile(r"[\w']+")
_GATE_WORD = re.compile(r"\w+")
_ASCII_GATE_WORD = re.compile(r"[a-z0-9_]+")  # the same on lower-cased ASCII text, scanned faster


class _Gated:
    """A class pattern tried only when the sentence holds one of its trigger words (a set look-up
    is far cheaper than a regex scan, and most sentences hold none).

    phrases: lists of class members the pattern matches literally (spaces as whitespace, whole words
    at both ends), a match holding one member of each. In ASCII text such a member's words are whole
    word runs of the sentence, so they are all among its gate words; in other text re's case-folding
    can pair letters that lower() does not, and only the trigger words are looked up."""

    __slots__ = ("cue", "phrases", "triggers")

    def __init__(self, pattern: str, triggers: set[str], *phrases: list[str]) -> None:
        # A Cue for its search: compiled when first needed, scanning the lower-cased sentence
        # without IGNORECASE where that finds the same spans (see _data.Cue.finditer).
        self.cue = Cue({}, pattern=pattern)
        self.triggers = frozenset(triggers)
        self.phrases = tuple(filter(None, map(_by_first_word, phrases)))

    def search(self, text: str) -> re.Match[str] | None:
        """The pattern's first match in text (its group() may be lower-cased: use the span)."""
        return self.cue.search(text)

    def find(self, text: str, gate: frozenset[str], present: frozenset[str] | None = None) -> re.Match[str] | None:
        """The first match, or None; gate is gate_words(text). present: classes().triggers & gate, for
        a class complaint_weight tries first (its triggers are among those): the same trigger test
        on the few trigger words present instead of the whole sentence's words."""
        if self.triggers.isdisjoint(gate if present is None else present):
            return None
        if self.phrases and text.isascii() and not all(_holds_one(gate, members) for members in self.phrases):
            return None  # a sentence without all the words of any member (most that hold a trigger)
        return self.cue.search(text)


def _member_words(member: str) -> list[str]:
    """The lower-cased word runs of a class member, as gate_words splits a sentence."""
    return _GATE_WORD.findall(member.lower())


def _firsts(members: list[str]) -> set[str]:
    """One word of each member (its longest, usually its rarest: "left" of "i left"): a member can
    match only in a sentence that holds it, so the set look-up never hides a match."""
    return {max(_member_words(m), key=len) for m in members if _GATE_WORD.search(m)}


def _by_first_word(members: list[str]) -> dict[str, tuple[frozenset[str], ...]] | None:
    """Each member's words under its _firsts word; None when that says no more than the trigger
    words (all members are single words) or when a member has no word (it could match anywhere)."""
    by_first: dict[str, set[frozenset[str]]] = {}
    for member in members:
        words = _member_words(member)
        if not words:
            return None
        by_first.setdefault(max(words, key=len), set()).add(frozenset(words))
    if all(len(words) == 1 for sets in by_first.values() for words in sets):
        return None
    # a single-word member lets its word through alone: its longer members need not be looked at
    return {first: (frozenset({first}),) if frozenset({first}) in sets else tuple(sets)
            for first, sets in by_first.items()}


def _holds_one(gate: frozenset[str], by_first: dict[str, tuple[frozenset[str], ...]]) -> bool:
    """True when the gate words hold all the words of one member."""
    return any(words <= gate for first in by_first.keys() & gate for words in by_first[first])


def gate_words(text: str, lowered: str | None = None) -> frozenset[str]:
    """A sentence's lower-cased word-character runs, the set the class gates look members up in
    (split at apostrophes and hyphens like the members, so "''never" still holds "never");
    lowered: text.lower(), when the caller has it."""
    lowered = text.lower() if lowered is None else lowered
    return frozenset((_ASCII_GATE_WORD if lowered.isascii() else _GATE_WORD).findall(lowered))


class _Classes(NamedTuple):
    """The compiled word classes."""

    failure: _Gated
    repetition: frozenset[str]
    wait: _Gated
    neglect: _Gated
    practice_neglect: _Gated
    attitude: _Gated
    sales: _Gated
    no_result: _Gated
    no_result_exceptions: _Gated
    logistics: _Gated
    contrast: _Gated
    depersonal: _Gated
    left: _Gated
    left_exceptions: _Gated
    ignored: _Gated
    debt: _Gated
    broken_promise: _Gated
    triggers: frozenset[str]  # every trigger word of the classes complaint_weight tries first


@lru_cache(maxsize=1)
def classes() -> _Classes:
    """Compile the word classes once."""
    wc = load_json("sentiment_domain.json")["word_classes"]

    def words(name: str) -> _Gated:
        return _Gated(rf"(?<![\w-])(?:{_alternation(wc[name])})(?![\w-])", _firsts(wc[name]), wc[name])

    agents, acts = _alternation(wc["absent_agents"]), _alternation(wc["care_acts"])
    negators = {"didn't", "didnt", "did", "don't", "dont", "doesn't", "doesnt", "does", "never"}
    gated = dict(
        # "waiting room" is a place, not a wait
        failure=_Gated(rf"(?<![\w-])(?:{_alternation(wc['service_failure'])})(?![\w-])(?!\s+(?:room|area|list))",
                       _firsts(wc["service_failure"]), wc["service_failure"]),
        repetition=frozenset(wc["repetition"]),
        wait=_Gated(rf"\b(?:{_alternation(wc['wait_words'])})\b(?:\s+[\w'-]+){{0,4}}?\s+{_NUMBER}\s*\+?\s*"
                    rf"(?:{_alternation(wc['duration_units'])})\b", _firsts(wc["wait_words"]), wc["wait_words"]),
        neglect=_Gated(rf"\b(?:{agents})\b(?!\s+else)(?:\s+[\w']+){{0,3}}?\s+(?:{acts})\b",
                       _firsts(wc["absent_agents"]), wc["absent_agents"], wc["care_acts"]),
        practice_neglect=_Gated(
            rf"(?<!\bi\s)\b(?:didn'?t|did\s+not|don'?t|doesn'?t|does\s+not|never)\s+"
            rf"(?:seem\s+to\s+|really\s+|even\s+|bother\s+to\s+)?(?:{_alternation(wc['practice_neglect_verbs'])})\b",
            negators, wc["practice_neglect_verbs"]),
        attitude=words("staff_attitude"),
        sales=_Gated(rf"\b(?:{_alternation(wc['sales_pressure'])})\b(?:\s+[\w'$-]+){{0,5}}?\s+"
                     rf"(?:{_alternation(wc['sales_objects'])})\b", _firsts(wc["sales_pressure"]),
                     wc["sales_pressure"], wc["sales_objects"]),
        no_result=words("no_result"),
        no_result_exceptions=words("no_result_exceptions"),
        logistics=words("logistics"),
        contrast=_Gated(rf"[,;]?\s*\b(?:{_alternation(wc['contrast'])})\b", _firsts(wc["contrast"])),
        depersonal=_Gated(rf"\blike\s+(?:i\s+was\s+)?(?:a|an|just\s+a|just\s+another|another|one\s+more)\s+"
                          rf"(?:{_alternation(wc['depersonal_nouns'])})\b", {"like"}, wc["depersonal_nouns"]),
        left=words("left_practice"),
        left_exceptions=words("left_practice_exceptions"),
        ignored=words("ignored_patient"),
        debt=words("unexpected_debt"),
        broken_promise=_Gated(rf"\b(?:{_alternation(wc['broken_promise_openers'])})\b.{{3,80}}?"
                              rf"\b(?:{_alternation(wc['broken_promise_turns'])})\b",
                              _firsts(wc["broken_promise_openers"]), wc["broken_promise_openers"],
                              wc["broken_promise_turns"]),
    )
    return _Classes(**gated, triggers=frozenset().union(*(gated[name].triggers for name in _FIRST_TRIED)))


# The classes complaint_weight tries on every sentence holding one of their trigger words.
_FIRST_TRIED = ("failure", "wait", "neglect", "practice_neglect", "attitude", "sales", "no_result", "depersonal",
                "ignored", "broken_promise", "debt", "left")
# The first-tried classes a set of trigger words present can set off, kept per set (the same few recur).
_live_by_present: dict[frozenset[str], frozenset[_Gated]] = {}


def _live(c: _Classes, present: frozenset[str]) -> frozenset[_Gated]:
    """The first-tried classes with one of their trigger words among present: complaint_weight looks
    up a class here instead of calling its find (a dozen calls a sentence, most finding no trigger)."""
    live = _live_by_present.get(present)
    if live is None:
        if len(_live_by_present) >= 1024:
            _live_by_present.clear()
        live = _live_by_present[present] = frozenset(
            g for g in (getattr(c, name) for name in _FIRST_TRIED) if not g.triggers.isdisjoint(present))
    return live


def negated_at(text: str, start: int) -> bool:
    """True when a negator governs the word at start."""
    return bool(_NEGATED_BEFORE.search(text[max(0, start - 40):start]))


def any_class_trigger(gate: frozenset[str]) -> bool:
    """False when complaint_weight finds nothing for a sentence with these gate_words."""
    return not classes().triggers.isdisjoint(gate)


def complaint_weight(text: str, words: AbstractSet[str], gate: frozenset[str]) -> tuple[float, float]:
    """(complaint, praise) weights of one sentence from the class mechanisms; words are its
    lower-cased [\\w']+ words, gate its gate_words."""
    c = classes()
    present = c.triggers.intersection(gate)
    if not present:
        return 0.0, 0.0  # no class can match (most sentences)
    complaint = praise = 0.0
    live = _live(c, present)  # only these can match: a set look-up each instead of a call
    failure = c.failure.find(text, gate, present) if c.failure in live else None
    if failure is not None:
        if negated_at(text, failure.start()):
            praise -= FACT_WEIGHT * NEGATED_SHARE
        elif not c.repetition.isdisjoint(words) or re.search(r"\b\d+\s+times\b|\bthree\s+times\b", text, re.I):
            complaint += FACT_WEIGHT
    wait = c.wait.find(text, gate, present) if c.wait in live else None
    if wait is not None and complaint == 0 and not negated_at(text, wait.start()):
        complaint += FACT_WEIGHT
    neglect = (c.neglect.find(text, gate, present) if c.neglect in live else None) \
        or (c.practice_neglect.find(text, gate, present) if c.practice_neglect in live else None)
    if neglect is not None and not c.no_result_exceptions.find(text, gate):
        complaint += FACT_WEIGHT
    attitude = c.attitude.find(text, gate, present) if c.attitude in live else None
    if attitude is not None:
        if negated_at(text, attitude.start()):
            praise -= ATTITUDE_WEIGHT * NEGATED_SHARE
        else:
            complaint += ATTITUDE_WEIGHT
    if c.sales in live and c.sales.find(text, gate, present):
        complaint += FACT_WEIGHT
    if c.no_result in live and c.no_result.find(text, gate, present) and not c.no_result_exceptions.find(text, gate):
        complaint += FACT_WEIGHT
    for pattern in (c.depersonal, c.ignored, c.broken_promise, c.debt):
        if pattern in live and pattern.find(text, gate, present):
            complaint += FACT_WEIGHT
    if c.left in live and c.left.find(text, gate, present) and not c.left_exceptions.find(text, gate):
        complaint += FACT_WEIGHT
    return max(complaint, -1.2), praise


def has_contrast(text: str, gate: frozenset[str]) -> bool:
    """True when a sentence turns on a contrast word ("but", "though") after its start."""
    m = classes().contrast.find(text, gate)
    return m is not None and m.start() > 0


def logistics_clause(text: str, gate: frozenset[str]) -> tuple[str, str] | None:
    """(the rest, the logistics gripe) when a sentence contrasts praise with a logistics clause."""
    c = classes()
    if c.logistics.triggers.isdisjoint(gate):
        return None
    m = c.contrast.find(text, gate)
    if m is None or m.start() == 0:
        return None
    before, after = text[:m.start()], text[m.end():]
    in_before, in_after = c.logistics.search(before), c.logistics.search(after)
    if in_after and not in_before:
        return before, after
    if in_before and not in_after:
        return after, before
    return None  # both or neither clause about logistics: no gripe to set aside


def is_logistics(text: str, gate: frozenset[str]) -> bool:
    """True when a sentence is about the premises, hours or paperwork."""
    return classes().logistics.find(text, gate) is not None
