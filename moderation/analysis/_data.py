"""Loading the vocabularies kept as data files in moderation/data/."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from . import _literals
from .text import ascii_lowering_bytes

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load_json(name: str) -> Any:
    """Parse one JSON data file (cached: the files never change within a process)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a text data file."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        lines = (line.strip() for line in fh)
        return tuple(line for line in lines if line and not line.startswith("#"))


_WORDS = re.compile(r"[\w']+")
# For ASCII text: split on spaces, the translated text gives the [\w']+ words of text.lower().
ASCII_WORD_BYTES = ascii_lowering_bytes("_'")


@lru_cache(maxsize=4)
def word_list(text: str) -> list[str]:
    """Lower-cased [\\w']+ words of a text in order (cached: several detectors ask for the same
    text's words; do not change the list)."""
    if text.isascii():
        return text.encode().translate(ASCII_WORD_BYTES).decode().split()
    return _WORDS.findall(text.lower())


@lru_cache(maxsize=4)
def words_of(text: str) -> frozenset[str]:
    """Lower-cased words of a text, for the trigger-word checks of Cue (cached: several detectors
    ask for the same text's words)."""
    return frozenset(word_list(text))


# The only characters beyond ASCII that re's IGNORECASE takes for ASCII letters (İ ı ſ K, found by
# trying every code point).
ASCII_FOLDING = ("\u0130", "\u0131", "\u017f", "\u212a")


def folds_to_ascii(text: str) -> bool:
    """Whether caseless matching may take a character of text for an ASCII letter it does not lower to."""
    return not text.isascii() and any(c in text for c in ASCII_FOLDING)


@lru_cache(maxsize=4)
def lowered_in_place(text: str) -> str | None:
    """text.lower() when each character lowers to one (offsets into it are offsets into text) and
    none is one of ASCII_FOLDING; else None (cached: every cue of a text asks)."""
    lowered = text.lower()
    if text.isascii() or (len(lowered) == len(text) and not folds_to_ascii(text)):
        return lowered
    return None


# What a pattern's source may not hold for its case-sensitive twin to match lower-cased ASCII text
# as the caseless pattern matches the text: characters written as escapes (\x41, \101, \u0041,
# backreferences) and inline flags, which could bring an upper-case letter or case rules back in.
_CASE_UNSAFE = re.compile(r"\\[0-9xuUN]|\(\?[aiLmsux-]")


def _has_lower_case_twin(source: str, flags: int) -> bool:
    r"""Whether the pattern without IGNORECASE finds the same spans in lowered_in_place(text).

    A caseless pattern written wholly in ASCII lower case (so no upper-case letter, range or \B \S
    \W \D) finds the same spans in a text as without IGNORECASE in lowered_in_place(text): its
    letters and other characters equal only themselves in that copy, a character beyond ASCII
    equals none of them either way (ASCII_FOLDING excluded), and \b \d \s \w and . say the same of a
    character and of its lower case (checked for every code point). It scans 2-3x faster (re
    tries a caseless pattern's every character both ways at every position)."""
    return bool(flags & re.IGNORECASE) and source.isascii() and source == source.lower() \
        and not _CASE_UNSAFE.search(source)


_MAX_STARTS = 32  # past this many places to try, one scan of the whole text costs less


def _match_starts(text: str, starts: list[str]) -> list[int] | None:
    """The sorted places where one of starts occurs in text; None past _MAX_STARTS of them."""
    found: set[int] = set()
    for s in starts:
        at = text.find(s)
        while at >= 0:
            found.add(at)
            if len(found) > _MAX_STARTS:
                return None
            at = text.find(s, at + 1)
    return sorted(found)


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """pattern.finditer(text) for a pattern that can only match non-empty text from these places:
    finditer takes the first place at or after the last match's end where the pattern matches."""
    matches = []
    end = 0
    for at in starts:
        if at >= end:
            m = pattern.match(text, at)
            if m is not None:
                matches.append(m)
                end = m.end()
    return matches


class Cue:
    """A regex tried only when one of its trigger words is present.

    Python's re scans every character for every pattern; a set intersection first lets a text
    skip the dozens of cue patterns that cannot match it. The patterns are compiled when first
    needed: most texts never need most cues.

    With hinted, for cues scanned over whole texts: a text that holds a trigger word but not a
    literal every match holds skips the scan too, and a pattern whose matches open with one of a
    few literals is tried only where they occur (see _literals). Reading those literals costs about
    what compiling the pattern costs, once: short sentences do not repay it.
    """

    __slots__ = ("_flags", "_hints", "_lower", "_pattern", "_source", "_tree", "_twin", "any", "weight")

    def __init__(self, spec: dict, *, flags: int = re.IGNORECASE, pattern: str | None = None,
                 hinted: bool = False) -> None:
        self.any = frozenset(w.lower() for w in spec.get("any", ()))
        self._source = pattern if pattern is not None else spec["re"]
        self._flags = flags
        self._pattern: re.Pattern[str] | None = None
        # whether it scans lowered text with a twin without IGNORECASE (see _has_lower_case_twin),
        # and that twin, compiled when first needed
        self._lower = _has_lower_case_twin(self._source, flags)
        self._twin: re.Pattern[str] | None = None
        # the literal hints: None until read (without hinted, NO_HINTS at once)
        self._hints: _literals.Hints | None = None if hinted else _literals.NO_HINTS
        self._tree: object = None  # the parse tree read with the hints, until compiled
        self.weight = float(spec.get("weight", 0.0))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled pattern, as given (from the tree read with the hints, when there is no twin)."""
        if self._pattern is None:
            self._pattern = _literals.compile_tree(None if self._lower else self._tree, self._source, self._flags)
            if not self._lower:
                self._tree = None
        return self._pattern

    def applies(self, words: set[str]) -> bool:
        """True when the text's words make a match possible."""
        return not self.any or not self.any.isdisjoint(words)

    def _scanner(self) -> re.Pattern[str]:
        """The twin (self._lower), compiled when first needed from the tree read with the hints, if any."""
        if self._twin is None:
            self._twin = _literals.compile_tree(self._tree, self._source, self._flags & ~re.IGNORECASE)
            self._tree = None
        return self._twin

    def _matches(self, text: str, *, first: bool) -> Iterator[re.Match[str]] | list[re.Match[str]]:
        """self.pattern.finditer(text)'s matches, with the same spans (a match's group() may be
        lower-cased); with first, only the first of them (or none)."""
        lowered = lowered_in_place(text)
        if lowered is None:
            return self.pattern.finditer(text)
        if self._hints is None:
            flags = self._flags & ~re.IGNORECASE if self._lower else self._flags
            self._hints, self._tree = _literals.read(self._source, flags)
        if not self._hints.may_match(lowered):
            return []  # lacks a literal every match holds (most texts that hold a trigger word)
        pattern, scanned = (self._scanner(), lowered) if self._lower else (self.pattern, text)
        if self._hints.starts is not None:
            starts = _match_starts(lowered, self._hints.start_strings(lowered))
            if starts is not None:
                return _matches_at(pattern, scanned, starts)
        if first:
            m = pattern.search(scanned)
            return [] if m is None else [m]
        return pattern.finditer(scanned)

    def _scan(self, text: str) -> tuple[re.Pattern[str], str]:
        """The pattern to scan with and the text to scan, for a cue without hints: a caseless
        pattern written in lower case scans the lower-cased text instead, with the same spans."""
        if self._lower:
            lowered = lowered_in_place(text)
            if lowered is not None:
                return self._scanner(), lowered
        return self.pattern, text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """self.pattern.finditer(text), with the same spans (a match's group() may be lower-cased):
        a caseless pattern written in lower case scans the lower-cased text (see
        _has_lower_case_twin)."""
        if self._hints is _literals.NO_HINTS:
            pattern, scanned = self._scan(text)
            return pattern.finditer(scanned)
        return iter(self._matches(text, first=False))

    def search(self, text: str) -> re.Match[str] | None:
        """self.pattern.search(text), with the same span (its group() may be lower-cased)."""
        if self._hints is _literals.NO_HINTS:
            pattern, scanned = self._scan(text)
            return pattern.search(scanned)
        return next(iter(self._matches(text, first=True)), None)


class CueSet:
    """Cues in their order, with an index from trigger word to cue: the cues a text's words make
    possible are found by one set intersection instead of a test per cue (the same cues as
    [c for c in cues if c.applies(words)])."""

    __slots__ = ("_always", "_by_word", "_chosen", "_triggers", "cues")

    def __init__(self, cues: Iterable[Cue]) -> None:
        self.cues = tuple(cues)
        self._always = tuple(cue for cue in self.cues if not cue.any)
        self._by_word: dict[str, list[int]] = {}
        for i, cue in enumerate(self.cues):
            for word in cue.any:
                self._by_word.setdefault(word, []).append(i)
        self._triggers = frozenset(self._by_word)
        self._chosen: dict[frozenset[str], tuple[Cue, ...]] = {}

    def applicable(self, words: AbstractSet[str]) -> tuple[Cue, ...]:
        """The cues that apply to a text with these words, in order (kept per set of trigger words
        present: the same few combinations recur)."""
        present = self._triggers.intersection(words)
        if not present:
            return self._always  # most texts and sentences
        chosen = self._chosen.get(present)
        if chosen is None:
            if len(self._chosen) >= 1024:
                self._chosen.clear()
            indexes = {i for i, cue in enumerate(self.cues) if not cue.any}
            for word in present:
                indexes.update(self._by_word[word])
            chosen = self._chosen[present] = tuple(self.cues[i] for i in sorted(indexes))
        return chosen
