from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews.models import Testimonial
from tests.factories import LocationFactory, TestimonialFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [0, 6])
def test_the_database_refuses_a_rating_outside_1_to_5(rating):
    # given a valid testimonial
    testimonial = TestimonialFactory()
    # when its rating is forced out of range, bypassing the form
    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.filter(pk=testimonial.pk).update(rating=rating)


def test_the_database_refuses_an_unknown_status():
    testimonial = TestimonialFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.filter(pk=testimonial.pk).update(status="published")


def test_the_database_refuses_an_approved_testimonial_without_published_at():
    testimonial = TestimonialFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=None)


def test_an_approved_testimonial_with_published_at_is_accepted():
    testimonial = TestimonialFactory()
    Testimonial.objects.filter(pk=testimonial.pk).update(status="approved", published_at=timezone.now())
    assert Testimonial.objects.get(pk=testimonial.pk).status == "approved"


def test_the_display_name_is_first_name_and_last_initial():
    assert TestimonialFactory.build(first_name="Stephanie", last_name="marino").display_name == "Stephanie M."


def test_an_anonymous_display_name_names_only_the_clinic():
    location = LocationFactory(name="Dayton", slug="dayton")
    testimonial = TestimonialFactory.build(location=location, display_as=Testimonial.DisplayAs.ANONYMOUS)
    assert testimonial.display_name == "A patient at Dayton"
