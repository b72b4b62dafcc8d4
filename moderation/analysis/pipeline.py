"""analyze(): every detector over one text, in a fixed order, into one AnalysisResult."""
from __future__ import annotations

from .contact import email_flags, email_spans, link_flags, phone_flags
from .duplicates import fingerprint
from .form import shouting_flag, too_short_flag
from .language import detect_language, non_english_flag
from .names import name_flags
from .outcomes import find_outcome_claims
from .profanity import profanity_flags
from .results import AnalysisContext, AnalysisResult, FlagHit, Sentiment
from .sentiment import analyze_sentiment
from .spam import spam_flag
from .tags import find_tags
from .therapists import therapists_mentioned

_EMPTY_CONTEXT = AnalysisContext()


def _rating_mismatch(sentiment: Sentiment, rating: int | None) -> FlagHit | None:
    """rating_mismatch: positive words with 1–2 stars, or negative words with 4–5."""
    if rating is None:
        return None
    if sentiment.label == "positive" and rating <= 2:
        return FlagHit("rating_mismatch", "medium", f"Positive words but {rating} star(s).")
    if sentiment.label == "negative" and rating >= 4:
        return FlagHit("rating_mismatch", "medium", f"Negative words but {rating} stars.")
    return None


def _sort_key(flag: FlagHit) -> tuple[int, str, int]:
    """Flags without a span first, then by start; ties by code."""
    return (-1 if flag.start is None else flag.start, flag.code, -1 if flag.end is None else flag.end)


def analyze(text: str, *, rating: int | None = None, context: AnalysisContext | None = None) -> AnalysisResult:
    """The full analysis of a testimonial; deterministic, no I/O beyond the data files."""
    context = context or _EMPTY_CONTEXT
    flags: list[FlagHit | None] = []
    emails = email_spans(text)
    flags += email_flags(text, emails)
    flags += phone_flags(text)
    links = link_flags(text, emails)
    flags += links
    flags += name_flags(text, context)
    swearing = profanity_flags(text)
    flags += swearing
    spam = spam_flag(text, has_link=bool(links))
    language = detect_language(text)
    claims = find_outcome_claims(text)
    sentiment, sentences = analyze_sentiment(
        text, language=language, is_spam=spam is not None,
        claims=[(c.start, c.end) for c in claims], swearing=[(f.start, f.end) for f in swearing])
    flags += [
        spam,
        non_english_flag(language),
        too_short_flag(text),
        shouting_flag(text),
        FlagHit("negative_sentiment", "low", "The words read as negative (not by itself a reason to reject).")
        if sentiment.label == "negative" else None,
        _rating_mismatch(sentiment, rating),
    ]
    ordered = tuple(sorted({f for f in flags if f is not None}, key=_sort_key))
    return AnalysisResult(
        sentiment=sentiment,
        flags=ordered,
        tags=find_tags(text),
        therapists_mentioned=therapists_mentioned(text, context),
        language=language,
        sentences=sentences,
        outcome_claims=claims,
        fingerprint=fingerprint(text),
    )
