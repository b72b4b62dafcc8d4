"""Where a digest's signed link lands: behind the admin's login, to the testimonial's page."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from reviews.models import Testimonial

from . import scope
from .digest import digest_link_parse


def digest_link_view(request: HttpRequest, token: str) -> HttpResponse:
    queue = reverse("admin:reviews_testimonial_changelist")
    testimonial_id = digest_link_parse(token)
    if testimonial_id is None:
        messages.warning(request, "That link from the digest has expired or is incomplete; here is the queue.")
        return HttpResponseRedirect(queue)
    testimonial = Testimonial.objects.filter(pk=testimonial_id).first()
    if testimonial is None or not scope.in_scope(request.user, testimonial):
        messages.warning(request, "That testimonial is not one you can see; here is the queue.")
        return HttpResponseRedirect(queue)
    return HttpResponseRedirect(reverse("admin:reviews_testimonial_change", args=[testimonial.pk]))
