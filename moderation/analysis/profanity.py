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
# Inside a word, letters may be split by dots, dashes, underscores or an apostrophe ("sh'it").
_SEPARATOR = r"[._\-']?"
# Letters spaced out one by one ("f u c k", "s h i t"): collapsed and checked as one word.
_SPACED = re.compile(r"(?<![\w@$*!])(?:[A-Za-z@$*!0-9][ ]){2,}[A-Za-z@$*!0-9](?![\w@$*!])")
# Clipped forms that only make sense as a masked swear word: "f'ing", "f***in'", "effing".
_SPACED_HINT = re.compile(r" \S \S(?:[\s.,;:!?]|$)")  # starts with a literal space: a fast scan
_CLIPPED = re.compile(r"(?<![A-Za-z0-9])(?:f['*#]+(?:ing|in|n|en)|effing|effin)(?![A-Za-z0-9])", re.IGNORECASE)


def _letter_class(ch: str, *, final: bool) -> str:
    """Character class for one letter of a swear word: itself, leet look-alikes, mask marks."""
    masks = _FINAL_MASK if final else _MASK
    chars = set(ch + ch.upper() + _LEET.get(ch, "") + masks)
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]+"


@lru_cache(maxsize=1)
def _matcher() -> re.Pattern[str]:
    """One regex for every listed form; built once per process."""
    words = sorted({w.lower() for w in load_lines("profanity.txt")}, key=len, reverse=True)
    by_first: dict[str, list[str]] = {}
    for w in words:
        # Letters may be spaced out with dots, dashes or underscores: s.h.i.t, f-u-c-k.
        rest = "".join(_SEPARATOR + _letter_class(c, final=i == len(w) - 1) for i, c in enumerate(w) if i)
        by_first.setdefault(w[0], []).append(rest)
    # Grouped by first letter so the engine tries a dozen branches per word start, not fifty.
    groups = [_letter_class(first, final=False) + "(?:" + "|".join(rests) + ")"
              for first, rests in sorted(by_first.items())]
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(groups) + r")(?![A-Za-z0-9])")


def _spaced_word(run: str) -> tuple[int, int] | None:
    """Offsets of a swear word spelled out letter by letter within run ("a f u c k up")."""
    letters = run.split(" ")
    for i in range(len(letters)):
        for j in range(len(letters), i + 2, -1):  # longest first, at least three letters
            if _matcher().fullmatch("".join(letters[i:j])):
                return 2 * i, 2 * j - 1
    return None


@lru_cache(maxsize=1)
def _spellings() -> frozenset[str]:
    """The listed words in plain letters, with v for u and l for i (look-alikes that are letters)."""
    words = {w.lower() for w in load_lines("profanity.txt")}
    return frozenset(words | {w.replace("u", "v") for w in words} | {w.replace("i", "l") for w in words})


_LETTERS = re.compile(r"[a-z]+")
_SEPARATORS = str.maketrans("", "", "'._-")
_JOINED_LETTERS = re.compile(r"(?<![a-z])[a-z]++(?:['._-]+[a-z]+)+")  # letter runs joined by separators
_EDGES = ".,;:!?\"()[]{}"
# A token where a mark or digit touches a letter (b!tch, a$$, sh1t, @ss): masked and leet forms hide there.
_MARK_BY_LETTER = re.compile(r"[A-Za-z][*#%@$^&0-9|+]|[*#%@$^&0-9|+!][A-Za-z]")
_SPACE = re.compile(r"\s")


def _candidates(text: str) -> list[re.Match[str]]:
    """Matches of the full matcher, tried only where a swear word can be.

    Scanning every text with the ~50-branch regex is the slow part. Words of plain letters are a
    set look-up; words split by apostrophes, dots or dashes (sh'it, s.h.i.t) are looked up with the
    separators removed; only tokens where a mark or digit touches a letter go through the regex."""
    low = text.lower()
    spellings = _spellings()
    # A token can only reach a listed word through the separators when letters run on both sides of
    # one (sh'it, s.h.i.t): otherwise its letters are a plain run the first test has seen. So the
    # token-by-token test runs only when such a joined run spells a listed word.
    whole = not spellings.isdisjoint(_LETTERS.findall(low)) or (
        not spellings.isdisjoint([run.translate(_SEPARATORS) for run in _JOINED_LETTERS.findall(low)])
        and any(token.strip(_EDGES).translate(_SEPARATORS) in spellings
                for token in set(low.split()) if not token.isalpha()))
    if whole:
        return list(_matcher().finditer(text))
    found: dict[tuple[int, int], re.Match[str]] = {}
    for mark in _MARK_BY_LETTER.finditer(text):
        space = _SPACE.search(text, mark.end())
        start = max(text.rfind(c, 0, mark.start()) for c in " \n\t") + 1
        end = space.start() if space else len(text)
        found.update((m.span(), m) for m in _matcher().finditer(text, start, end))
    return [found[span] for span in sorted(found)]


def profanity_flags(text: str) -> list[FlagHit]:
    """A profanity flag for each strong swear word, however spelled."""
    low = text.lower()
    # Both scans below start with a character class, which re cannot skip ahead to; plain
    # substring tests clear most texts first.
    clipped = "f'" in low or "f*" in low or "f#" in low or "effin" in low
    flags = [FlagHit("profanity", "medium", "Contains profanity.", m.start(), m.end())
             for m in (_CLIPPED.finditer(text) if clipped else ())]
    for m in _SPACED.finditer(text) if _SPACED_HINT.search(text) else ():
        span = _spaced_word(m.group())
        if span:
            flags.append(FlagHit("profanity", "medium", "Contains profanity.", m.start() + span[0],
                                 m.start() + span[1]))
    for m in _candidates(text):
        word = m.group()
        # A run of marks ("**", "$$$") is not a word: it needs a leading letter or two letters.
        if not word[0].isalpha() and sum(c.isalpha() for c in word) < 2:
            continue
        if any(f.start <= m.start() < f.end for f in flags):
            continue
        flags.append(FlagHit("profanity", "medium", "Contains profanity.", m.start(), m.end()))
    return sorted(flags, key=lambda f: f.start)
