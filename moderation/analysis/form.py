"""The shape of a text: too_short and shouting."""
from __future__ import annotations

import re
import string

from .results import FlagHit
from .text import byte_classes

MIN_CHARS = 20  # "Bri rocks 💪", "GREAT PT!!", "ok": nothing for a reader to learn
SHOUTING_SHARE = 0.7  # share of words written in capitals
SHOUTING_MIN_WORDS = 5  # a few capitalised acronyms (ACL, PT, NJ) are not shouting
_WORD = re.compile(r"[^\W\d_]{2,}")
_CAPITALS_AS_A = byte_classes({"A": string.ascii_uppercase})  # each ASCII capital to b"A", any other byte to b" "


def too_short_flag(text: str) -> FlagHit | None:
    """too_short under MIN_CHARS characters of content."""
    if len(text.strip()) >= MIN_CHARS:
        return None
    return FlagHit("too_short", "low", f"Very short (under {MIN_CHARS} characters).")


def shouting_flag(text: str) -> FlagHit | None:
    """shouting when most words are in capitals."""
    if text.isascii():
        # In ASCII text a word in capitals is a run of two capital letters at least, so it holds one
        # b"AA" at least once its capitals are made b"A" (count() does not overlap occurrences, and
        # words do not share letters): with fewer than the minimum number of such words, the text
        # cannot shout. Counted in C (no regex: re steps through [A-Z]{2} at every character); it
        # stops ~97% of texts here (counting all capitals stopped ~60%: every sentence opens with one).
        if text.encode().translate(_CAPITALS_AS_A).count(b"AA") < SHOUTING_MIN_WORDS:
            return None
    words = _WORD.findall(text)
    caps = sum(1 for w in words if w.isupper())
    if len(text.strip()) < MIN_CHARS or caps < SHOUTING_MIN_WORDS or caps < SHOUTING_SHARE * len(words):
        return None
    return FlagHit("shouting", "low", "Written mostly in capitals.")
