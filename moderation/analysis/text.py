"""Text helpers shared by the detectors: quote normalisation and sentence spans."""
from __future__ import annotations

import re
import string
from functools import lru_cache

# One character for one, so offsets into the normalised text are offsets into the original.
_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\uff07": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"', "\uff02": '"',
})

# A sentence ends at . ! ? … (with closing quotes/brackets) followed by space, or at a line break:
# the gap between sentences is r"(?<=[.!?\u2026])[\"')\]]*\s+|\s*\n\s*". Written that way, re tries it
# at every character. Written as below, opening with one character class, re scans in C for the few
# characters that can open a gap, and sentence_spans moves each match's start to where the gap
# starts: after the punctuation mark, or back over the whitespace before the line break.
_BOUNDARY = re.compile(r"[.!?\u2026][\"')\]]*\s+|\n\s*")
# Words that end with a full stop without ending the sentence ("Dr. Patel", "St. Peter's").
_ABBREVIATIONS = frozenset(
    "dr drs mr mrs ms mx st jr sr vs etc eg ie approx appt dept no inc ft mt prof rev sgt lt capt gen"
    " a.m p.m e.g i.e u.s".split()
)
_LAST_WORD = re.compile(r"([\w.]+)\.$")
# The last two characters of each abbreviation: a word whose lower() is an abbreviation has the two
# characters before its full stop lower to one of these (each character lowers to one ASCII character
# or the word is no abbreviation), so a slice and a set look-up rule out most full stops.
_ABBREVIATION_ENDS = frozenset(a[-2:] for a in _ABBREVIATIONS)


def byte_classes(classes: dict[str, str]) -> bytes:
    """A bytes.translate table: each character of a class's string to the class's byte, every other
    byte (those of characters beyond ASCII too) to a space. Texts mapped to their kinds this way are
    searched with bytes.find/count in C instead of a regex stepping through every character."""
    table = bytearray(b" " * 256)
    for kind, chars in classes.items():
        for c in chars:
            table[ord(c)] = ord(kind)
    return bytes(table)


def ascii_lowering_bytes(keep: str = "") -> bytes:
    """A bytes.translate table for ASCII text: letters to lower case, digits and the characters of keep
    as they are, any other byte to a space. Split on spaces, the translated text gives the runs of
    those characters of text.lower(), in C."""
    return byte_classes({**{c: c + c.upper() for c in string.ascii_lowercase},
                         **{c: c for c in string.digits + keep}})


def ascii_quotes(text: str) -> str:
    """Typographic quotes made ASCII; nothing else changes (same length, same offsets)."""
    return text if text.isascii() else text.translate(_QUOTES)  # isascii() is a flag look-up, not a scan


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        gap = m.start()
        if text[gap] == "\n":
            # (the whitespace before belongs to no earlier match: a match takes all the whitespace after it)
            while gap and text[gap - 1].isspace():
                gap -= 1
        else:
            gap += 1  # after the punctuation mark
            # only a full stop can end an abbreviation, and only after an abbreviation's last two characters
            if text[gap - 1] == "." and (gap < 3 or text[gap - 3:gap - 1].lower() in _ABBREVIATION_ENDS) \
                    and "\n" not in m.group():
                word = _LAST_WORD.search(text, max(0, gap - 12), gap)
                if word and word.group(1).lower() in _ABBREVIATIONS:
                    continue
        _append(spans, text, start, gap)
        start = m.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Add a span if it holds anything but whitespace."""
    chunk = text[start:end]
    if chunk and not chunk[0].isspace() and not chunk[-1].isspace():
        spans.append((start, end))  # already trimmed: most chunks, the gaps took the whitespace
        return
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_UPPER = string.ascii_uppercase.encode()


@lru_cache(maxsize=8)
def is_mostly_lowercase(text: str) -> bool:
    """True when the writer does not capitalise (names then appear as "mike")."""
    if text.isascii():
        # bytes.translate deleting a class counts it in C, without a Python step per character
        raw = text.encode()
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
    else:
        letters = sum(map(str.isalpha, text))
        upper = sum(map(str.isupper, text))
    return bool(letters) and upper / letters < 0.02
