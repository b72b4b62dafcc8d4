"""Loading the vocabularies kept as data files in moderation/data/."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Parse one JSON data file (cached: the files never change within a process)."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a text data file."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        lines = (line.strip() for line in fh)
        return tuple(line for line in lines if line and not line.startswith("#"))


def phrase_regex(phrases: list[str] | tuple[str, ...], *, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One alternation of literal phrases (longest first), bounded by non-word characters.

    Spaces inside a phrase match any run of spaces or hyphens, so "pain free" finds "pain-free".
    """
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = [re.escape(w) for w in re.split(r"[\s-]+", phrase.strip()) if w]
        parts.append(r"[\s-]+".join(words))
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)
