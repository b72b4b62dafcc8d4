"""Contact details and links: pii_email, pii_phone and link."""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from ._data import load_lines
from .results import FlagHit

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# "dave dot russo at example dot com", "jane(at)example(dot)org": the domain must end in a TLD word.
_AT = r"(?:\s*[\[(]\s*at\s*[\])]\s*|\s+at\s+)"
_DOT = r"(?:\s*[\[(]\s*dot\s*[\])]\s*|\s+dot\s+)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w.])[\w+-]+(?:(?:{_DOT}|\.)[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}"
    r"(?:com|org|net|edu|gov|us|io|co|info|me)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_DOT_LETTER = re.compile(r"\.[A-Za-z]")  # no bare domain without one; cheap to look for
_TRAILING = ".,;:!?)]}'\""
# Enough digits somewhere for a phone number; most texts skip the (slow) matcher entirely.
_DIGITS7 = re.compile(r"(?:\d\D{0,3}){7}")


@lru_cache(maxsize=1)
def _bare_domain() -> re.Pattern[str]:
    """Bare domains whose last label is a known TLD, written in lower case."""
    tlds = "|".join(sorted(set(load_lines("tlds.txt")), key=len, reverse=True))
    return re.compile(
        r"(?<![\w@.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+(?:" + tlds + r")(?![\w-])"
        r"(?:/[^\s<>\"']*)?"
    )


def email_spans(text: str) -> list[tuple[int, int]]:
    """Spans of email addresses, plain or spelled out."""
    spans = [m.span() for m in _EMAIL.finditer(text)] if "@" in text else []
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


def phone_flags(text: str) -> list[FlagHit]:
    """pii_phone for each valid US (or international) phone number."""
    if not _DIGITS7.search(text):
        return []
    return [
        FlagHit("pii_phone", "high", "Contains a phone number.", m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, "US")
        if not _REFERENCE_LABEL.search(text, max(0, m.start - 40), m.start)
    ]


def link_flags(text: str, emails: list[tuple[int, int]]) -> list[FlagHit]:
    """link for URLs and bare domains; an email address alone is not a link."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for m in _URL.finditer(text) if ("http" in lowered or "www." in lowered) else ():
        spans.append((m.start(), m.end() - (len(m.group()) - len(m.group().rstrip(_TRAILING)))))
    for m in _bare_domain().finditer(text) if _DOT_LETTER.search(text) else ():
        span = (m.start(), m.end() - (len(m.group()) - len(m.group().rstrip(_TRAILING))))
        if not _overlaps(span, spans) and not _overlaps(span, emails):
            spans.append(span)
    return [FlagHit("link", "medium", "Contains a link or web address.", s, e) for s, e in sorted(spans)]


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    """True when span shares a character with any of others."""
    return any(span[0] < e and s < span[1] for s, e in others)
