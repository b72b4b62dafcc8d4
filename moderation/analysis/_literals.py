"""What literal text a regex's matches must hold, read from its parse tree: cheap tests that let a
cue skip a scan, or scan only from where a match can start.

Python's re tries a pattern that opens with \\b or a look-behind at every position of the text (it
finds no literal prefix or first-character set to skip ahead with); a cue pattern of that kind costs
15-50 us a text even where nothing matches. Substring tests (str.__contains__, str.find) run in C.

The tree comes from re._parser (sre_parse before Python 3.11), the parser re.compile itself uses; its
node kinds have not changed in twenty years. Anything unknown reads as "no hint" (a full scan), and
tests/moderation/analysis/test_literals.py pins the hints of the cue patterns we ship.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import Any

try:
    from re import _compiler, _parser
    from re import _constants as _c
except ImportError:  # pragma: no cover - another Python: no hints, every scan as before
    _parser = None

_LITERAL = None if _parser is None else _c.LITERAL
_REPEATS = () if _parser is None else (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = () if _parser is None else (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_MAX_CLAUSE = 24  # strings in one any-of test; a longer test costs more than the scans it saves
_MAX_PRODUCT = 27  # sets tried when joining alternatives' sets (3 each for 3 alternatives)

Clauses = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Hints:
    """needs: every match holds one string of each set (most telling set first). starts: pairs of
    a string and sets like needs', every match starting with one of the strings whose sets the text
    satisfies (None: not known)."""

    needs: Clauses
    starts: tuple[tuple[str, Clauses], ...] | None

    def may_match(self, text: str) -> bool:
        """False when text lacks a string every match holds (then the pattern finds nothing)."""
        return _holds(text, self.needs)

    def start_strings(self, text: str) -> list[str]:
        """The strings a match in text can start with (self.starts is not None)."""
        return [s for s, needs in self.starts if _holds(text, needs)]


def _holds(text: str, needs: Clauses) -> bool:
    """Whether text holds one string of each set."""
    return all(any(s in text for s in clause) for clause in needs)


NO_HINTS = Hints((), None)


def read(source: str, flags: int) -> tuple[Hints, Any]:
    """The literal hints of a pattern, and its parse tree for compile_tree() (None if there is none).

    The hints are in lower case: they hold for text.lower() wherever that lowers each character in
    place and none is one of _data.ASCII_FOLDING (a literal beyond ASCII gives no hint). In that
    copy a character matching an ASCII literal, case-sensitively or not, is the literal in lower
    case: a character beyond ASCII only matches an ASCII letter caselessly when it is one of
    ASCII_FOLDING."""
    if _parser is None:
        return NO_HINTS, None  # pragma: no cover
    try:
        tree = _parser.parse(source, flags)
        reader = _Reader()
        items = reader.runs(tree)
        needs = reader.needs(items)
        starts, empty = reader.starts(items)
    except Exception:  # a tree of a shape we do not know: no hints, a full scan
        return NO_HINTS, None
    if empty or starts is None:
        return Hints(_clauses(needs), None), tree
    return Hints(_clauses(needs), tuple(sorted((s, _clauses(n)) for s, n in starts))), tree


def compile_tree(tree: Any, source: str, flags: int) -> re.Pattern[str]:
    """re.compile(source, flags) from the tree read() parsed (re would parse the source again, and
    parsing is half the cost of compiling); its .pattern is None."""
    if tree is not None:
        try:
            return _compiler.compile(tree, flags)
        except Exception:  # another Python's compiler: parse again
            pass
    return re.compile(source, flags)


def _clauses(needs: list[frozenset[str]]) -> Clauses:
    """The sets of needs as sorted tuples, the most telling first, without repeats and without a
    set that holds another (a text holding one of the smaller set's strings holds one of its)."""
    unique = set(needs)
    kept = [c for c in unique if not any(d < c for d in unique)]
    return tuple(tuple(sorted(c)) for c in sorted(kept, key=lambda c: (-_rarity(c), sorted(c))))


class _Reader:
    """The walk over one parse tree, each node's results kept (alternatives are read twice: for
    what they hold and for how they start)."""

    def __init__(self) -> None:
        self._runs: dict[int, list] = {}
        self._needs: dict[int, list[frozenset[str]]] = {}

    def runs(self, sub: Any) -> list:
        """A sequence's items with each run of ASCII literals joined into one ("str", text) item,
        in lower case; a literal beyond ASCII becomes an unknown item."""
        key = id(sub)
        if key not in self._runs:
            out: list = []
            run: list[int] = []
            for op, av in sub.data:
                if op is _LITERAL and av < 128:
                    run.append(av)
                    continue
                if run:
                    out.append(("str", bytes(run).decode().lower()))
                    run = []
                out.append(("other", None) if op is _LITERAL else (op, av))
            if run:
                out.append(("str", bytes(run).decode().lower()))
            self._runs[key] = out
        return self._runs[key]

    def needs(self, items: list) -> list[frozenset[str]]:
        """Sets of strings such that every match of the items holds one string of each set."""
        clauses: list[frozenset[str]] = []
        for item in items:
            clauses += self._item_needs(*item)
        return [c for c in clauses if _rarity(c) >= 2]

    def _item_needs(self, op: Any, av: Any) -> list[frozenset[str]]:
        if op == "str":
            return [frozenset([av])]
        key = id(av)
        if key not in self._needs:
            needs: list[frozenset[str]] = []
            if op is _c.SUBPATTERN:
                needs = self.needs(self.runs(av[3]))
            elif op is _c.ATOMIC_GROUP:
                needs = self.needs(self.runs(av))
            elif op is _c.ASSERT:
                needs = self.needs(self.runs(av[1]))  # a look-around's text is in the text too
            elif op in _REPEATS and av[0] >= 1:
                needs = self.needs(self.runs(av[2]))
            elif op is _c.BRANCH:
                needs = self._either(av[1])
            self._needs[key] = needs
        return self._needs[key]

    def _either(self, alternatives: list) -> list[frozenset[str]]:
        """What every match of one of the alternatives holds: sets made of one set of each
        alternative, for as many choices as _MAX_PRODUCT allows (the most telling sets of each)."""
        needs = [sorted(self.needs(self.runs(alt)), key=_rarity, reverse=True) for alt in alternatives]
        if not all(needs):
            return []
        each = 1
        while (each + 1) ** len(needs) <= _MAX_PRODUCT:
            each += 1
        joined = {frozenset().union(*choice) for choice in product(*(n[:each] for n in needs))}
        return [c for c in joined if len(c) <= _MAX_CLAUSE]

    def starts(self, items: list) -> tuple[set[tuple[str, frozenset[frozenset[str]]]] | None, bool]:
        """(pairs of a string and what a match holds that opens with it: one of the strings opens
        every non-empty match of the items, or None when not known; whether they can match the
        empty string)."""
        found: set = set()
        for i, (op, av) in enumerate(items):
            if op == "str":
                return found | {(av, frozenset(self.needs(items[i:])))}, False
            if op in _ZERO_WIDTH:
                continue  # consumes nothing: the match starts at what follows
            if op is _c.SUBPATTERN:
                first, empty = self.starts(self.runs(av[3]))
            elif op is _c.ATOMIC_GROUP:
                first, empty = self.starts(self.runs(av))
            elif op is _c.BRANCH:
                alternatives = [self.starts(self.runs(alt)) for alt in av[1]]
                first = None if any(f is None for f, _ in alternatives) else set().union(*(f for f, _ in alternatives))
                empty = any(e for _, e in alternatives)
            elif op in _REPEATS:
                if av[1] == 0:
                    continue
                first, empty = self.starts(self.runs(av[2]))
                empty = empty or av[0] == 0
            else:
                return None, False  # a character class, any character, a back-reference…: unknown
            if first is None:
                return None, False
            found |= first
            if not empty:
                return found, False
        return found, True


@cache
def _rarity(clause: frozenset[str]) -> float:
    """How seldom a text holds one of the strings, roughly: the shortest string's length (see
    _string_rarity), less a little for each further string."""
    return min(map(_string_rarity, clause)) - 0.01 * len(clause)


@cache
def _string_rarity(s: str) -> int:
    """A string's length, where a space counts for nothing, a digit for two letters and a mark such
    as $ or % for six."""
    return sum(1 if ch.isalpha() else 0 if ch.isspace() else 2 if ch.isdigit() else 6 for ch in s)
