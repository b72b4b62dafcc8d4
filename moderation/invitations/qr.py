"""Front-desk QR codes (SVG): the patient form with the clinic, and the therapist, already chosen."""
from __future__ import annotations

import io

from reviews.models import Location, Therapist

from .sending import form_link


def qr_svg(*, location: Location, therapist: Therapist | None = None) -> bytes:
    """An SVG QR code of the form link; error correction M survives a scuffed sticker on a desk."""
    url = form_link(location_slug=location.slug, therapist_slug=therapist.slug if therapist else "")
    title = f"Testimonial form – {location.name}" + (f" – {therapist.name}" if therapist else "")
    import segno  # here, not at module level: every process loads the admin, few draw a QR code (~5 ms)

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=10, border=4, title=title)
    return out.getvalue()
