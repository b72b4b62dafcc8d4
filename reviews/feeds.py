"""The public feed as Atom 1.0: the same approved testimonials and filters as /api/v1/testimonials/.

Filters come from the API's FilterSet and the selection from reviews.selectors, so the feed can never
show what the list would not. Responses go through the API's HTTP cache (stored bytes under the
publication version, ETag, Last-Modified, Cache-Control, 304s); a bad filter is a 400 with a message."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import override
from django.views import View
from rest_framework.exceptions import ValidationError

from reviews.api.filters import TestimonialFilter
from reviews.api.http_cache import CachedGetMixin
from reviews.models import Testimonial
from reviews.selectors import testimonial_list_published

FEED_ENTRIES = 50  # the newest; a reader polls, it does not page back


class TextContentAtom(Atom1Feed):
    """Atom with each entry's words as `<content type="text">` (no HTML to sanitise on the reader's side)."""

    def item_attributes(self, item) -> dict:
        return {"xml:lang": item["language"]} if item.get("language") else {}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "text"})


class TestimonialAtomFeed(Feed):
    feed_type = TextContentAtom
    title = "Patient testimonials"
    subtitle = "Approved testimonials, newest first."

    def get_object(self, request: HttpRequest) -> dict:
        """The filtered testimonials; a bad filter raises ValidationError (answered as a 400)."""
        filterset = TestimonialFilter(request.GET, queryset=testimonial_list_published(), request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        query = {k: v for k, v in request.GET.items() if k in filterset.filters and v}
        return {"items": list(filterset.qs[:FEED_ENTRIES]), "query": urlencode(sorted(query.items()))}

    def link(self, obj: dict) -> str:
        path = reverse("testimonial-list")
        return f"{path}?{obj['query']}" if obj["query"] else path

    def feed_url(self, obj: dict) -> str:
        path = reverse("testimonials-atom")
        return f"{path}?{obj['query']}" if obj["query"] else path

    def feed_guid(self, obj: dict) -> str:
        return f"tag:{_authority()},2026:testimonials{'?' + obj['query'] if obj['query'] else ''}"

    def items(self, obj: dict) -> list[Testimonial]:
        return obj["items"]

    def item_title(self, item: Testimonial) -> str:
        return f"{item.display_name} — {item.location.name}"

    def item_description(self, item: Testimonial) -> None:
        return None  # the words go in <content>, as text

    def item_link(self, item: Testimonial) -> str:
        return reverse("testimonial-detail", kwargs={"pk": item.pk})

    def item_guid(self, item: Testimonial) -> str:
        # Stable for the testimonial's life: its id and the day it was received never change,
        # even when it is taken down and published again.
        return f"tag:{_authority()},{item.created_at:%Y-%m-%d}:testimonial/{item.pk}"

    def item_author_name(self, item: Testimonial) -> str:
        return item.display_name

    def item_pubdate(self, item: Testimonial):
        return item.published_at

    def item_updateddate(self, item: Testimonial):
        return item.published_at

    def item_categories(self, item: Testimonial) -> list[str]:
        return [tag.slug for tag in item.tags.all()]

    def item_extra_kwargs(self, item: Testimonial) -> dict:
        return {"content": item.body, "language": item.language or item.locale}


def _authority() -> str:
    """The tag URI's authority: the site's configured host, not the request's (one id whatever the host)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class TestimonialsAtomView(CachedGetMixin, View):
    """GET /feeds/testimonials.atom — cached like the API (ETag, 304, stored bytes); bad filters are a 400."""

    http_method_names = ["get", "head"]
    feed = TestimonialAtomFeed()

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            with override("en"):
                response = self.feed(request)
        except ValidationError as error:
            return JsonResponse(error.detail, status=400)
        del response["Last-Modified"]  # CachedGetMixin sets the one that matches its ETag
        return response


testimonials_atom = TestimonialsAtomView.as_view()
