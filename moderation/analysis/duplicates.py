"""A normalised hash of a text, for finding near-same duplicates through an indexed column."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .results import FlagHit
from .text import ascii_lowering_bytes

_NOT_WORD = re.compile(r"[\W_]+")
_ASCII_NORMAL_BYTES = ascii_lowering_bytes()  # letters lower-cased, digits kept, any other byte a space


def fingerprint(text: str) -> str:
    """SHA-256 hex of the text NFKC-normalised, case-folded, punctuation and spacing collapsed."""
    if text.isascii():
        # NFKC leaves ASCII as it is and case-folding is lower-casing there; every run of characters
        # other than letters and digits becomes one space, as the regex below does (on the bytes,
        # in C: a str.translate with a dict looks each character up in Python's dict).
        return hashlib.sha256(b" ".join(text.encode().translate(_ASCII_NORMAL_BYTES).split())).hexdigest()
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = _NOT_WORD.sub(" ", normal).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def duplicate_flag() -> FlagHit:
    """The duplicate flag; the service adds it after finding the same fingerprint in the database."""
    return FlagHit("duplicate", "medium", "Same text as another testimonial.")
