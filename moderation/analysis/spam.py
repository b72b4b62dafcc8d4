"""spam: adverts, crypto and gambling, review-selling, SEO and other unrelated promotion."""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_json
from .results import Flag


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[tuple[re.Pattern[str], float], ...], float, float]:
    """Compiled cues, threshold and the weight of a link."""
    raw = load_json("spam_cues.json")
    cues = tuple((re.compile(p, re.IGNORECASE), w) for p, w in raw["cues"])
    return cues, raw["threshold"], raw["link_weight"]


def spam_score(text: str, *, has_link: bool) -> float:
    """Sum of the weights of the spam cues present."""
    cues, _, link_weight = _cues()
    score = sum(w for p, w in cues if p.search(text))
    return score + link_weight if score and has_link else score


def spam_flag(text: str, *, has_link: bool) -> Flag | None:
    """spam when the cues add up to the threshold."""
    if spam_score(text, has_link=has_link) < _cues()[1]:
        return None
    return Flag("spam", "high", "Looks like spam or advertising.")
