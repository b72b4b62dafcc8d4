"""Pure text analysis of testimonials: sentiment, flags, tags, therapist mentions, outcome claims.

No Django, no settings, no Celery: plain functions over a string and an optional context, so the
Celery task, the management commands, the benches and the tests all call the same code.
"""
from __future__ import annotations

from .duplicates import duplicate_flag, fingerprint
from .pipeline import analyze
from .results import (
    AnalysisContext,
    AnalysisResult,
    FlagHit,
    OutcomeClaim,
    SentenceScore,
    Sentiment,
    TherapistRef,
)
from .tags import tag_vocabulary

# Bump whenever the output for some text may change; stored with each analysis so `rescore`
# can find stale ones.
ANALYZER_VERSION = "2026.12.1"  # 2026.12.1: Spanish scored by its own lexicon, other languages not scored

__all__ = [
    "ANALYZER_VERSION",
    "AnalysisResult",
    "AnalysisContext",
    "FlagHit",
    "OutcomeClaim",
    "SentenceScore",
    "Sentiment",
    "TherapistRef",
    "analyze",
    "duplicate_flag",
    "fingerprint",
    "tag_vocabulary",
]
