"""Tags: treated conditions and body regions from the vocabulary in moderation/data/conditions.json."""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_json, phrase_regex

_SEPARATORS = re.compile(r"[\s-]+")


def _key(phrase: str) -> str:
    """Lookup key of a synonym as matched in a text."""
    return _SEPARATORS.sub(" ", phrase.lower())


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[re.Pattern[str], dict[str, list[str]], dict[str, tuple[str, ...]]]:
    """One regex for every synonym, synonym → tags, tag → implied tags."""
    tags = load_json("conditions.json")["tags"]
    by_synonym: dict[str, list[str]] = {}
    for slug, entry in tags.items():
        for synonym in [slug.replace("-", " "), *entry["synonyms"]]:
            by_synonym.setdefault(_key(synonym), []).append(slug)
    by_synonym.pop("back", None)  # "back to work" is not a back problem; see the data file
    implies = {slug: tuple(entry["implies"]) for slug, entry in tags.items()}
    return phrase_regex(list(by_synonym)), by_synonym, implies


def find_tags(text: str) -> tuple[str, ...]:
    """Tag slugs for the conditions and body regions the text names, in a stable order."""
    pattern, by_synonym, implies = _vocabulary()
    found: set[str] = set()
    for m in pattern.finditer(text):
        for slug in by_synonym.get(_key(m.group()), ()):
            found.add(slug)
    pending = list(found)
    while pending:
        for implied in implies.get(pending.pop(), ()):
            if implied not in found:
                found.add(implied)
                pending.append(implied)
    return tuple(sorted(found))
