"""spam: adverts, crypto and gambling, review-selling, SEO and other unrelated promotion."""
from __future__ import annotations

from functools import lru_cache

from ._data import Cue, load_json, words_of
from .results import FlagHit


@lru_cache(maxsize=1)
def _cues() -> tuple[tuple[Cue, ...], float, float]:
    """Compiled cues, threshold and the weight of a link."""
    raw = load_json("spam_cues.json")
    cues = tuple(Cue(c) for c in raw["cues"])
    return cues, raw["threshold"], raw["link_weight"]


def spam_score(text: str, *, has_link: bool) -> float:
    """Sum of the weights of the spam cues present."""
    cues, _, link_weight = _cues()
    words = words_of(text)
    score = sum(c.weight for c in cues if c.applies(words) and c.pattern.search(text))
    return score + link_weight if score and has_link else score


def spam_flag(text: str, *, has_link: bool) -> FlagHit | None:
    """spam when the cues add up to the threshold."""
    if spam_score(text, has_link=has_link) < _cues()[1]:
        return None
    return FlagHit("spam", "high", "Looks like spam or advertising.")
