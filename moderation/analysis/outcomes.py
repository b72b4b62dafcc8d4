"""Outcome claims ("pain-free after two visits", "avoided surgery"), which advertising rules treat
as typical-result claims: noticed with their spans so staff can add a disclaimer or edit."""
from __future__ import annotations

from functools import lru_cache

from ._data import Cue, CueSet, load_json, words_of
from .results import OutcomeClaim


@lru_cache(maxsize=1)
def _patterns() -> CueSet:
    """The claim patterns with their word-class placeholders ({SYMPTOM}, {N}, …) filled in."""
    raw = load_json("outcome_patterns.json")

    def expand(pattern: str) -> str:
        for name, alternation in raw["classes"].items():
            pattern = pattern.replace("{" + name + "}", alternation)
        return pattern

    return CueSet(Cue(p, pattern=expand(p["re"]), hinted=True) for p in raw["patterns"])


def find_outcome_claims(text: str) -> tuple[OutcomeClaim, ...]:
    """Claims in text order; overlapping matches are merged into one span."""
    spans = [m.span() for c in _patterns().applicable(words_of(text)) for m in c.finditer(text)]
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(OutcomeClaim(start=s, end=e, text=text[s:e]) for s, e in merged)
