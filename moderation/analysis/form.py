"""The shape of a text: too_short and shouting."""
from __future__ import annotations

import re
import string

from .results import FlagHit

MIN_CHARS = 20  # "Bri rocks 💪", "GREAT PT!!", "ok": nothing for a reader to learn
SHOUTING_SHARE = 0.7  # share of words written in capitals
SHOUTING_MIN_WORDS = 5  # a few capitalised acronyms (ACL, PT, NJ) are not shouting
_WORD = re.compile(r"[^\W\d_]{2,}")
_ASCII_UPPER = string.ascii_uppercase.encode()


def too_short_flag(text: str) -> FlagHit | None:
    """too_short under MIN_CHARS characters of content."""
    if len(text.strip()) >= MIN_CHARS:
        return None
    return FlagHit("too_short", "low", f"Very short (under {MIN_CHARS} characters).")


def shouting_flag(text: str) -> FlagHit | None:
    """shouting when most words are in capitals."""
    if text.isascii():
        # A word in capitals has two capital letters at least: with fewer than twice the minimum
        # number of such words in the whole text, it cannot shout (counted in C, most texts stop here).
        raw = text.encode()
        if len(raw) - len(raw.translate(None, _ASCII_UPPER)) < 2 * SHOUTING_MIN_WORDS:
            return None
    words = _WORD.findall(text)
    caps = sum(1 for w in words if w.isupper())
    if len(text.strip()) < MIN_CHARS or caps < SHOUTING_MIN_WORDS or caps < SHOUTING_SHARE * len(words):
        return None
    return FlagHit("shouting", "low", "Written mostly in capitals.")
