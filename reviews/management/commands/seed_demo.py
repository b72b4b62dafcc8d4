"""Idempotent demo data: the 23 clinics, their therapists, some staff, and testimonials in every state."""
from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from reviews.models import Location, StaffMember, Testimonial, Therapist
from reviews.services import testimonial_submit

# Central New Jersey towns; "Piscataway/South Plainfield" and "Dayton" are the seed page's clinics.
TOWNS = [
    "Piscataway/South Plainfield", "Dayton", "Edison", "Metuchen", "Woodbridge", "Somerset", "East Brunswick",
    "Sayreville", "New Brunswick", "Highland Park", "North Brunswick", "Old Bridge", "Monroe", "Hillsborough",
    "Bridgewater", "Middlesex", "Scotch Plains", "Westfield", "Princeton", "Freehold", "Manalapan", "Matawan",
    "Perth Amboy",
]

FIRST = ["Brianna", "Kayla", "Alyssa", "Sean", "Marcus", "James", "Tyler", "Lauren", "Monica", "Christa", "Anil",
         "Gina", "Megan", "Stephanie", "Robert", "Priya", "Erin", "Jessica", "Carlos", "Rajesh", "Nicole", "Kevin",
         "Danielle", "Michael", "Samantha", "Victor", "Hannah", "Daniel", "Rachel", "Omar", "Tara", "Justin",
         "Melissa", "Anthony", "Ashley", "Brian", "Katherine", "Luis", "Olivia", "Patrick", "Emily", "Ravi",
         "Courtney", "Jason", "Natalie", "Eric"]
LAST = ["Kowalski", "Nguyen", "Romano", "Walsh", "Okafor", "Feldman", "Brooks", "Delgado", "Shah", "Lopez",
        "Patel", "Russo", "Sullivan", "Moreno", "Chen", "Iyer", "Gallagher", "Kim", "Ferreira", "Mehta", "Novak",
        "Hughes", "Santos", "Byrne", "Castillo", "Reyes", "Murphy", "Adams", "Cohen", "Haddad", "Flynn", "Costa",
        "Dwyer", "Morales", "Price", "Lynch", "Ortiz", "Bianchi", "Farrell", "Grant", "Hoffman", "Desai", "Quinn",
        "Rivera", "Sato", "Tran"]
NICKNAMES = {"Brianna": ["Bri"], "Robert": ["Rob", "Bob"], "Stephanie": ["Steph"], "Jessica": ["Jess"],
             "Rajesh": ["Raj"], "Michael": ["Mike"], "Katherine": ["Kate", "Katie"], "Samantha": ["Sam"],
             "Daniel": ["Dan"], "Anthony": ["Tony"], "Nicole": ["Nikki"]}
STAFF = [("Denise", "Carter", "Billing"), ("Dana", "Hancock", "Front desk"), ("Maria", "Alvarez", "Front desk")]

# (status[:rejection reason], rating, words, condition); the first two are from the practice's own condition page.
TESTIMONIALS = [
    ("approved", 5, "I was treated for occipital neuralgia and posture issues. Aside from performing wonderful "
     "treatment, everybody there is super friendly and accommodating. Bri is a knowledgeable and experienced "
     "physical therapist. My posture has gotten much better and the headaches and pain I used to experience have "
     "completely disappeared after 3 months. I would recommend this clinic to anyone seeking physical therapy.",
     "occipital neuralgia"),
    ("approved", 5, "I went from being almost totally debilitated by a pelvic fracture to being able to negotiate "
     "6 flights of stairs. Therapy was intense, therapists are knowledgeable, helpful, encouraging and respectful. "
     "I highly recommend this facility.", "pelvic fracture"),
    ("approved", 5, "After my stroke I had foot drop and kept tripping on the stairs. Six weeks of gait training "
     "and strengthening later I walk my dog around the block again without the brace.", "foot drop"),
    ("approved", 4, "My ankle sprain took a while, but the exercises worked and the staff were always on time. "
     "Parking can be tight in the mornings.", "ankle sprain"),
    ("approved", 5, "Knee replacement in March, back on the tennis court by August. The team pushed me just "
     "enough and explained every exercise.", "knee replacement"),
    ("approved", 3, "Good therapists but scheduling was hard and I often waited 15 minutes past my time. My "
     "shoulder is better though.", "rotator cuff"),
    ("approved", 5, "I came in with sciatica so bad I could not sit through a movie. Now I sit, drive and garden "
     "with no pain. Thank you!", "sciatica"),
    ("approved", 2, "The exercises helped my neck a little, but I felt rushed and the front desk lost my "
     "referral twice.", "neck pain"),
    ("in_review", 5, "Concussion rehab here got my daughter back to school and soccer. The vestibular exercises "
     "were hard at first but they worked.", "concussion"),
    ("in_review", 1, "I waited 40 minutes every visit and nobody apologized. Then they billed my insurance for "
     "sessions I cancelled.", ""),
    ("in_review", 5, "Great place! Call me anytime at 732-555-0142 if you want to hear more about my ACL recovery.",
     "ACL"),
    ("in_review", 4, "Vertigo gone after four visits. I was skeptical of the head maneuvers but they really work.",
     "vertigo"),
    ("in_review", 5, "Best care I have had for my lower back. My husband, Gregory Lindqvist, is now a patient "
     "too.", "back pain"),
    ("pending", 5, "Hip replacement rehab went better than I ever expected. I am walking two miles a day.",
     "hip replacement"),
    ("pending", 4, "Plantar fasciitis is finally under control thanks to the stretching program.",
     "plantar fasciitis"),
    ("rejected:spam", 5, "Visit cheap-supplements-online.example for the best joint pills!!! Discount code PT50",
     ""),
    ("rejected:abusive", 1, "This place is a total joke and the therapist is an idiot, I hope they close down.", ""),
    ("withdrawn", 5, "Lovely people who helped my shoulder after surgery. I changed my mind about having this "
     "online, though.", "shoulder surgery"),
]

PATIENTS = [("Stephanie", "Marino"), ("Stephanie", "Reyes"), ("Walter", "Gibbs"), ("Aisha", "Bello"),
            ("Frank", "DeLuca"), ("Linda", "Park"), ("Joseph", "Amato"), ("Carmen", "Ruiz"), ("Heather", "Boyd"),
            ("Samuel", "Oyelaran"), ("Irene", "Kaplan"), ("Peter", "Wu"), ("Gloria", "Mendes"),
            ("Harold", "Stein"), ("Yolanda", "Pierce"), ("Spam", "Bot"), ("Angry", "Visitor"), ("Ruth", "Lam")]


class Command(BaseCommand):
    help = "Load demo data (idempotent): 23 clinics, therapists, staff and testimonials in every state."

    def handle(self, *args, **options) -> None:
        from moderation import services as moderation

        with transaction.atomic():
            locations = self._locations()
            therapists = self._therapists(locations)
            for first, last, role in STAFF:
                StaffMember.objects.get_or_create(first_name=first, last_name=last, defaults={"role": role})
        created = 0
        for index, (status, rating, body, condition) in enumerate(TESTIMONIALS):
            location = locations[index % len(locations)]
            therapist = next((t for t in therapists if location in t.demo_locations), None)
            first, last = PATIENTS[index]
            testimonial, is_new = testimonial_submit(
                location=location, therapist=therapist, rating=rating, body=body, condition=condition,
                first_name=first, last_name=last, email=f"{slugify(first)}.{slugify(last)}@example.com",
                display_as=Testimonial.DisplayAs.INITIAL, source=Testimonial.Source.DEMO, enqueue=False,
            )
            if not is_new:
                continue
            created += 1
            if status == "pending":
                continue
            if status == "withdrawn":
                moderation.testimonial_withdraw(testimonial=testimonial)
                continue
            moderation.testimonial_analyze(testimonial=testimonial)
            if status == "approved":
                moderation.testimonial_approve(testimonial=testimonial, actor=None)
            elif status.startswith("rejected:"):
                moderation.testimonial_reject(testimonial=testimonial, actor=None, reason=status.split(":")[1])
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(locations)} clinics, {len(therapists)} therapists, "
            f"{created} new testimonials ({Testimonial.objects.count()} in all)."))

    def _locations(self) -> list[Location]:
        result = []
        for town in TOWNS:
            # The sources name each clinic's town, not its street: the address says no more than they do.
            address = f"{town.split('/')[0]}, NJ"
            location, _ = Location.objects.get_or_create(
                slug=slugify(town.replace("/", " ")),
                defaults={"name": town, "town": town.split("/")[0], "address": address},
            )
            if not location.address:  # demo data loaded before clinics had an address
                Location.objects.filter(pk=location.pk).update(address=address)
                location.address = address
            result.append(location)
        return result

    def _therapists(self, locations: list[Location]) -> list[Therapist]:
        result = []
        for index, (first, last) in enumerate(zip(FIRST, LAST, strict=True)):
            # Two therapists a clinic, and some who also cover the neighbouring clinic.
            at = [locations[index % len(locations)]]
            if index % 3 == 0:
                at.append(locations[(index + 1) % len(locations)])
            therapist, _ = Therapist.objects.get_or_create(
                slug=slugify(f"{first} {last}"),
                defaults={"first_name": first, "last_name": last, "credentials": "PT, DPT",
                          "nicknames": NICKNAMES.get(first, [])},
            )
            therapist.locations.add(*at)
            therapist.demo_locations = at
            result.append(therapist)
        return result
