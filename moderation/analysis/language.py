"""Language of a testimonial (ISO 639-1) and the non_english flag.

Most texts are plainly English and are settled by a count of English function words; other
scripts are told apart by their characters. Only the rest goes to lingua, restricted to the
plausible languages and in low-accuracy mode (~25 MB instead of ~0.9 GB for all languages),
built once per process on first use.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from itertools import filterfalse

from ._data import load_json, word_list
from .results import FlagHit

MIN_WORDS = 5  # never judge a text of only a few words ("Bri rocks", "GREAT PT!!")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")  # the same on lower-cased ASCII text, scanned faster
_SCRIPTS = (  # (code, ranges of code points); kana before Han so Japanese is not read as Chinese
    ("ko", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
    ("ja", ((0x3040, 0x30FF),)),
    ("zh", ((0x4E00, 0x9FFF),)),
    ("ar", ((0x0600, 0x06FF), (0x0750, 0x077F))),
    ("hi", ((0x0900, 0x097F),)),
    ("gu", ((0x0A80, 0x0AFF),)),
    ("pa", ((0x0A00, 0x0A7F),)),
    ("bn", ((0x0980, 0x09FF),)),
    ("ru", ((0x0400, 0x04FF),)),
    ("el", ((0x0370, 0x03FF),)),
    ("he", ((0x0590, 0x05FF),)),
    ("th", ((0x0E00, 0x0E7F),)),
)
# The ranges in order (none overlaps another), for finding a character's script by bisection.
_RANGES = sorted((low, high, code) for code, ranges in _SCRIPTS for low, high in ranges)
_STARTS = [low for low, _, _ in _RANGES]
_LATIN1_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isalpha())
_NAMES = {"ko": "Korean", "ja": "Japanese", "zh": "Chinese", "ar": "Arabic", "hi": "Hindi",
          "gu": "Gujarati", "pa": "Punjabi", "bn": "Bengali", "ru": "Russian", "el": "Greek",
          "he": "Hebrew", "th": "Thai", "es": "Spanish", "pt": "Portuguese", "it": "Italian",
          "fr": "French", "de": "German", "pl": "Polish", "tl": "Tagalog", "vi": "Vietnamese",
          "nl": "Dutch", "ro": "Romanian", "ht": "Haitian Creole"}
_lock = threading.Lock()
_detector = None


@lru_cache(maxsize=1)
def _hints() -> tuple[frozenset[str], frozenset[str], tuple[str, ...], dict[str, frozenset[str]]]:
    """English function words, Hinglish words, the detector's languages and their function words."""
    raw = load_json("language_hints.json")
    confirm = {code: frozenset(words) for code, words in raw["confirm"].items()}
    return frozenset(raw["english"]), frozenset(raw["hinglish"]), tuple(raw["lingua"]), confirm


def _lingua():
    """The process's one lingua detector, built on first use.

    Its models load on the first call that needs them, in the calling thread: preloading them
    (with_preloaded_language_models) spreads the same work over a thread pool, for the same models
    and answers but ~15 ms more CPU in all."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, LanguageDetectorBuilder

                codes = [getattr(IsoCode639_1, c.upper()) for c in _hints()[2]]
                _detector = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                             .with_low_accuracy_mode().build())
    return _detector


def warm_up() -> None:
    """Build the detector and load its models now (an ASCII phrase leaves every language a candidate),
    so that the first text that needs lingua is not slow: the benches call it before timing."""
    _lingua().detect_language_of("warm up the language detector")


def _script(text: str) -> str | None:
    """The first script of _SCRIPTS that at least 40% of the text's letters are written in.

    Every character of those scripts lies beyond Latin-1, and the letters are at least its Latin-1
    ones: two counts in C rule out nearly every text (accents, emoji, curly quotes). The rest have
    their characters counted by script: regexes of these ranges took ~4 ms to compile (re's compiler
    lists a range's code points one by one)."""
    latin1 = text.encode("latin-1", "ignore")
    beyond = len(text) - len(latin1)
    if not beyond or beyond < 0.4 * len(latin1.translate(None, _LATIN1_NOT_LETTERS)):
        return None
    letters = sum(map(str.isalpha, text))
    counts = dict.fromkeys((code for code, _ in _SCRIPTS), 0)
    for char, n in Counter(text).items():
        point = ord(char)
        at = bisect_right(_STARTS, point) - 1
        if at >= 0 and point <= _RANGES[at][1]:
            counts[_RANGES[at][2]] += n
    for code, _ in _SCRIPTS:
        if letters and counts[code] >= 0.4 * letters:
            return code
    return None


def _words(text: str) -> list[str]:
    """_WORDS' words of the lowered text (_ASCII_WORDS' for ASCII), in some order: only their counts
    matter. Each lies within one of the lowered [\\w']+ words the other detectors have listed
    already (word_list, cached) and is found there as in the whole text; a word of letters only is
    one itself, so only the few others are searched (~2x faster than a scan of the text)."""
    tokens = word_list(text)
    pattern = _ASCII_WORDS if text.isascii() or text.lower().isascii() else _WORDS
    return [*filter(str.isalpha, tokens), *(w for t in filterfalse(str.isalpha, tokens) for w in pattern.findall(t))]


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" when unsure or too short to judge."""
    if not text.isascii():  # other scripts only need looking for when there is non-ASCII
        code = _script(text)
        if code is not None:
            return code
    words = _words(text)
    if len(words) < MIN_WORDS:
        return "en"
    english, hinglish, _, confirm = _hints()
    if sum(map(english.__contains__, words)) >= 0.25 * len(words):
        return "en"
    if sum(map(hinglish.__contains__, words)) >= 0.25 * len(words):
        return "hi"
    # lingua's answer stands only when the text holds enough of that language's own function
    # words; when no language has enough, the answer is "en" whatever lingua says, so it is not asked
    # (its first call also loads its models).
    enough = min(3, 0.1 * len(words))
    confirmed = {code for code, own in confirm.items() if sum(map(own.__contains__, words)) >= enough}
    if not confirmed:
        return "en"
    confidences = _lingua().compute_language_confidence_values(text)
    if not confidences or confidences[0].value < 0.5:
        return "en"
    code = confidences[0].language.iso_code_639_1.name.lower()
    return code if code in confirmed else "en"


# The practice accepts testimonials in English and Spanish (the form has a Spanish version).
ACCEPTED_LANGUAGES = frozenset({"en", "es"})


def language_name(code: str) -> str:
    """The English name of a language code ("pt" → "Portuguese"); the code itself when unknown."""
    return _NAMES.get(code, code)


def non_english_flag(language: str) -> FlagHit | None:
    """non_english when the text is in a language the practice does not accept."""
    if language in ACCEPTED_LANGUAGES:
        return None
    name = language_name(language)
    return FlagHit("non_english", "low", f"Not in a language the practice accepts (looks like {name}).")
