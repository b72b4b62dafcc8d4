"""Loading the vocabularies kept as data files in moderation/data/."""
from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@cache
def load_json(name: str) -> Any:
    """Parse one JSON data file (cached: the files never change within a process)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a text data file."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        lines = (line.strip() for line in fh)
        return tuple(line for line in lines if line and not line.startswith("#"))


_WORDS = re.compile(r"[\w']+")
_ASCII_WORDS = re.compile(r"[a-z0-9_']+")  # the same on lower-cased ASCII text, scanned faster


@lru_cache(maxsize=4)
def word_list(text: str) -> list[str]:
    """Lower-cased [\\w']+ words of a text in order (cached: several detectors ask for the same
    text's words; do not change the list)."""
    lowered = text.lower()
    return (_ASCII_WORDS if lowered.isascii() else _WORDS).findall(lowered)


@lru_cache(maxsize=4)
def words_of(text: str) -> frozenset[str]:
    """Lower-cased words of a text, for the trigger-word checks of Cue (cached: several detectors
    ask for the same text's words)."""
    return frozenset(word_list(text))


class Cue:
    """A regex tried only when one of its trigger words is present.

    Python's re scans every character for every pattern; a set intersection first lets a text
    skip the dozens of cue patterns that cannot match it.
    """

    __slots__ = ("any", "pattern", "weight")

    def __init__(self, spec: dict, *, flags: int = re.IGNORECASE, pattern: str | None = None) -> None:
        self.any = frozenset(w.lower() for w in spec.get("any", ()))
        self.pattern = re.compile(pattern if pattern is not None else spec["re"], flags)
        self.weight = float(spec.get("weight", 0.0))

    def applies(self, words: set[str]) -> bool:
        """True when the text's words make a match possible."""
        return not self.any or not self.any.isdisjoint(words)
