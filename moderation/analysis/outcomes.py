"""Outcome claims ("pain-free after two visits", "avoided surgery"), which advertising rules treat
as typical-result claims: noticed with their spans so staff can add a disclaimer or edit."""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_json
from .results import OutcomeClaim


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The claim patterns with their number and unit placeholders filled in."""
    raw = load_json("outcome_patterns.json")
    return tuple(
        re.compile(p.replace("{N}", raw["number"]).replace("{UNIT}", raw["unit"]), re.IGNORECASE)
        for p in raw["patterns"]
    )


def find_outcome_claims(text: str) -> tuple[OutcomeClaim, ...]:
    """Claims in text order; overlapping matches are merged into one span."""
    spans = sorted(m.span() for p in _patterns() for m in p.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(OutcomeClaim(start=s, end=e, text=text[s:e]) for s, e in merged)
