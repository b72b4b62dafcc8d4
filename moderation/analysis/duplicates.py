"""A normalised hash of a text, for finding near-same duplicates through an indexed column."""
from __future__ import annotations

import hashlib
import re
import unicodedata

from .results import FlagHit

_NOT_WORD = re.compile(r"[\W_]+")


def fingerprint(text: str) -> str:
    """SHA-256 hex of the text NFKC-normalised, case-folded, punctuation and spacing collapsed."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = _NOT_WORD.sub(" ", normal).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def duplicate_flag() -> FlagHit:
    """The duplicate flag; the service adds it after finding the same fingerprint in the database."""
    return FlagHit("duplicate", "medium", "Same text as another testimonial.")
