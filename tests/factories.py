"""factory_boy factories for the models tests need."""
from __future__ import annotations

import factory
from django.utils import timezone

from reviews.consent import CURRENT_VERSION, consent_expiry, consent_text
from reviews.models import Location, StaffMember, Testimonial, Therapist


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Town {n}")
    slug = factory.Sequence(lambda n: f"town-{n}")
    town = factory.SelfAttribute("name")


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapist
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Thera{n}")
    last_name = "Pist"
    slug = factory.LazyAttribute(lambda o: f"{o.first_name}-{o.last_name}".lower())

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.add(*extracted)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    first_name = "Dana"
    last_name = "Hancock"
    role = "Front desk"


class TestimonialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimonial

    location = factory.SubFactory(LocationFactory)
    therapist = None
    rating = 5
    body = factory.Sequence(lambda n: f"My knee feels great after six weeks of therapy here. Visit number {n}.")
    first_name = "Stephanie"
    last_name = "Marino"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    consent_version = CURRENT_VERSION
    consented_at = factory.LazyFunction(timezone.now)
    consent_text = factory.LazyAttribute(lambda o: consent_text(version=o.consent_version, given_at=o.consented_at))
    consent_expires_at = factory.LazyAttribute(lambda o: consent_expiry(given_at=o.consented_at))
    submission_key = factory.Sequence(lambda n: f"key-{n}")
    status = Testimonial.Status.PENDING


def staff_user(username: str, group: str, *clinics: Location, email: str | None = None,
               domain: str = "example.com", password: str = "pw"):
    """A staff user in one of the roles the migrations create, assigned to `clinics`; read back from the
    database, so no permission is cached from before the group was added."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from moderation.models import ClinicAssignment

    user_model = get_user_model()
    user = user_model.objects.create_user(username, email or f"{username}@{domain}", password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for clinic in clinics:
        ClinicAssignment.objects.create(user=user, location=clinic)
    return user_model.objects.get(pk=user.pk)
