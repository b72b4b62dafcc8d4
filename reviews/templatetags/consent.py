"""The authorization text as the form shows it, naming the condition the patient typed."""
from __future__ import annotations

from django import template
from django.conf import settings

from reviews.consent import CURRENT_VERSION, condition_clause, consent_text_parts
from reviews.forms import clean_text

register = template.Library()


@register.simple_tag
def consent_parts(condition: str | None = None, version: int = CURRENT_VERSION) -> dict[str, str]:
    """before / clause / after of the text, the clause's template for the script, and the condition named."""
    named = clean_text(condition or "")
    before, clause, after = consent_text_parts(version=version, condition=named)
    return {"before": before, "clause": clause, "after": after, "named": named,
            "template": condition_clause(condition="", placeholder=True), "contact": settings.PRIVACY_CONTACT}
