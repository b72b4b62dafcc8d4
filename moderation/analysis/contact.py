"""Contact details and links: pii_email, pii_phone and link."""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from ._data import load_lines
from .results import FlagHit

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# "dave dot russo at example dot com", "jane(at)example(dot)org": the domain must end in a TLD word.
_AT = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.])[\w+-]+(?:(?:{_DOT}|\.)[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}"
    r"(?:com|org|net|edu|gov|us|io|co|info|me)\b",
    re.IGNORECASE,
)
# "jane @ example . com": an address with spaces around its @ and dots.
_SPACED_EMAIL = re.compile(
    r"(?<![\w.])[\w.+-]+\s*@\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*"
    r"(?:com|org|net|edu|gov|us|io|co|info|me)\b", re.IGNORECASE)
_URL = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_DOT_LETTER = re.compile(r"\.[A-Za-z]")  # no bare domain without one; cheap to look for
_TRAILING = ".,;:!?)]}'\""
# Enough digits somewhere for a phone number (seven, each within three characters of the next); most
# texts skip the (slow) matcher entirely. Opening with \d, not a group, lets re skip in C to digits.
_DIGITS7 = re.compile(r"\d(?:\D{0,3}\d){6}")


@lru_cache(maxsize=1)
def _bare_domain() -> re.Pattern[str]:
    """Bare domains whose last label is a known TLD, written in lower case."""
    tlds = "|".join(sorted(set(load_lines("tlds.txt")), key=len, reverse=True))
    return re.compile(
        r"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:" + tlds + r")(?![\w-])"
        r"(?:/[^\s<>\"']*)?"
    )


@lru_cache(maxsize=1)
def _tld_after_dot() -> re.Pattern[str]:
    """What every bare domain holds: a dot, a known TLD and no word character after it. Opening with
    a literal dot, re finds it in C; _bare_domain opens with a look-behind, tried at every character."""
    tlds = "|".join(sorted(set(load_lines("tlds.txt")), key=len, reverse=True))
    return re.compile(r"\.(?:" + tlds + r")(?![\w-])")


_LOCAL_CHAR = re.compile(r"[\w.+-]")
_SPACED_BEFORE = re.compile(r"[\w.]")  # what _SPACED_EMAIL's look-behind rejects


def _at_matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """pattern.finditer(text) for _EMAIL and _SPACED_EMAIL, tried only where a match can start.

    Both begin with a run of [\\w.+-] that ends just before the "@" (for _SPACED_EMAIL, before
    the spaces ahead of it). A match starts at the run's first character, or, when an earlier match
    ends inside the run, at its first character after that end the look-behind allows; anywhere
    else in the run the look-behind fails or the match would be the same with a shorter start.
    Trying only there finds the same matches as finditer (tweets are full of @names)."""
    spaced = pattern is _SPACED_EMAIL
    matches: list[re.Match[str]] = []
    end = 0
    at = text.find("@")
    while at != -1:
        local_end = at
        if spaced:
            while local_end > 0 and text[local_end - 1].isspace():
                local_end -= 1
        start = local_end
        while start > 0 and _LOCAL_CHAR.match(text, start - 1):
            start -= 1
        if start < end:
            # _EMAIL's look-behind rejects every start inside the run; _SPACED_EMAIL's
            # (?<![\\w.]) accepts one after a "+" or "-".
            start = end if spaced else local_end
            while start < local_end and _SPACED_BEFORE.match(text, start - 1):
                start += 1
        if start < local_end:
            m = pattern.match(text, start)
            if m is not None:
                matches.append(m)
                end = m.end()
        at = text.find("@", max(at + 1, end))
    return matches


def email_spans(text: str) -> list[tuple[int, int]]:
    """Spans of email addresses, plain or spelled out."""
    spans = [m.span() for m in _at_matches(_EMAIL, text)] if "@" in text else []
    for m in _at_matches(_SPACED_EMAIL, text) if "@" in text else ():
        if not _overlaps(m.span(), spans):
            spans.append(m.span())
    lowered = text.lower()
    if "dot" not in lowered or "at" not in lowered:
        return sorted(spans)
    for m in _SPELLED_EMAIL.finditer(text):
        if not _overlaps(m.span(), spans):
            spans.append(m.span())
    return sorted(spans)


def email_flags(text: str, spans: list[tuple[int, int]]) -> list[FlagHit]:
    """pii_email for each address."""
    return [FlagHit("pii_email", "high", "Contains an email address.", s, e) for s, e in spans]


# A number right after a reference label ("claim #4455667788", "policy no. 123 456 7890") is an
# identifier, not a phone number.
_REFERENCE_LABEL = re.compile(
    r"(?:\b(?:claim|policy|account|acct|member|id|ref|reference|order|confirmation|invoice|authori[sz]ation|"
    r"auth|npi|mrn|group|case)\s*(?:#|no\.?|number|num\.?)?\s*:?|#)\s*$", re.IGNORECASE)


# Digits as people say or space them: "nine oh eight", "5 5 5", "double five". Each token is one
# digit (or two for "double"); tokens are joined by spaces, commas, dots, dashes or brackets.
_DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
                "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_DIGIT_TOKEN = r"(?:\d|zero|oh|o|one|two|three|four|five|six|seven|eight|nine|double\s+(?:\d|[a-z]+))"
_SPOKEN_RUN = re.compile(
    rf"(?<![\w-])\(?{_DIGIT_TOKEN}(?:[\s,.()\-]{{0,3}}(?:{_DIGIT_TOKEN}|\d{{2,4}})){{3,}}(?![\w-])",
    re.IGNORECASE)
_SPOKEN_PART = re.compile(r"double\s+(\d|[a-z]+)|\d+|[a-z]+", re.IGNORECASE)
_SPACED_DIGITS = re.compile(r"(?<!\d)\d[\s,.()\-]{1,3}\d[\s,.()\-]{1,3}\d(?!\d)")
_NUMBER_WORD = re.compile(r"\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)
# Digits, number words and "double" ("double five" is two digits), counted in one scan: they
# cannot overlap, so the count is the sum of counting each.
_DIGIT_TOKENS = re.compile(r"\d|\b(?:double|zero|oh|one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)


def _spoken_digits(run: str) -> str | None:
    """The digits a run of spoken or spaced tokens stands for; None if a word is not a digit."""
    digits = []
    for m in _SPOKEN_PART.finditer(run):
        if m.group(1) is not None:
            one = _DIGIT_WORDS.get(m.group(1).lower(), m.group(1) if m.group(1).isdigit() else None)
            if one is None:
                return None
            digits.append(one * 2)
        elif m.group().isdigit():
            digits.append(m.group())
        elif m.group().lower() in _DIGIT_WORDS:
            digits.append(_DIGIT_WORDS[m.group().lower()])
        elif m.group().lower() != "double":
            return None
    return "".join(digits)


def _spoken_phone_spans(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Phone numbers written in words, in spaced digits or in a mix of both."""
    spans = []
    for m in _SPOKEN_RUN.finditer(text):
        if not (_NUMBER_WORD.search(m.group()) or _SPACED_DIGITS.search(m.group())):
            continue  # groups of digits only ("4,372,283"): phonenumbers' matcher judges those
        digits = _spoken_digits(m.group())
        if not digits or len(digits) not in (7, 10, 11) or _overlaps(m.span(), taken):
            continue
        if len(digits) == 11 and digits[0] != "1":
            continue
        national = digits[-10:] if len(digits) >= 10 else None
        # A real number: a valid area code and exchange (not starting 0/1), or a 7-digit local one.
        if national and (national[0] in "01" or national[3] in "01"):
            continue
        if not national and digits[0] in "01":
            continue
        spans.append((m.start(), m.end() - (len(m.group()) - len(m.group().rstrip(" ,.-(")))))
    return spans


_ASCII_DIGITS = b"0123456789"
_COUNTED_WORDS = ("double", "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _ascii_digits(text: str) -> int | None:
    """How many digits a plain-ASCII text holds (counted in C); None for other text."""
    if not text.isascii():
        return None
    raw = text.encode()
    return len(raw) - len(raw.translate(None, _ASCII_DIGITS))


def _digit_tokens_at_least(text: str, n: int, digits: int | None) -> bool:
    """len(_DIGIT_TOKENS.findall(text)) >= n, mostly without the scan: in ASCII text every number
    word it counts is also a substring of the lower-cased text, so substring counts bound it."""
    if digits is not None:
        if digits >= n:
            return True
        low = text.lower()
        if digits + sum(map(low.count, _COUNTED_WORDS)) < n:
            return False
    return len(_DIGIT_TOKENS.findall(text)) >= n


def phone_flags(text: str) -> list[FlagHit]:
    """pii_phone for each US (or international) phone number, in digits, words or a mix."""
    spans: list[tuple[int, int]] = []
    digits = _ascii_digits(text)
    if (digits is None or digits >= 7) and _DIGITS7.search(text):
        spans = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "US")]
    # A number in words or spaced digits needs seven digit tokens at least; most texts have fewer.
    if _digit_tokens_at_least(text, 7, digits):
        spans += _spoken_phone_spans(text, spans)
    return [
        FlagHit("pii_phone", "high", "Contains a phone number.", start, end)
        for start, end in sorted(spans)
        if not _REFERENCE_LABEL.search(text, max(0, start - 40), start)
    ]


def link_flags(text: str, emails: list[tuple[int, int]]) -> list[FlagHit]:
    """link for URLs and bare domains; an email address alone is not a link."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for m in _URL.finditer(text) if ("http" in lowered or "www." in lowered) else ():
        spans.append((m.start(), m.end() - (len(m.group()) - len(m.group().rstrip(_TRAILING)))))
    for m in _bare_domain().finditer(text) if _DOT_LETTER.search(text) and _tld_after_dot().search(text) else ():
        span = (m.start(), m.end() - (len(m.group()) - len(m.group().rstrip(_TRAILING))))
        if not _overlaps(span, spans) and not _overlaps(span, emails):
            spans.append(span)
    return [FlagHit("link", "medium", "Contains a link or web address.", s, e) for s, e in sorted(spans)]


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """True when span shares a character with any of others."""
    return any(span[0] < e and s < span[1] for s, e in others)
