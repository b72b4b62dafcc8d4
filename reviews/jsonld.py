"""schema.org `Review` JSON-LD for one published testimonial, built only from its public representation
(so it can carry nothing the API does not already show). No AggregateRating: search engines treat a
business's ratings of itself as self-serving, and the practice collects these reviews itself."""
from __future__ import annotations

from typing import Any


def testimonial_jsonld(public: dict[str, Any]) -> dict[str, Any]:
    """The Review for a testimonial as `testimonial_represent` gives it."""
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Review",
        "reviewBody": public["body"],
        "reviewRating": {"@type": "Rating", "ratingValue": public["rating"], "bestRating": 5, "worstRating": 1},
        "author": {"@type": "Person", "name": public["display_name"]},
        "itemReviewed": {"@type": "MedicalClinic", "name": public["location"]["name"]},
        "datePublished": (public["published_at"] or "")[:10],
    }
    if public.get("language"):
        review["inLanguage"] = public["language"]
    if public.get("therapist"):
        review["about"] = {"@type": "Person", "name": public["therapist"]["name"]}
    return review
