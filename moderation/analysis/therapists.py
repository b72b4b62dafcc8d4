"""therapists_mentioned: names in the text resolved to the practice's therapists.

Full names and "Dr. <last name>" identify a therapist outright. A first name or nickname ("Bri")
may fit several; then the therapists of the clinic the patient chose win, and a name still
ambiguous after that is left out rather than guessed. A first name that is also an ordinary word
("Will", "Grace") and a short form cut from a long name ("Just" of Justin) count only when written
capitalised: in a lower-case text "will" and "just" are words, not people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_json, lowered_in_place, words_of
from .results import AnalysisContext, TherapistRef
from .text import is_mostly_lowercase

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+")
_CHUNKS = re.compile(r"\S+")
_NOT_WORD = re.compile(r"\W")
_AFTER_APOSTROPHE = re.compile(r"'(\w+)")  # run on reversed text too: the word before an apostrophe
_NEXT_CAPITALISED = re.compile(r"[ \t]+([A-Z][a-z]+)")


def _key(alias: str) -> str:
    """How an alias is looked up: case-folded, single spaces, no full stops."""
    return _SPACES.sub(" ", alias.replace(".", "")).strip().casefold()


@lru_cache(maxsize=1)
def _nicknames() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """Formal first name → nicknames, and every formal name the table knows."""
    table = load_json("people.json")["nicknames"]
    return {k.casefold(): tuple(v) for k, v in table.items()}, frozenset(k.casefold() for k in table)


def _short_forms(first: str) -> set[str]:
    """Nicknames from the table, plus leading parts of a long name that are not names themselves."""
    table, known = _nicknames()
    forms = set(table.get(first.casefold(), ()))
    for n in range(3, 6):
        prefix = first[:n]
        if len(first) >= n + 2 and prefix.casefold() not in known:
            forms.add(prefix)
    return forms


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """First names that are also ordinary words (a named word class in people.json)."""
    return frozenset(w.casefold() for w in load_json("people.json")["ordinary_word_names"])


class _Match:
    """A span the alias regex would match, read as an re.Match is (start(), end(), span(), group())."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self) -> str:
        return self._text[self._start:self._end]


def _is_word(char: str) -> bool:
    """re's \\w for one character of a str (checked for every code point)."""
    return char.isalnum() or char == "_"


def _standing_alone(text: str, word: str) -> list[int]:
    """Where word (a \\w+ word) stands in text as a whole \\w+ word, found by str.find."""
    found = []
    at = text.find(word)
    while at >= 0:
        after = at + len(word)
        if (at == 0 or not _is_word(text[at - 1])) and (after == len(text) or not _is_word(text[after])):
            found.append(at)
        at = text.find(word, after)
    return found


def _words_among(text: str, words: frozenset[str], backwards: frozenset[str]) -> frozenset[str]:
    """Those of words (lower case, \\w+; backwards: each reversed) that are \\w+ words of an ASCII
    text, lowered: found among the lowered [\\w']+ words the other detectors have listed already
    (words_of, cached) and, when there are apostrophes, the words next to them (those before one
    as the words after one in the reversed text), instead of a scan of every word (~25 us for the
    long texts that name someone)."""
    present = words.intersection(words_of(text))
    if "'" not in text:
        return present
    lowered = lowered_in_place(text)
    before = backwards.intersection(_AFTER_APOSTROPHE.findall(lowered[::-1]))
    return present.union(words.intersection(_AFTER_APOSTROPHE.findall(lowered)), (w[::-1] for w in before))


class _Aliases:
    r"""The aliases of one practice's therapists, matched the way one regex of all of them would be.

    That regex, `(?<![\w.])(?:alias|alias|…)(?![\w])` with the longest alias first and the words of
    an alias joined by \s+, takes ~30 ms to compile for ~200 names and is slow to scan with. A match
    can only start at a word that begins some alias (the look-behind keeps it from starting inside
    a word), and at such a word the first alias in that order whose words are there wins. As no
    alias word holds whitespace, alias words w1…wn are there when the text's next n whitespace-
    separated chunks are w1…wn-1 and one that starts with wn where no word character follows it:
    a few dictionary look-ups instead of a regex. That is exact for any text when matching with
    case (re's \s and \w are str.isspace and str.isalnum or "_", checked for every code point);
    caseless, for ASCII aliases in a text without the few characters beyond ASCII that IGNORECASE
    equates with an ASCII letter (_data.ASCII_FOLDING): then a lowered chunk equals a lowered ASCII
    alias word only where re's caseless match finds it, and lowering keeps offsets (both checked
    for every code point). Aliases caseless and beyond ASCII are tried with a regex of just the
    aliases of their first word; texts with those few characters, with the whole regex (~30 ms).
    """

    def __init__(self, names: set[str], flags: int, gate: frozenset[str]) -> None:
        self.ordered = sorted(names, key=len, reverse=True)
        self.flags = flags
        self.gate = gate  # first words (as written, or case-folded): a text with none names nobody
        self.lowered_gate = frozenset(word.lower() for word in gate)  # for names_nobody
        self.lowered_gate_backwards = frozenset(word[::-1] for word in self.lowered_gate)
        self.fold = fold = bool(flags & re.IGNORECASE)
        groups: dict[str, list[str]] = {}
        rank: dict[tuple[str, ...], int] = {}  # an alias's words → its place in the order (the first wins)
        for i, alias in enumerate(self.ordered):
            first = _TOKEN.match(alias)
            if first is not None:
                groups.setdefault(first.group().lower() if fold else first.group(), []).append(alias)
            rank.setdefault(tuple((alias.lower() if fold else alias).split()), i)
        # Trying words only is exact when every alias starts with a word character and, for the
        # caseless twin, lower-casing an ASCII word gives its first word's key.
        self.by_word_exact = all(_TOKEN.match(a) for a in names) and (
            not fold or all(word.isascii() for word in groups))
        self.groups = groups
        # lowered first word → the first words it lowers from, for ASCII texts' lowered words
        self.keys_by_lower: dict[str, list[str]] = {}
        for key in groups:
            self.keys_by_lower.setdefault(key.lower(), []).append(key)
        self.lowered_keys = frozenset(self.keys_by_lower)
        self.lowered_keys_backwards = frozenset(word[::-1] for word in self.lowered_keys)
        self.gate_by_lower: dict[str, list[str]] = {}
        for word in gate:
            self.gate_by_lower.setdefault(word.lower(), []).append(word)
        self.rank = rank
        self.leading = frozenset(words[:n] for words in rank for n in range(1, len(words)))
        # first words whose aliases are matched by regex: caseless ones with an alias beyond ASCII
        self.by_regex = frozenset(key for key, group in groups.items()
                                  if fold and not all(a.isascii() for a in group))
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._whole: re.Pattern[str] | None = None

    def names_nobody(self, text: str) -> bool:
        """True when text holds none of the gate words as a \\w+ word (as written, or case-folded
        for the caseless twin); then no alias can match."""
        if text.isascii():
            # A text without a lowered gate word among its lowered words holds no gate word (~70%
            # of texts). Case-folded, each one there is a gate word there (a case-folded gate word
            # lowering to ASCII is ASCII and lower case); as written, it is one when one of the gate
            # words it lowers from stands in the text as a word.
            present = _words_among(text, self.lowered_gate, self.lowered_gate_backwards)
            if self.fold or not present:
                return not present
            return not any(_standing_alone(text, word) for low in present for word in self.gate_by_lower[low])
        return self.gate.isdisjoint(_TOKEN.findall(text.casefold() if self.fold else text))

    def _pattern(self, names: list[str]) -> re.Pattern[str]:
        parts = [r"\s+".join(re.escape(w) for w in a.split()) for a in names]
        return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])", self.flags)

    def finditer(self, text: str) -> list[re.Match[str] | _Match]:
        """The matches of the whole alias regex in text, left to right and not overlapping."""
        scan = lowered_in_place(text) if self.fold else text  # offsets into it are offsets into text
        if not self.by_word_exact or scan is None:
            if self._whole is None:
                self._whole = self._pattern(self.ordered)
            return list(self._whole.finditer(text))
        # Where the words that begin an alias stand, found by str.find of those among the text's
        # words: a Python loop over every word of the text would cost more than all the rest.
        if text.isascii():
            present = [key for low in _words_among(text, self.lowered_keys, self.lowered_keys_backwards)
                       for key in self.keys_by_lower[low]]
        else:
            present = self.groups.keys() & set(_TOKEN.findall(scan))
        starts = sorted((at, key) for key in present for at in _standing_alone(scan, key))
        matches: list[re.Match[str] | _Match] = []
        end = 0
        for at, key in starts:
            if at < end:
                continue
            if key in self.by_regex:
                pattern = self._compiled.get(key)
                if pattern is None:
                    pattern = self._compiled[key] = self._pattern(self.groups[key])
                m = pattern.match(text, at)
            else:
                m = self._match_at(text, scan, at)
            if m is not None:
                matches.append(m)
                end = m.end()
        return matches

    def _match_at(self, text: str, scan: str, at: int) -> _Match | None:
        """The match starting at a word that begins an alias: the first alias in order whose words
        are the next chunks of scan (text, or text lowered for the caseless twin)."""
        if at and scan[at - 1] == ".":
            return None
        best, stop = len(self.ordered), 0
        before: tuple[str, ...] = ()
        for chunk in _CHUNKS.finditer(scan, at):
            word = chunk.group()
            # The last alias word may end where the chunk does or before any non-word character.
            for cut in [*(m.start() for m in _NOT_WORD.finditer(word, 1)), len(word)]:
                rank = self.rank.get((*before, word[:cut]), best)
                if rank < best:
                    best, stop = rank, chunk.start() + cut
            before = (*before, word)
            if before not in self.leading:
                break
        return _Match(text, at, stop) if stop else None


_by_identity: dict[int, tuple[tuple[TherapistRef, ...], tuple]] = {}


def _index_of(therapists: tuple[TherapistRef, ...]) -> tuple:
    """_index for this tuple, found by identity: the worker passes the same tuple for a minute, and
    hashing ~50 dataclasses for an lru_cache key on every text costs more than the look-up saves."""
    entry = _by_identity.get(id(therapists))
    if entry is None or entry[0] is not therapists:
        if len(_by_identity) > 32:
            _by_identity.clear()
        entry = (therapists, _index(therapists))
        _by_identity[id(therapists)] = entry
    return entry[1]


@lru_cache(maxsize=64)
def _index(therapists: tuple[TherapistRef, ...]) -> tuple[_Aliases | None, _Aliases | None,
                                                           dict[str, list[tuple[str, bool]]]]:
    """The aliases as written, their case-insensitive twin for lower-case writers, and
    alias → [(slug, identifies outright)]."""
    aliases: dict[str, list[tuple[str, bool]]] = {}
    raw: set[str] = set()
    caseless: set[str] = set()  # aliases a lower-case writer may use: full names, real names, nicknames

    def add(alias: str, slug: str, strong: bool, *, any_case: bool = True) -> None:
        if alias.strip():
            raw.add(alias)
            if any_case and (strong or alias.casefold() not in _ordinary_words()):
                caseless.add(alias)
            aliases.setdefault(_key(alias), []).append((slug, strong))

    for t in therapists:
        firsts = {t.first_name, *t.nicknames}
        for first in firsts:
            add(f"{first} {t.last_name}", t.slug, True)
            add(first, t.slug, False)
        for title in ("Dr.", "Dr", "Doctor"):
            add(f"{title} {t.last_name}", t.slug, True)
            add(f"{title} {t.first_name} {t.last_name}", t.slug, True)
        table = set(_nicknames()[0].get(t.first_name.casefold(), ()))
        for short in _short_forms(t.first_name) - firsts:
            # A known nickname ("Mike") is a name in any case; a cut-off prefix only capitalised.
            add(short, t.slug, False, any_case=short in table)
    # The first word of every alias, as written (the case-sensitive pattern) and case-folded (the
    # caseless one): a text holding none of them mentions nobody, settled by a set look-up instead
    # of a scan with a regex of ~200 names.
    exact = frozenset(_TOKEN.findall(a)[0] for a in raw if _TOKEN.search(a))
    folded = frozenset(_TOKEN.findall(_key(a))[0] for a in caseless if _TOKEN.search(_key(a)))
    return (_Aliases(raw, 0, exact) if raw else None,
            _Aliases(caseless, re.IGNORECASE, folded) if caseless else None, aliases)


def therapists_mentioned(text: str, context: AnalysisContext) -> tuple[str, ...]:
    """Slugs of the therapists the text names, in order of first mention."""
    pattern, caseless, aliases = _index_of(context.therapists)
    lower = is_mostly_lowercase(text)
    matcher = caseless if lower else pattern
    if matcher is None:
        return ()
    if matcher.names_nobody(text):
        return ()
    matches = matcher.finditer(text)
    strong_at: dict[str, int] = {}
    weak: list[tuple[int, list[str]]] = []
    for m in matches:
        entries = aliases.get(_key(m.group()), [])
        strong = [slug for slug, s in entries if s]
        if strong:
            for slug in strong:
                strong_at.setdefault(slug, m.start())
            continue
        if m.group()[0].islower() and _key(m.group()) in _ordinary_words():
            continue  # "will", "grace": a word, unless the writer capitalised it
        after = None if lower else _NEXT_CAPITALISED.match(text, m.end())
        if after and _key(f"{m.group()} {after.group(1)}") not in aliases and len(after.group(1)) > 2:
            continue  # "Mike Brennan" is somebody else than therapist Mike
        weak.append((m.start(), sorted({slug for slug, _ in entries})))
    first_at = dict(strong_at)
    at_clinic = {t.slug for t in context.therapists if context.location_slug in t.location_slugs} if weak else set()
    for position, candidates in weak:
        if any(c in strong_at for c in candidates):
            continue  # the full name elsewhere in the text already says who
        preferred = [c for c in candidates if c in at_clinic] or candidates
        if len(preferred) == 1:
            first_at[preferred[0]] = min(position, first_at.get(preferred[0], position))
    return tuple(sorted(first_at, key=lambda slug: (first_at[slug], slug)))
