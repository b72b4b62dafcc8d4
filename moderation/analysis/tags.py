"""Tags: treated conditions and body regions from the vocabulary in moderation/data/conditions.json."""
from __future__ import annotations

import re
from functools import lru_cache

from ._data import load_json, word_list, words_of

_TOKENS = re.compile(r"[\w']+")
_LONGEST = 4  # words in the longest synonym ("traumatic brain injury", "track and field")


def _key(phrase: str) -> str:
    """Lookup key of a synonym: its lower-cased words joined by single spaces."""
    return " ".join(_TOKENS.findall(phrase.lower()))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, list[str]], frozenset[str], dict[str, tuple[str, ...]]]:
    """Synonym (as words) → tags, first words of multi-word synonyms, tag → implied tags."""
    tags = load_json("conditions.json")["tags"]
    by_synonym: dict[str, list[str]] = {}
    for slug, entry in tags.items():
        for synonym in [slug.replace("-", " "), *entry["synonyms"]]:
            by_synonym.setdefault(_key(synonym), []).append(slug)
    by_synonym.pop("back", None)  # "back to work" is not a back problem; see the data file
    implies = {slug: tuple(entry["implies"]) for slug, entry in tags.items()}
    starts = frozenset(key.split(" ")[0] for key in by_synonym if " " in key)
    return by_synonym, starts, implies


@lru_cache(maxsize=1)
def _single_words() -> frozenset[str]:
    """The one-word synonyms."""
    return frozenset(key for key in _vocabulary()[0] if " " not in key)


@lru_cache(maxsize=1)
def _first_pairs() -> frozenset[tuple[str, str]]:
    """The first two words of each multi-word synonym."""
    return frozenset(tuple(key.split(" ")[:2]) for key in _vocabulary()[0] if " " in key)


def find_tags(text: str) -> tuple[str, ...]:
    """Tag slugs for the conditions and body regions the text names, in a stable order."""
    by_synonym, starts, implies = _vocabulary()
    words = word_list(text)  # _TOKENS' words, shared with the other detectors
    found: set[str] = set()
    # Single words by a set look-up; n-grams only from the words that start a multi-word synonym.
    present = words_of(text)
    for word in present.intersection(_single_words()):
        found.update(by_synonym[word])
    # A multi-word synonym starts where two adjacent words are its first two: without such a pair
    # (~3 texts in 4 holding a start word: "on", "my", "his"), the n-gram loop finds nothing (its
    # look-ups past the last word repeat single words already found). zip and isdisjoint pair and
    # test the words in C.
    if not starts.isdisjoint(present) and not _first_pairs().isdisjoint(zip(words, words[1:], strict=False)):
        for i, word in enumerate(words):
            if word in starts:
                for n in range(2, _LONGEST + 1):
                    found.update(by_synonym.get(" ".join(words[i:i + n]), ()))
    pending = list(found)
    while pending:
        for implied in implies.get(pending.pop(), ()):
            if implied not in found:
                found.add(implied)
                pending.append(implied)
    return tuple(sorted(found))


def tag_vocabulary() -> dict[str, str]:
    """Every tag the analysis can assign: slug → display name (the slug unless the data names it)."""
    tags = load_json("conditions.json")["tags"]
    return {slug: entry.get("name") or slug.replace("-", " ").capitalize() for slug, entry in tags.items()}
