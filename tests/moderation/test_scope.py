"""Clinic scope: managers see their assigned clinics only; the roles come from a migration."""
import pytest

from moderation import scope
from moderation.models import ClinicAssignment
from tests.factories import LocationFactory, TestimonialFactory, staff_user

pytestmark = pytest.mark.django_db


staff = staff_user


def test_a_clinic_manager_sees_and_moderates_only_the_assigned_clinic():
    mine, other = LocationFactory(), LocationFactory()
    here, there = TestimonialFactory(location=mine), TestimonialFactory(location=other)
    manager = staff("manager", "Clinic managers")
    ClinicAssignment.objects.create(user=manager, location=mine)
    assert list(scope.testimonials_for(manager)) == [here]
    assert list(scope.locations_for(manager)) == [mine]
    assert scope.may_moderate(manager, here) and not scope.may_moderate(manager, there)


def test_moderators_see_every_clinic_and_viewers_moderate_none():
    testimonials = {TestimonialFactory().pk, TestimonialFactory().pk}
    moderator, viewer = staff("moderator", "Moderators"), staff("viewer", "Viewers")
    assert set(scope.testimonials_for(moderator).values_list("pk", flat=True)) == testimonials
    assert set(scope.testimonials_for(viewer).values_list("pk", flat=True)) == testimonials
    assert scope.may_moderate(moderator) and not scope.may_moderate(viewer)


def test_a_manager_without_an_assignment_sees_nothing():
    TestimonialFactory()
    assert not scope.testimonials_for(staff("new", "Clinic managers")).exists()
