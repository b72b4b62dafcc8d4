"""profanity: strong swear words, also masked (f*ck) or in leetspeak (sh1t), compiled into one regex.

better-profanity checks its ~900-word list word by word per text (~80 ms); its list also holds
clinical words (anal, rectal, breast). A single compiled alternation over our own list of strong
words is both faster and safer for a physical-therapy practice.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache

from ._data import load_lines
from .results import FlagHit
from .text import byte_classes

_LEET = {"a": "@4", "b": "8", "e": "3", "g": "9", "i": "1!|l", "l": "1|", "o": "0", "s": "$5",
         "t": "7+", "u": "v"}
_MASK = "*#%@$!^&_"
_FINAL_MASK = "*#"  # a trailing "!" ends the sentence rather than masking a letter
# Inside a word, letters may be split by dots, dashes, underscores or an apostrophe ("sh'it").
_SEPARATOR = r"[._\-']?"
# Letters spaced out one by one ("f u c k", "s h i t"): collapsed and checked as one word.
_SPACED = re.compile(r"(?<![\w@$*!])(?:[A-Za-z@$*!0-9][ ]){2,}[A-Za-z@$*!0-9](?![\w@$*!])")
# Clipped forms that only make sense as a masked swear word: "f'ing", "f***in'", "effing".
_SPACED_HINT = re.compile(r" \S \S(?:[\s.,;:!?]|$)")  # starts with a literal space: a fast scan
_CLIPPED = re.compile(r"(?<![A-Za-z0-9])(?:f['*#]+(?:ing|in|n|en)|effing|effin)(?![A-Za-z0-9])", re.IGNORECASE)


def _letter_class(ch: str, *, final: bool) -> str:
    """Character class for one letter of a swear word: itself, leet look-alikes, mask marks."""
    masks = _FINAL_MASK if final else _MASK
    chars = set(ch + ch.upper() + _LEET.get(ch, "") + masks)
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]+"


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    """One regex for every listed form; built once per process."""
    words = sorted({w.lower() for w in load_lines("profanity.txt")}, key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for w in words:
        # Letters may be spaced out with dots, dashes or underscores: s.h.i.t, f-u-c-k.
        rest = "".join(_SEPARATOR + _letter_class(c, final=i == len(w) - 1) for i, c in enumerate(w) if i)
        by_first.setdefault(w[0], []).append(rest)
    # Grouped by first letter so the engine tries a dozen branches per word start, not fifty.
    groups = [_letter_class(first, final=False) + "(?:" + "|".join(rests) + ")"
              for first, rests in sorted(by_first.items())]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(groups) + r")(?![A-Za-z0-9])")


def _spaced_word(run: str) -> tuple[int, int] | None:
    """Offsets of a swear word spelled out letter by letter within run ("a f u c k up")."""
    letters = run.split(" ")
    for i in range(len(letters)):
        for j in range(len(letters), i + 2, -1):  # longest first, at least three letters
            if _matcher().fullmatch("".join(letters[i:j])):
                return 2 * i, 2 * j - 1
    return None


@lru_cache(maxsize=1)
def _spellings() -> frozenset[str]:
    """The listed words in plain letters, with v for u and l for i (look-alikes that are letters)."""
    words = {w.lower() for w in load_lines("profanity.txt")}
    return frozenset(words | {w.replace("u", "v") for w in words} | {w.replace("i", "l") for w in words})


_SEPARATORS = "'._-"
_DELETE_SEPARATORS = str.maketrans("", "", _SEPARATORS)
_EDGES = ".,;:!?\"()[]{}"
# A token where a mark or digit touches a letter (b!tch, a$$, sh1t, @ss): masked and leet forms hide there.
_MARK_BY_LETTER = re.compile(r"[A-Za-z][*#%@$^&0-9|+]|[*#%@$^&0-9|+!][A-Za-z]")
_SPACE = re.compile(r"\s")
_LETTER_BYTES = byte_classes({c: c for c in string.ascii_lowercase})
# Letters, _MARK_BY_LETTER's marks and "!" (a mark only before a letter), each as one byte.
_MARK_BYTES = byte_classes({"a": string.ascii_letters, "*": "*#%@$^&0123456789|+", "!": "!"})


def _runs(low: bytes, *, joined: bool) -> list[str]:
    """The [a-z]+ runs of a lower-cased text's bytes, split in C; with joined, of the text without the
    separators, where runs joined by them (s.h.i.t, sh'it) come out as one word."""
    return low.translate(_LETTER_BYTES, _SEPARATORS.encode() if joined else b"").decode().split()


_MARK_BY_LETTER_KINDS = (b"a*", b"*a", b"!a")  # _MARK_BY_LETTER's two branches over _MARK_BYTES' kinds


def _marks_by_letter(text: str) -> list[int]:
    """Where _MARK_BY_LETTER matches, overlapping places included, in order: the first character's
    offset. Found by substring searches on the bytes mapped to kinds, in C: re cannot skip ahead
    in a scan with a pattern that starts with a class, and this one runs over every text."""
    kinds = text.encode().translate(_MARK_BYTES)
    if not text.isascii():
        # Byte offsets are not character offsets: the kinds only tell whether to scan (a character
        # beyond ASCII is a space there, as it matches neither class).
        if any(kind in kinds for kind in _MARK_BY_LETTER_KINDS):
            return [m.start() for m in _MARK_BY_LETTER.finditer(text)]
        return []
    starts = []
    for kind in _MARK_BY_LETTER_KINDS:
        at = kinds.find(kind)
        while at >= 0:
            starts.append(at)
            at = kinds.find(kind, at + 1)
    return sorted(starts)


# Letters and digits as the letter they stand for in a swear word (i for l, u for v, as the leet
# classes allow); 2 and 6 stand for none.
_CANONICAL = str.maketrans(string.ascii_uppercase + "lv4389105726",
                           string.ascii_lowercase.replace("l", "i").replace("v", "u") + "iuaebgiost##")
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=1)
def _word_pieces() -> frozenset[str]:
    """Every stretch of a listed word in canonical letters, repeated letters written once."""
    pieces = set()
    for word in load_lines("profanity.txt"):
        word = _REPEATS.sub(r"\1", word.lower().translate(_CANONICAL))
        pieces.update(word[i:j] for i in range(len(word)) for j in range(i + 1, len(word) + 1))
    return frozenset(pieces)


@lru_cache(maxsize=4096)  # tokens repeat: most are the corpora's "@anonymous"
def _may_hold_word(token: str) -> bool:
    """False when no match of the matcher in token can be kept (as profanity_flags keeps them).

    A kept match holds a letter, and a match takes in whole every run of letters and digits it
    touches (it starts and ends beside no letter or digit). Inside such a run each character is in
    the class of a letter of the word, in the word's order, each letter once or more: so the run,
    in canonical letters with repeats written once, is a stretch of the word. Most tokens where a
    mark or digit touches a letter (@anonymous, mp3, 20th) have no such run: the regex is skipped."""
    pieces = _word_pieces()
    return any(_REPEATS.sub(r"\1", run.translate(_CANONICAL)) in pieces
               for run in _ALNUM_RUN.findall(token) if not run.isdigit())


def _candidates(text: str) -> list[re.Match[str]]:
    """Matches of the full matcher, tried only where a swear word can be.

    Scanning every text with the ~50-branch regex is the slow part. Words of plain letters are a
    set look-up; words split by apostrophes, dots or dashes (sh'it, s.h.i.t) are looked up with the
    separators removed; only tokens where a mark or digit touches a letter go through the regex."""
    low = text.lower()
    spellings = _spellings()
    raw = low.encode()
    # A token can only reach a listed word through the separators when letters run on both sides of
    # one (sh'it, s.h.i.t): otherwise its letters are a plain run the first test has seen. So the
    # token-by-token test runs only when such a joined run spells a listed word. With the separators
    # removed, the runs are the plain runs not touching a separator and the joined runs' letters:
    # once no plain run is listed, none of these is listed exactly when no joined run spells one.
    whole = not spellings.isdisjoint(_runs(raw, joined=False)) or (
        not spellings.isdisjoint(_runs(raw, joined=True))
        and any(token.strip(_EDGES).translate(_DELETE_SEPARATORS) in spellings
                for token in set(low.split()) if not token.isalpha()))
    if whole:
        return list(_matcher().finditer(text))
    found: dict[tuple[int, int], re.Match[str]] = {}
    end = 0
    for at in _marks_by_letter(text):
        if at < end:
            # A place in the token just scanned (no whitespace between them): the same token again,
            # as a place overlapping a match of _MARK_BY_LETTER.finditer is.
            continue
        space = _SPACE.search(text, at + 2)
        start = max(text.rfind(c, 0, at) for c in " \n\t") + 1
        end = space.start() if space else len(text)
        if _may_hold_word(text[start:end]):
            found.update((m.span(), m) for m in _matcher().finditer(text, start, end))
    return [found[span] for span in sorted(found)]


def profanity_flags(text: str) -> list[FlagHit]:
    """A profanity flag for each strong swear word, however spelled."""
    low = text.lower()
    # Both scans below start with a character class, which re cannot skip ahead to; plain
    # substring tests clear most texts first.
    clipped = "f'" in low or "f*" in low or "f#" in low or "effin" in low
    flags = [FlagHit("profanity", "medium", "Contains profanity.", m.start(), m.end())
             for m in (_CLIPPED.finditer(text) if clipped else ())]
    for m in _SPACED.finditer(text) if _SPACED_HINT.search(text) else ():
        span = _spaced_word(m.group())
        if span:
            flags.append(FlagHit("profanity", "medium", "Contains profanity.", m.start() + span[0],
                                 m.start() + span[1]))
    for m in _candidates(text):
        word = m.group()
        # A run of marks ("**", "$$$") is not a word: it needs a leading letter or two letters.
        if not word[0].isalpha() and sum(c.isalpha() for c in word) < 2:
            continue
        if any(f.start <= m.start() < f.end for f in flags):
            continue
        flags.append(FlagHit("profanity", "medium", "Contains profanity.", m.start(), m.end()))
    return sorted(flags, key=lambda f: f.start)
