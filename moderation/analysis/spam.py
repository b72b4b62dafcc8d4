"""spam: adverts, crypto and gambling, review-selling, SEO and other unrelated promotion."""
from __future__ import annotations

from functools import lru_cache

from ._data import Cue, CueSet, load_json, words_of
from .results import FlagHit


@lru_cache(maxsize=1)
def _cues() -> tuple[CueSet, frozenset[Cue], float, float]:
    """The cues, those of them that are word classes of advertising, threshold, link weight."""
    raw = load_json("spam_cues.json")
    cues = [(Cue(c, hinted=True), "class" in c) for c in raw["cues"]]
    return (CueSet(c for c, _ in cues), frozenset(c for c, is_class in cues if is_class),
            raw["threshold"], raw["link_weight"])


def _hits(cue: Cue, is_class: bool, text: str) -> int:
    """1 if a cue matches; for a word class, its distinct matches up to two (adverts pile offers up)."""
    if not is_class:
        return 1 if cue.search(text) else 0
    return min(2, len({m.group().lower() for m in cue.finditer(text)}))


def spam_score(text: str, *, has_link: bool) -> float:
    """Sum of the weights of the spam cues present."""
    cues, classes, _, link_weight = _cues()
    score = sum(c.weight * _hits(c, c in classes, text) for c in cues.applicable(words_of(text)))
    return score + link_weight if score and has_link else score


def spam_flag(text: str, *, has_link: bool) -> FlagHit | None:
    """spam when the cues add up to the threshold."""
    if spam_score(text, has_link=has_link) < _cues()[2]:
        return None
    return FlagHit("spam", "high", "Looks like spam or advertising.")
