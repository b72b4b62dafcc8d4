"""profanity: strong swear words, also masked (f*ck) or in leetspeak (sh1t), compiled into one regex.

better-profanity checks its ~900-word list word by word per text (~80 ms); its list also holds
clinical words (anal, rectal, breast). A single compiled alternation over our own list of strong
words is both faster and safer for a physical-therapy practice.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_lines
from .results import FlagHit

_LEET = {"a": "@4", "b": "8", "e": "3", "g": "9", "i": "1!|l", "l": "1|", "o": "0", "s": "$5",
         "t": "7+", "u": "v"}
_MASK = "*#%@$!^&_"
_FINAL_MASK = "*#"  # a trailing "!" ends the sentence rather than masking a letter
_SEPARATOR = r"[._\-]?"


def _letter_class(ch: str, *, final: bool) -> str:
    """Character class for one letter of a swear word: itself, leet look-alikes, mask marks."""
    masks = _FINAL_MASK if final else _MASK
    chars = set(ch + ch.upper() + _LEET.get(ch, "") + masks)
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]+"


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    """One regex for every listed form; built once per process."""
    words = sorted(set(w.lower() for w in load_lines("profanity.txt")), key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for w in words:
        # Letters may be spaced out with dots, dashes or underscores: s.h.i.t, f-u-c-k.
        rest = "".join(_SEPARATOR + _letter_class(c, final=i == len(w) - 1) for i, c in enumerate(w) if i)
        by_first.setdefault(w[0], []).append(rest)
    # Grouped by first letter so the engine tries a dozen branches per word start, not fifty.
    groups = [_letter_class(first, final=False) + "(?:" + "|".join(rests) + ")"
              for first, rests in sorted(by_first.items())]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(groups) + r")(?![A-Za-z0-9])")


def profanity_flags(text: str) -> list[FlagHit]:
    """A profanity flag for each strong swear word, however spelled."""
    flags = []
    for m in _matcher().finditer(text):
        word = m.group()
        # A run of marks ("**", "$$$") is not a word: it needs a leading letter or two letters.
        if not word[0].isalpha() and sum(c.isalpha() for c in word) < 2:
            continue
        flags.append(FlagHit("profanity", "medium", "Contains profanity.", m.start(), m.end()))
    return flags
