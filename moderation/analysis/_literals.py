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

from dataclasses import dataclass
from itertools import product

try:
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - another Python: no hints, every scan as before
    _parser = None

_REPEATS = () if _parser is None else (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = () if _parser is None else (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_MAX_CLAUSE = 24  # strings in one any-of test; a longer test costs more than the scans it saves


@dataclass(frozen=True, slots=True)
class Hints:
    """needs: every match holds one string of each set (most telling set first). starts: pairs of
    a string and sets like needs', every match starting with one of the strings whose sets the text
    satisfies (None: not known)."""

    needs: tuple[tuple[str, ...], ...]
    starts: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] | None

    def may_match(self, text: str) -> bool:
        """False when text lacks a string every match holds (then the pattern finds nothing)."""
        return _holds(text, self.needs)

    def start_strings(self, text: str) -> list[str]:
        """The strings a match in text can start with (self.starts is not None)."""
        return [s for s, needs in self.starts if _holds(text, needs)]


def _holds(text: str, needs: tuple[tuple[str, ...], ...]) -> bool:
    """Whether text holds one string of each set."""
    return all(any(s in text for s in clause) for clause in needs)


NO_HINTS = Hints((), None)


def hints(source: str, flags: int) -> Hints:
    """The literal hints of a pattern, in lower case: they hold for text.lower() wherever that
    lowers each character in place and none is one of _data.ASCII_FOLDING (a literal beyond ASCII
    gives no hint). In that copy a character matching an ASCII literal, case-sensitively or not,
    is the literal in lower case: a character beyond ASCII only matches an ASCII letter caselessly
    when it is one of ASCII_FOLDING."""
    if _parser is None:
        return NO_HINTS  # pragma: no cover
    try:
        tree = list(_parser.parse(source, flags))
        needs = _needs(tree)
        starts, empty = _starts(tree)
    except Exception:  # a tree of a shape we do not know: no hints, a full scan
        return NO_HINTS
    if empty or starts is None or any(not s for s, _ in starts):
        starts = None
    else:
        starts = tuple(sorted((s, _clauses(n)) for s, n in starts))
    return Hints(_clauses(needs), starts)


def _clauses(needs: list[frozenset[str]]) -> tuple[tuple[str, ...], ...]:
    """The sets of needs as sorted tuples, without repeats, the most telling first."""
    return tuple(tuple(sorted(c)) for c in sorted(set(needs), key=lambda c: (-_rarity(c), sorted(c))))


def _runs(items: list) -> list:
    """The items with each run of consecutive ASCII literals joined into one ("str", text) item, in
    lower case; a literal beyond ASCII becomes an unknown item."""
    out: list = []
    for op, av in items:
        if op is _c.LITERAL and av < 128:
            if out and out[-1][0] == "str":
                out[-1] = ("str", out[-1][1] + chr(av).lower())
            else:
                out.append(("str", chr(av).lower()))
        elif op is _c.LITERAL:
            out.append(("other", None))
        else:
            out.append((op, av))
    return out


def _starts(items: list) -> tuple[set[tuple[str, frozenset[frozenset[str]]]] | None, bool]:
    """(pairs of a string and what a match holds that opens with it: one of the strings opens every
    non-empty match of the sequence, or None when not known; whether it can match the empty string)."""
    found: set = set()
    items = _runs(items)
    for i, (op, av) in enumerate(items):
        if op == "str":
            return found | {(av, frozenset(_needs(items[i:], joined=True)))}, False
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the match starts at what follows
        if op is _c.SUBPATTERN:
            first, empty = _starts(list(av[3]))
        elif op is _c.ATOMIC_GROUP:
            first, empty = _starts(list(av))
        elif op is _c.BRANCH:
            alternatives = [_starts(list(alt)) for alt in av[1]]
            first = None if any(f is None for f, _ in alternatives) else set().union(*(f for f, _ in alternatives))
            empty = any(e for _, e in alternatives)
        elif op in _REPEATS:
            if av[1] == 0:
                continue
            first, empty = _starts(list(av[2]))
            empty = empty or av[0] == 0
        else:
            return None, False  # a character class, any character, a back-reference…: unknown
        if first is None:
            return None, False
        found |= first
        if not empty:
            return found, False
    return found, True


_MAX_PRODUCT = 27  # sets tried when joining alternatives' sets (3 each for 3 alternatives)


def _needs(items: list, *, joined: bool = False) -> list[frozenset[str]]:
    """Sets of strings such that every match of the sequence holds one string of each set (items
    already passed through _runs with joined)."""
    clauses: list[frozenset[str]] = []
    for op, av in items if joined else _runs(items):
        if op == "str":
            clauses.append(frozenset([av]))
        elif op is _c.SUBPATTERN:
            clauses += _needs(list(av[3]))
        elif op is _c.ATOMIC_GROUP:
            clauses += _needs(list(av))
        elif op is _c.ASSERT:
            clauses += _needs(list(av[1]))  # a look-ahead or look-behind's text is in the text too
        elif op in _REPEATS and av[0] >= 1:
            clauses += _needs(list(av[2]))
        elif op is _c.BRANCH:
            clauses += _either(av[1])
    return [c for c in clauses if _rarity(c) >= 2]


def _either(alternatives: list) -> list[frozenset[str]]:
    """What every match of one of the alternatives holds: a set made of one set of each
    alternative, for as many choices as _MAX_PRODUCT allows (the most telling sets of each)."""
    needs = [sorted(_needs(list(alt)), key=_rarity, reverse=True) for alt in alternatives]
    if not all(needs):
        return []
    each = 1
    while (each + 1) ** len(needs) <= _MAX_PRODUCT:
        each += 1
    joined = {frozenset().union(*choice) for choice in product(*(n[:each] for n in needs))}
    return [c for c in joined if len(c) <= _MAX_CLAUSE]


def _rarity(clause: frozenset[str]) -> float:
    """How seldom a text holds one of the strings, roughly: the shortest string's length (a space
    counts for nothing, a digit for two letters, a mark such as $ or % for six), less a little for
    each further string."""
    return min(sum(1 if ch.isalpha() else 0 if ch.isspace() else 2 if ch.isdigit() else 6 for ch in s)
               for s in clause) - 0.01 * len(clause)
