"""pii_name: the author's own last name, or another private person's full name.

Without knowing the practice's staff, a full name in a testimonial is as likely a therapist as a
private person, so a name counts only where the text says whose it is: after a relation ("my
husband, Thomas Richardson", "I met Harold Feinberg"), as a sign-off on its own line, or as the
author's last name when the form gave it. Therapists, staff, clinics and titled professionals
("Dr. Alan Whitford") are never flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from string import ascii_letters, ascii_lowercase

from ._data import ASCII_FOLDING, load_json, words_of
from .results import AnalysisContext, FlagHit
from .text import is_mostly_lowercase

_CAP = r"(?:[A-Z](?:[a-z]+|'[A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)"
_FULL = rf"(?P<name>{_CAP}(?:[ \t]+{_CAP}){{1,2}})"
_FULL_NAME = re.compile(_FULL)
_QUOTED_WORD = re.compile(r"[\"“'(][A-Z][a-z]+[\"”')][ \t]")
_QUOTED_NICK = re.compile(r"[ \t]+[\"“'(][A-Z][a-z]+[\"”')][ \t]+")
_TITLE_BEFORE = re.compile(r"(?i:\b(?:dr|doctor|prof|professor)\.?\s*)$")


@dataclass(frozen=True)
class _NameCue:
    """A pattern that finds a full name in its "name" group, and what rules a text out before its scan."""

    pattern: re.Pattern[str]
    needs: frozenset[str] = frozenset()  # trigger words: a text holding none of them is skipped
    # The pattern matches only where _FULL does: a text without a run of capitalised words (half of
    # them) is settled by one search for _FULL, which re runs quickly from capital to capital (these
    # patterns open caselessly, so re tries them at every character).
    full_name_first: bool = False
    opener: re.Pattern[str] | None = None  # a cheap search a match cannot happen without
    tail_only: bool = False  # only the text's last 80 characters (a sign-off is at the very end)
    # the name ends the text (then maybe "." or "!"): a text whose last word is not capitalised is
    # settled without a scan (all but ~4% of texts)
    name_last: bool = False


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[_NameCue, ...], frozenset[str]]:
    """Cue patterns (relation, introduction, sign-off) with their trigger words, and never-a-name words."""
    raw = load_json("people.json")

    def triggers(items: list[str]) -> frozenset[str]:
        # Words common enough to appear in every text would make the check useless.
        words = {w for item in items for w in re.findall(r"[\w']+", item.lower())}
        return frozenset(words - {"in", "law", "best", "fellow", "another", "i", "is", "my", "this", "yours"})

    def words(items: list[str]) -> list[str]:
        return [re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True)]

    relation = re.compile(
        rf"{_word_start(['my', 'our', 'his', 'her', 'their', 'a', 'the'])}"
        rf"(?i:\s+(?:\w+\s+)?(?:{'|'.join(words(raw['relations']))}))\b"
        rf"[\s,:(-]*(?:(?i:is|was|named|called)\s+)?{_FULL}"
    )
    introduction = re.compile(rf"{_word_start(words(raw['introductions']))}[\s,:-]+{_FULL}")
    signoff = re.compile(rf"(?:\A|\n|[—–~-][ \t]*)[ \t]*{_FULL}[ \t]*[.!]?\s*\Z")
    # "Kevin Doyle here —": a writer introducing themselves by full name.
    here = re.compile(rf"(?:\A|(?<=[\n.!?]))\s*{_FULL}[ \t]+here\b")
    # A nickname in quotes between first and last name: Robert "Bobby" Keane.
    quoted = re.compile(rf"(?P<name>{_CAP}[ \t]+[\"“'(][A-Z][a-z]+[\"”')][ \t]+{_CAP})")
    cues = (
        _NameCue(relation, triggers(raw["relations"]), full_name_first=True),
        _NameCue(introduction, triggers(raw["introductions"]), full_name_first=True),
        _NameCue(signoff, tail_only=True, name_last=True),
        _NameCue(here, frozenset({"here"}), full_name_first=True),
        # no quoted nickname without a quoted capitalised word: skip a scan that cannot skip ahead
        _NameCue(quoted, opener=_QUOTED_WORD),
    )
    return cues, frozenset(raw["not_names"])


def _word_start(alternatives: list[str]) -> str:
    """A pattern matching as (?i:\\b(?:alternative|...)) does, for alternatives that open with an ASCII
    letter, written to open with a case-sensitive character class: re then skips in C to the
    characters that can open a match instead of trying the caseless pattern at every character.

    The class holds every character re's IGNORECASE takes for an opening letter (its two cases, and
    İ ı ſ K where they fold to it); the lookbehind after it is the \\b before it (a letter is a word
    character); each alternative then checks its own opening letter caselessly."""
    firsts = {a[0] for a in alternatives}
    assert all(f in ascii_letters for f in firsts), alternatives
    letter = re.compile(f"(?i:[{''.join(sorted(firsts))}])")
    opening = sorted({c for f in firsts for c in (f.lower(), f.upper(), *ASCII_FOLDING) if letter.fullmatch(c)})
    tails = "|".join(f"(?<={a[0]}){a[1:]}" for a in alternatives)
    return rf"[{''.join(opening)}](?<!\w\w)(?i:{tails})"


def _ends_in_capitalised_word(text: str) -> bool:
    """Whether text could end in a full name: _FULL's last word ends in [A-Z][a-z]+, and only
    spaces or tabs, one "." or "!" and whitespace (str.isspace, as re's \\s) may follow it."""
    end = text.rstrip()
    if end[-1:] in (".", "!"):
        end = end[:-1].rstrip(" \t")
    stem = end.rstrip(ascii_lowercase)
    return len(stem) < len(end) and "A" <= stem[-1:] <= "Z"


def _practice_names(context: AnalysisContext) -> tuple[frozenset[str], frozenset[str]]:
    """Lower-cased full names and place names that belong to the practice, and the last names of
    its therapists and staff."""
    key = (id(context.therapists), id(context.staff_names), id(context.location_names))
    entry = _by_identity.get(key)
    if entry is None or entry[0] is not context.therapists or entry[1] is not context.staff_names \
            or entry[2] is not context.location_names:
        if len(_by_identity) > 32:
            _by_identity.clear()
        entry = (context.therapists, context.staff_names, context.location_names,
                 (_practice_names_of(context.therapists, context.staff_names, context.location_names),
                  _last_names_of(context.therapists, context.staff_names)))
        _by_identity[key] = entry
    return entry[3]


# The worker passes the same tuples for a minute: found by identity, not re-hashed per text.
_by_identity: dict[tuple[int, int, int], tuple] = {}


@lru_cache(maxsize=16)
def _practice_names_of(therapists: tuple, staff: tuple[str, ...], places: tuple[str, ...]) -> frozenset[str]:
    """_practice_names, once per practice (the worker reuses one context for a minute)."""
    names = {n.lower() for n in (*staff, *places)}
    for t in therapists:
        for first in (t.first_name, *t.nicknames):
            names.add(f"{first} {t.last_name}".lower())
    return frozenset(names)


def _last_names_of(therapists: tuple, staff: tuple[str, ...]) -> frozenset[str]:
    """Lower-cased last names of the practice's therapists and staff."""
    taken = {t.last_name.lower() for t in therapists}
    taken.update(n.split()[-1].lower() for n in staff if n.split())
    return frozenset(taken)


def _trim(name: str, not_names: frozenset[str]) -> str | None:
    """The name up to the first never-a-name word, if two words remain."""
    kept = []
    for word in name.split():
        if word in not_names:
            break
        kept.append(word)
    return " ".join(kept) if len(kept) >= 2 else None


def name_flags(text: str, context: AnalysisContext) -> list[FlagHit]:
    """pii_name flags with spans of the names."""
    patterns, not_names = _patterns()
    practice, taken = _practice_names(context)
    spans: list[tuple[int, int, str]] = []
    words = words_of(text)
    tail = max(0, len(text) - 80)
    shaped = None  # whether _FULL matches anywhere in text, looked for when first needed
    for cue in patterns:
        if cue.needs and cue.needs.isdisjoint(words):
            continue
        if cue.full_name_first:
            if shaped is None:
                shaped = _FULL_NAME.search(text) is not None
            if not shaped:
                continue
        if cue.opener is not None and not cue.opener.search(text):
            continue
        if cue.name_last and not _ends_in_capitalised_word(text):
            continue
        for m in cue.pattern.finditer(text, tail if cue.tail_only else 0):
            name = _trim(_QUOTED_NICK.sub(" ", m.group("name")), not_names)
            start = m.start("name")
            if not name or _TITLE_BEFORE.search(text, max(0, start - 12), start):
                continue
            lowered = name.lower()
            if lowered in practice or any(lowered in p or p in lowered for p in practice if " " in p):
                continue
            end = start + len(name) if m.group("name").startswith(name) else m.end("name")
            spans.append((start, end, "Contains a private person's full name."))
    spans.extend(_author_spans(text, context, taken))
    flags: list[FlagHit] = []
    for start, end, message in sorted(spans):
        if flags and start < flags[-1].end:
            continue
        flags.append(FlagHit("pii_name", "high", message, start, end))
    return flags


def _author_spans(text: str, context: AnalysisContext, taken: frozenset[str]) -> list[tuple[int, int, str]]:
    """The author's last name (with the first name before it, when there); taken: the practice's
    last names."""
    last = context.author_last_name.strip()
    if len(last) < 2:
        return []
    # Every match holds the last name itself (in some case when the writer does not capitalise): a
    # substring test rules most texts out before the scan.
    if is_mostly_lowercase(text):
        if text.isascii() and last.isascii() and last.lower() not in text.lower():
            return []
    elif last not in text:
        return []
    first = re.escape(context.author_first_name.strip()) if context.author_first_name.strip() else None
    full = rf"(?:{first}\s+)?{re.escape(last)}" if first else re.escape(last)
    # Lower-case writers write "jane smith"; otherwise only the capitalised surname counts.
    flags = re.IGNORECASE if is_mostly_lowercase(text) else 0
    out = []
    for m in re.finditer(rf"(?<![\w-]){full}(?![\w-])", text, flags):
        if _TITLE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if last.lower() in taken and not (first and m.group().lower().startswith(context.author_first_name.lower())):
            continue  # "Patel" is also Dr. Patel of the practice
        out.append((m.start(), m.end(), "Contains the author's last name."))
    return out
