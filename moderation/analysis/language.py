"""Language of a testimonial (ISO 639-1) and the non_english flag.

Most texts are plainly English and are settled by a count of English function words; other
scripts are told apart by their characters. Only the rest goes to lingua, restricted to the
plausible languages and in low-accuracy mode (~25 MB instead of ~0.9 GB for all languages),
built once per process on first use.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from ._data import load_json
from .results import FlagHit

MIN_WORDS = 5  # never judge a text of only a few words ("Bri rocks", "GREAT PT!!")
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")  # the same on lower-cased ASCII text, scanned faster
_SCRIPTS = (  # (code, characters); kana before Han so Japanese is not read as Chinese
    ("ko", re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ar", re.compile(r"[\u0600-\u06ff\u0750-\u077f]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("gu", re.compile(r"[\u0a80-\u0aff]")),
    ("pa", re.compile(r"[\u0a00-\u0a7f]")),
    ("bn", re.compile(r"[\u0980-\u09ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
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
    """The process's one lingua detector, built on first use."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import IsoCode639_1, LanguageDetectorBuilder

                codes = [getattr(IsoCode639_1, c.upper()) for c in _hints()[2]]
                _detector = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                             .with_low_accuracy_mode().with_preloaded_language_models().build())
    return _detector


def warm_up() -> None:
    """Build the detector now (workers call this at start so the first text is not slow)."""
    _lingua().detect_language_of("warm up the language detector")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language; "en" when unsure or too short to judge."""
    if not text.isascii():  # other scripts only need looking for when there is non-ASCII
        letters = sum(map(str.isalpha, text))
        for code, chars in _SCRIPTS:
            if letters and len(chars.findall(text)) >= 0.4 * letters:
                return code
    lowered = text.lower()
    words = (_ASCII_WORDS if lowered.isascii() else _WORDS).findall(lowered)
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
