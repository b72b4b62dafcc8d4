"""hypothesis over the patient form: any Unicode, huge pastes, control characters, NUL bytes, markup,
bytes that are not UTF-8, missing and repeated fields. Never a 500; an invalid post comes back (200) with
its errors and every typed value kept, and stores nothing; a valid one stores exactly what the form
cleaned, once; markup is never reflected as markup."""
from __future__ import annotations

import html
import re
import time
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from reviews.forms import clean_text, form_token_issue
from reviews.models import Testimonial
from reviews.services import submission_key
from tests.factories import LocationFactory, TherapistFactory

pytestmark = pytest.mark.django_db

MARK = "<x-hostile onload=alert(1)>"  # markup that must only ever come back escaped
ANY_CHAR = st.characters(blacklist_categories=("Cs",))  # a browser cannot send a lone surrogate
HOSTILE = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.text(st.characters(max_codepoint=0x9f), max_size=40),  # ASCII and the C0/C1 controls, NUL included
    st.sampled_from([MARK, "</textarea><script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
                     "{{ form }}", "{% debug %}", "\x00", "\u202e\u2066", "İ" * 30, "💥" * 10, " ", "",
                     "' OR 1=1 --", "%00", "\r\n\r\n", "a" * 300]),
)
HUGE = st.tuples(st.text(ANY_CHAR, min_size=1, max_size=8), st.integers(500, 12_000)).map(lambda p: p[0] * p[1])


def field(valid, *, huge: bool = False):
    options = [valid, HOSTILE, st.none()]  # None: the field is left out of the post
    return st.one_of(*(options + [HUGE] if huge else options))


# Any field missing, hostile or huge…
ANYTHING = st.fixed_dictionaries({
    "location": field(st.sampled_from(["dayton", "edison"])),
    "therapist": field(st.sampled_from(["", "brianna-kowalski"])),
    "rating": field(st.sampled_from(["1", "3", "5"])),
    "body": field(HOSTILE.map(lambda t: "My knee is so much better after the exercises. " + t), huge=True),
    "condition": field(st.just("knee")),
    "first_name": field(st.sampled_from(["Dana", "José", "Zoë"]), huge=True),
    "last_name": field(st.sampled_from(["Zimmerman", "O'Brien"])),
    "email": field(st.emails()),
    "display_as": field(st.sampled_from(["initial", "first_name", "anonymous"])),
    "consent": field(st.just("on")),
    "website": st.one_of(st.just(""), st.just(""), HOSTILE),
})
# …and complete posts whose free text is hostile (most of them are taken and stored).
WELL_FORMED = st.fixed_dictionaries({
    "location": st.just("dayton"),
    "therapist": st.sampled_from(["", "brianna-kowalski"]),
    "rating": st.sampled_from(["1", "5"]),
    "body": st.tuples(HOSTILE, HOSTILE).map(lambda p: p[0] + " My knee is so much better after the exercises. " + p[1]),
    "condition": HOSTILE,
    "first_name": HOSTILE.map(lambda t: "Dana " + t[:40]),
    "last_name": HOSTILE.map(lambda t: t[:40] + " Z"),
    "email": st.emails(),
    "display_as": st.sampled_from(["initial", "first_name", "anonymous"]),
    "consent": st.just("on"),
    "website": st.sampled_from(["", "", "", "http://spam.example"]),
})
POSTS = st.one_of(ANYTHING, WELL_FORMED)


@pytest.fixture
def open_form(settings):
    dayton = LocationFactory(name="Dayton", slug="dayton")
    LocationFactory(name="Edison", slug="edison")
    TherapistFactory(first_name="Brianna", last_name="Kowalski", slug="brianna-kowalski", locations=[dayton])
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 0
    settings.TESTIMONIAL_RATE_PER_IP = settings.TESTIMONIAL_RATE_PER_EMAIL = 10**9
    return settings


def _kept(page: str, name: str, sent: str) -> bool:
    """The value the patient typed is in the re-rendered field (escaped), whole."""
    if name == "body":
        match = re.search(r'<textarea name="body"[^>]*>(.*?)</textarea>', page, re.S)
    else:
        match = re.search(rf'<input type="[a-z]+" name="{name}" id="id_{name}" value="([^"]*)"', page)
    return match is not None and html.unescape(match.group(1)) == sent


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(post=POSTS, spanish=st.booleans())
@example(post={"location": "dayton", "therapist": "", "rating": "5", "body": "Great care! " + MARK + "\x00" * 20,
               "condition": MARK, "first_name": "Dana\x00", "last_name": "Z", "email": "dana@example.com",
               "display_as": None, "consent": "on", "website": ""}, spanish=False)
def test_the_form_never_fails_and_keeps_or_stores_exactly_what_was_typed(client, open_form, post, spanish):
    data = {name: value for name, value in post.items() if value is not None}
    data["form_token"] = form_token_issue(now=time.time() - 10)
    before = Testimonial.objects.count()

    response = client.post("/es/testimonials/new/" if spanish else "/testimonials/new/", data)

    assert response.status_code in (200, 302), response.status_code
    event(f"answered {response.status_code}")
    page = response.content.decode()
    assert MARK not in page and "<script>alert(1)" not in page and "<img src=x" not in page
    if response.status_code == 200:  # refused: errors shown, every typed value back in its field, nothing stored
        assert 'id="error-summary"' in page or 'id="form-notice"' in page
        assert Testimonial.objects.count() == before
        for name in ("body", "first_name", "last_name", "condition"):
            if name in data:
                assert _kept(page, name, data[name]), name
        return
    # taken: the thanks page, and the cleaned words stored once (the same words again are that same row)
    assert response["Location"].endswith("/testimonials/thanks/")
    body = clean_text(data["body"], multiline=True)
    stored = Testimonial.objects.get(submission_key=submission_key(email=data["email"].strip().lower(), body=body))
    assert stored.body == body and "\x00" not in stored.body
    if Testimonial.objects.count() == before:
        return
    assert Testimonial.objects.count() == before + 1
    assert stored.first_name == clean_text(data["first_name"]) and "\x00" not in stored.first_name
    assert stored.condition == clean_text(data["condition"])
    assert stored.status == ("rejected" if data.get("website") else "pending")


@given(raw=st.lists(st.tuples(st.sampled_from(["location", "body", "email", "first_name", "consent", "rating",
                                               "form_token", "website", "x" * 300]),
                              st.binary(max_size=200)), max_size=30))
def test_bytes_that_are_not_utf8_and_repeated_fields_are_answered_not_a_500(client, open_form, raw):
    before = Testimonial.objects.count()
    response = client.post("/testimonials/new/", urlencode(raw).encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)
    assert Testimonial.objects.count() == before  # no valid token among them: nothing stored


@given(location=HOSTILE, therapist=HOSTILE)
def test_the_preselecting_query_string_is_never_reflected_as_markup(client, open_form, location, therapist):
    response = client.get("/testimonials/new/", {"location": location, "therapist": therapist})
    assert response.status_code == 200
    assert MARK not in response.content.decode() and "<script>alert(1)" not in response.content.decode()


def test_a_post_beyond_the_upload_limit_is_a_400_and_stores_nothing(client, open_form, settings):
    before = Testimonial.objects.count()
    body = "é" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2)
    response = client.post("/testimonials/new/", {"location": "dayton", "body": body, "rating": "5"})
    assert response.status_code == 400 and Testimonial.objects.count() == before


def test_a_flood_of_fields_is_a_400(client, open_form):
    response = client.post("/testimonials/new/", urlencode([("f", "1")] * 5000).encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
