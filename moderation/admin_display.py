"""What the moderation screens show about a testimonial: the queue's compact columns and the change
page's decision panel. Every piece of patient text goes through format_html (escaped), never mark_safe."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from moderation.analysis.language import language_name
from moderation.analysis.sentiment import scored_languages
from reviews.models import Testimonial, Therapist

# Why the label and the number can disagree; shown wherever both are.
SENTIMENT_EXPLAINED = (
    "The label is this service's judgement of the words (it reads sentence roles: a story of the injury "
    "followed by thanks is positive). The number is VADER's compound score of the raw text, from −1 to +1 "
    "(for Spanish, VADER's rules with the service's Spanish lexicon): it counts words such as “pain” or "
    "“dolor” as negative, so a glowing recovery story can score below zero.")


def not_scored_reason(language: str) -> str:
    """Why a text has no sentiment, or "" when it was scored (English, Spanish, or not yet detected)."""
    if not language or language in scored_languages():
        return ""
    return (f"Sentiment not scored: the text looks like {language_name(language)}, and the service scores "
            "English (VADER) and Spanish (VADER's rules with a Spanish lexicon) only. Read it yourself.")


def _sign(value: float) -> int:
    return (value > 0.05) - (value < -0.05)  # VADER's own neutral band


def disagrees(label: str, compound: float) -> bool:
    """The label and VADER's number point opposite ways (a neutral on either side is no disagreement)."""
    label_sign = {"positive": 1, "negative": -1}.get(label, 0)
    return label_sign * _sign(compound) < 0


def sentiment_badge(label: str, compound: float, language: str = "") -> SafeString:
    """The service's label as a badge and VADER's number beside it, marked (with why) when they disagree;
    for a language the service does not score, a "not scored" badge with the reason and no number."""
    reason = not_scored_reason(language)
    if reason:
        return format_html('<span class="badge sentiment-not-scored" title="{}">not scored</span>', reason)
    scale = "VADER-es" if language == "es" else "VADER"
    mark = format_html('<abbr class="differs" title="{}">≠</abbr>', SENTIMENT_EXPLAINED) if disagrees(label, compound) \
        else ""
    return format_html('<span class="badge sentiment-{}">{}</span> <span class="vader" title="{}">{} {}{}</span>',
                       label, label, SENTIMENT_EXPLAINED, scale, f"{compound:+.2f}", mark)


def age(created_at: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """How long ago it arrived, in the largest whole unit ("3 d", "5 h", "12 min")."""
    seconds = max(0, int(((now or timezone.now()) - created_at).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return "now"


def excerpt(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def highlighted_body(testimonial: Testimonial) -> SafeString:
    """The text with each flagged span in a <mark> titled with its flag code."""
    body = testimonial.body
    spans = sorted({(f.start, f.end, f.code) for f in testimonial.flags.all() if f.start is not None and f.end})
    parts, cursor = [], 0
    for start, end, code in spans:
        if start < cursor:
            continue  # overlapping spans: the first one marked wins
        parts.append(format_html("{}<mark title=\"{}\">{}</mark>", body[cursor:start], code, body[start:end]))
        cursor = end
    parts.append(format_html("{}", body[cursor:]))
    return format_html('<div class="testimonial-text">{}</div>', format_html_join("", "{}", ((p,) for p in parts)))


def decision_panel(testimonial: Testimonial) -> dict:
    """The facts a moderator decides on, top-down: flags with their messages and the words they mark,
    sentiment overall and per sentence, outcome claims, therapists the analysis recognised."""
    body = testimonial.body
    analysis = getattr(testimonial, "analysis", None)
    flags = [{"code": f.code, "severity": f.severity, "message": f.message,
              "passage": body[f.start:f.end] if f.start is not None and f.end else ""}
             for f in sorted(testimonial.flags.all(), key=lambda f: (f.start is None, f.start or 0, f.code))]
    panel = {"text": highlighted_body(testimonial), "flags": flags, "analysis": analysis,
             "sentiment_explained": SENTIMENT_EXPLAINED, "sentences": [], "claims": [], "therapists": []}
    if analysis is None:
        return panel
    panel["overall"] = sentiment_badge(analysis.label, analysis.compound, analysis.language)
    panel["not_scored"] = not_scored_reason(analysis.language)
    panel["overall_differs"] = not panel["not_scored"] and disagrees(analysis.label, analysis.compound)
    panel["sentences"] = [
        {"badge": sentiment_badge(s.get("label", "neutral"), s.get("compound", 0.0), analysis.language),
         "role": s.get("role", ""),
         "text": body[s.get("start", 0):s.get("end", 0)]}
        for s in analysis.sentences
    ]
    panel["claims"] = [c.get("text", "") for c in analysis.outcome_claims]
    slugs = list(analysis.therapists_mentioned)
    found = {t.slug: t.name for t in Therapist.objects.filter(slug__in=slugs)} if slugs else {}
    panel["therapists"] = [found.get(slug, slug) for slug in slugs]
    return panel
