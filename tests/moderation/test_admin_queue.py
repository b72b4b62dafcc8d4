"""The moderation queue on one screen (issue 8, item 2): search across every status (an email matched
exactly), the filters, oldest first, a constant number of queries per page, estimated counts."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from moderation import admin_display, admin_paginator
from moderation.models import Analysis, Flag
from reviews.models import Testimonial
from tests.conftest import missing
from tests.factories import LocationFactory, TestimonialFactory, TherapistFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/reviews/testimonial/"


def make(status: str = "in_review", *, hours_ago: int = 1, label: str = "positive", compound: float = 0.5,
         flags: tuple[str, ...] = (), **kwargs) -> Testimonial:
    testimonial = TestimonialFactory(**kwargs)
    Testimonial.objects.filter(pk=testimonial.pk).update(
        status=status, published_at=timezone.now() if status == "approved" else None,
        created_at=timezone.now() - dt.timedelta(hours=hours_ago))
    Analysis.objects.create(testimonial=testimonial, analyzer_version="t", compound=compound, pos=0, neu=1, neg=0,
                            label=label)
    for code in flags:
        Flag.objects.create(testimonial=testimonial, code=code, severity="high", message=code)
    return Testimonial.objects.get(pk=testimonial.pk)


def listed(client, query: str = "") -> list[int]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return [row.pk for row in response.context["cl"].result_list]


# --- search ---------------------------------------------------------------------------------------------

def test_a_search_from_the_default_queue_finds_a_surname_in_every_status(admin_client):
    # given the default queue shows only what is in review
    published = make("approved", last_name="Zimmerman")
    rejected = make("rejected", last_name="Zimmermann")
    make("in_review", last_name="Kowalski")
    assert listed(admin_client) != [] and published.pk not in listed(admin_client)
    # when a moderator searches for a surname, the approved and rejected rows are found
    assert set(listed(admin_client, "?q=zimmerman")) == {published.pk, rejected.pk}


def test_a_search_finds_the_condition_the_patient_typed(admin_client):
    heel = make("in_review", condition="Plantar fasciitis", body="The stretches worked and I walk without pain.")
    make("in_review", condition="Knee replacement", body="Good care from the whole team here.")
    assert listed(admin_client, "?q=fasciitis") == [heel.pk]
    assert listed(admin_client, "?q=plantar+walk") == [heel.pk]  # every word, from the condition or the text


def test_a_search_keeps_an_explicitly_chosen_status(admin_client):
    published = make("approved", last_name="Zimmerman")
    make("rejected", last_name="Zimmerman")
    assert listed(admin_client, "?q=Zimmerman&status__exact=approved") == [published.pk]


def test_an_email_matches_exactly_in_any_case_never_a_part_of_one(admin_client):
    dana = make("approved", email="dana@example.com")
    make("in_review", email="ydana@example.com")
    make("in_review", email="dana@example.com.au")
    in_text = make("in_review", body="Please write to dana@example.com.au, thanks for everything.")
    assert listed(admin_client, "?q=Dana@Example.COM") == [dana.pk]
    # a part of an address is a word search: it finds the text that contains it, never the addresses
    assert listed(admin_client, "?q=example.com") == [in_text.pk]


def test_the_name_as_shown_finds_first_name_and_last_initial(admin_client):
    stephanie_m = make("in_review", first_name="Stephanie", last_name="Marino")
    make("in_review", first_name="Stephanie", last_name="Jones")
    make("in_review", first_name="Maria", last_name="Marino")
    assert listed(admin_client, "?q=Stephanie+M.") == [stephanie_m.pk]


def test_words_of_the_text_and_the_testimonial_number_are_found(admin_client):
    knee = make("rejected", body="My knee bends again after the replacement.")
    make("in_review", body="My shoulder is strong again.")
    assert listed(admin_client, "?q=KNEE+replacement") == [knee.pk]
    assert listed(admin_client, f"?q=%23{knee.pk}") == [knee.pk]
    assert listed(admin_client, '?q="knee+bends"') == [knee.pk]


# --- filters and order ----------------------------------------------------------------------------------

def test_the_queue_shows_the_oldest_waiting_first_with_its_age(admin_client):
    newer, oldest, middle = make(hours_ago=2), make(hours_ago=72), make(hours_ago=30)
    assert listed(admin_client) == [oldest.pk, middle.pk, newer.pk]
    page = admin_client.get(CHANGELIST).content.decode()
    assert ">3 d</span>" in page and ">1 d</span>" in page and ">2 h</span>" in page


@pytest.mark.parametrize("query, expected", [
    ("?language=en", {"english"}), ("?language=es", {"spanish"}), ("?language=other", {"korean"}),
    ("?language=unknown", {"undetected"}),
])
def test_the_language_filter(admin_client, query, expected):
    rows = {name: make(language=code) for name, code in
            [("english", "en"), ("spanish", "es"), ("korean", "ko"), ("undetected", "")]}
    Testimonial.objects.filter(pk=rows["undetected"].pk).update(language="")
    found = set(listed(admin_client, query))
    assert found == {rows[name].pk for name in expected}


@pytest.mark.parametrize("query, expected", [
    ("?received=today", {"now"}), ("?received=7d", {"now", "last_week"}), ("?received=30d", {"now", "last_week"}),
    ("?received=older30", {"old"}), ("?received=older90", set()),
])
def test_the_received_date_filter(admin_client, query, expected):
    rows = {"now": make(hours_ago=0), "last_week": make(hours_ago=24 * 5), "old": make(hours_ago=24 * 45)}
    assert set(listed(admin_client, query)) == {rows[name].pk for name in expected}


def test_the_flag_rating_sentiment_and_clinic_filters(admin_client):
    dayton = LocationFactory(name="Dayton", slug="dayton")
    phone = make(flags=("pii_phone", "link"), rating=2, label="negative", compound=-0.4)
    clean = make(rating=5, location=dayton)
    assert listed(admin_client, "?flag=pii_phone") == [phone.pk]
    assert listed(admin_client, "?flag=none") == [clean.pk]
    assert listed(admin_client, "?rating__exact=2") == [phone.pk]
    assert listed(admin_client, "?sentiment=negative") == [phone.pk]
    assert listed(admin_client, f"?location__id__exact={dayton.pk}") == [clean.pk]
    assert listed(admin_client, "?status__exact=nonsense") == []


# --- what the rows show -----------------------------------------------------------------------------------

def test_a_label_and_a_number_of_opposite_signs_are_marked_and_explained(admin_client):
    make(label="positive", compound=-0.08, body="I was in agony after the fall; now I walk again.")
    make(label="positive", compound=0.62, body="Wonderful team, thank you so much.")
    page = admin_client.get(CHANGELIST).content.decode()
    assert page.count('<abbr class="differs"') == 2  # one in the legend, one on the row that disagrees
    assert "VADER -0.08" in page and "VADER +0.62" in page
    assert "the number VADER&#x27;s raw score" in page or "the number VADER's raw score" in page


@pytest.mark.parametrize("label, compound, differs", [
    ("positive", -0.08, True), ("negative", 0.3, True), ("positive", 0.02, False), ("neutral", -0.9, False),
    ("negative", -0.5, False),
])
def test_disagreement_is_a_sign_against_the_label(label, compound, differs):
    assert admin_display.disagrees(label, compound) is differs


def test_patient_text_in_the_queue_is_escaped(admin_client):
    make(body="<img src=x onerror=alert(1)> my knee")
    page = admin_client.get(CHANGELIST).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page


# --- cost per page ----------------------------------------------------------------------------------------

def queries_for_a_page(client, query: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST + query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?q=knee", "?flag=pii_phone", "?status__exact=all"])
def test_the_number_of_queries_per_page_does_not_grow_with_the_rows(admin_client, query):
    therapist = TherapistFactory()
    make(flags=("pii_phone",), therapist=therapist, body="knee")
    few = queries_for_a_page(admin_client, query)
    for n in range(30):
        make(flags=("pii_phone", "link"), therapist=TherapistFactory(), body=f"my knee {n}",
             location=LocationFactory())
    assert queries_for_a_page(admin_client, query) == few


def test_the_page_never_counts_the_whole_table(admin_client):
    make()
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(CHANGELIST)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "WHERE" in counts[0].upper()  # the paginator's filtered count only


def test_beyond_the_exact_limit_postgresql_estimates_and_the_page_says_about(admin_client, monkeypatch):
    if connection.vendor != "postgresql":
        missing("estimated counts need PostgreSQL")
    monkeypatch.setattr(admin_paginator, "EXACT_COUNT_LIMIT", 5)
    monkeypatch.setattr(admin.site._registry[Testimonial], "list_per_page", 2)
    for n in range(12):
        make(hours_ago=n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reviews_testimonial")
    response = admin_client.get(CHANGELIST + "?status__exact=all")
    cl = response.context["cl"]
    assert cl.paginator.estimated and cl.result_count > 5
    assert "about " in response.content.decode()
    # a filtered page estimates too, and a page past an overshooting estimate is empty, not an error
    response = admin_client.get(CHANGELIST + "?status__exact=in_review&p=40")
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


def test_on_postgresql_the_search_has_trigram_indexes_and_on_sqlite_none(db):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, "reviews_testimonial"))
    trigram = {"testimonial_body_trgm_idx", "testimonial_first_name_trgm_idx", "testimonial_last_name_trgm_idx",
               "testimonial_condition_trgm_idx"}
    if connection.vendor == "postgresql":
        assert trigram <= names
    else:
        assert not trigram & names
    assert {"testimonial_queue_idx", "testimonial_received_idx", "testimonial_email_upper_idx"} <= names


# --- the change page's decisions --------------------------------------------------------------------------

def decide(client, testimonial: Testimonial, **extra):
    return client.post(f"{CHANGELIST}{testimonial.pk}/change/", {
        "body": testimonial.body, "condition": testimonial.condition, "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0", "expected_status": testimonial.status, **extra})


def test_after_a_decision_the_next_in_the_queue_opens_and_after_the_last_the_queue(admin_client):
    first, second = make(hours_ago=5), make(hours_ago=3)
    response = decide(admin_client, first, _approve="1")
    assert response.url == f"{CHANGELIST}{second.pk}/change/"
    response = decide(admin_client, second, _reject="1", reject_reason="spam", reject_note="a pharmacy advert")
    assert response.url == CHANGELIST
    assert second.events.get(to_status="rejected").note == "a pharmacy advert"


def test_a_rejection_needs_an_explicitly_chosen_reason(admin_client):
    testimonial = make()
    page = admin_client.get(f"{CHANGELIST}{testimonial.pk}/change/").content.decode()
    assert '<option value="" selected>— choose a reason —</option>' in page
    reasons = re.search(r'name="reject_reason".*?</select>', page, re.S).group(0)
    assert reasons.count(" selected>") == 1  # no reason preselected
    response = decide(admin_client, testimonial, _reject="1", reject_reason="")
    assert response.status_code == 302
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert any("Choose the reason" in m for m in messages)
    assert Testimonial.objects.get(pk=testimonial.pk).status == "in_review"


def test_the_change_page_puts_the_decision_before_the_private_details(admin_client):
    testimonial = make(flags=("pii_phone",), email="dana@example.com")
    page = admin_client.get(f"{CHANGELIST}{testimonial.pk}/change/").content.decode()
    order = [page.index(marker) for marker in ('class="testimonial-text"', "<h3>Flags</h3>", "<h3>Sentiment</h3>",
                                               "<h3>Outcome claims</h3>", "<h3>Therapists mentioned</h3>",
                                               'id="decision-bar"', "Author (private)", "Authorization",
                                               "History (cannot be edited)")]
    assert order == sorted(order)
    assert "j</kbd>/<kbd>k</kbd> next/previous" in page  # the keyboard hint


def test_view_site_leads_to_the_practice_website_or_is_not_shown(admin_client, settings):
    assert admin.site.site_url == (settings.SITE_HOME_URL or None)
    page = admin_client.get("/admin/").content.decode()
    if not settings.SITE_HOME_URL:
        assert "View site" not in page
