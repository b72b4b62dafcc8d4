from __future__ import annotations

import html
import re
import time

import pytest
from django.core import signing

from reviews.consent import CURRENT_VERSION
from reviews.forms import BODY_MAX, form_token_issue
from reviews.models import Testimonial
from tests.factories import LocationFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def post(client, data):
    return client.post("/testimonials/new/", data)


def test_a_valid_submission_is_stored_pending_and_redirects_to_thanks(client, valid_post,
                                                                       django_capture_on_commit_callbacks):
    # when a patient submits a complete form
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, valid_post())
    # then they land on the thanks page and the testimonial waits for analysis, with its consent
    assert response.status_code == 302 and response["Location"] == "/testimonials/thanks/"
    testimonial = Testimonial.objects.get()
    assert testimonial.status == "pending"
    assert testimonial.consent_version == CURRENT_VERSION and "expires on" in testimonial.consent_text
    assert testimonial.consent_expires_at > testimonial.consented_at
    # and the analysis and the confirmation email are enqueued only after the commit (together, in one
    # attempt), as is the feed-version bump that lets cached pages show the new received count
    assert len(callbacks) == 2


def test_the_raw_ip_is_never_stored(client, valid_post):
    post(client, valid_post())
    testimonial = Testimonial.objects.get()
    assert "127.0.0.1" not in str(testimonial.__dict__)
    assert len(testimonial.origin_hash) == 64


def test_a_link_prefills_clinic_and_therapist(client, clinic, therapist):
    page = client.get(f"/testimonials/new/?location={clinic.slug}&therapist={therapist.slug}").content.decode()
    assert f'<option value="{clinic.slug}" selected>' in page
    assert f'<option value="{therapist.slug}" selected>' in page


BAD_INPUTS = [
    ("missing clinic", {"location": ""}, "location", "Choose the clinic"),
    ("unknown clinic", {"location": "atlantis"}, "location", "We do not know that clinic"),
    ("unknown therapist", {"therapist": "nobody"}, "therapist", "We do not know that therapist"),
    ("rating 0", {"rating": "0"}, "rating", "between 1 and 5"),
    ("rating 6", {"rating": "6"}, "rating", "between 1 and 5"),
    ("missing rating", {"rating": None}, "rating", "Choose a rating"),
    ("empty testimonial", {"body": "   "}, "body", "tell us about your experience"),
    ("too short", {"body": "Great!"}, "body", "at least 20 characters"),
    ("too long", {"body": "x" * (BODY_MAX + 1)}, "body", "the limit is 2,000. Please shorten it by 1."),
    ("condition too long", {"condition": "c" * 121}, "condition", "to 120 characters or fewer"),
    ("first name too long", {"first_name": "f" * 61}, "first_name", "to 60 characters or fewer"),
    ("missing last name", {"last_name": ""}, "last_name", "last name"),
    ("invalid email", {"email": "dana-at-example"}, "email", "does not look like an email"),
    ("missing consent", {"consent": None}, "consent", "tick the box"),
    ("tampered form token", {"form_token": "1700000000:forged"}, "form_token", "could not be verified"),
]


@pytest.mark.parametrize("case, overrides, field, message", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_each_bad_input_gets_its_own_message_beside_the_field_and_keeps_the_input(
        client, valid_post, case, overrides, field, message):
    data = valid_post(**overrides)
    response = post(client, data)
    page = response.content.decode()
    # the form comes back (200), nothing stored
    assert response.status_code == 200
    assert Testimonial.objects.count() == 0
    # the message is beside the field, and summarised at the top
    assert message.lower() in html.unescape(page).lower()
    if field != "form_token":
        assert f'id="err_{field}"' in page
    assert 'class="error-summary"' in page
    # what the patient typed is still there
    if field != "first_name":
        assert 'value="Dana"' in page
    if field != "body":
        assert "After eight weeks I hike again!" in page


def test_an_expired_form_token_asks_to_send_again_and_keeps_the_input(client, valid_post, settings):
    token = form_token_issue(now=time.time() - settings.TESTIMONIAL_MAX_FORM_AGE_SECONDS - 60)
    page = html.unescape(post(client, valid_post(form_token=token)).content.decode())
    assert "open for a long time" in page and "After eight weeks I hike again!" in page
    assert Testimonial.objects.count() == 0


def test_a_therapist_from_another_clinic_is_refused_with_a_clear_message(client, valid_post, other_clinic):
    stranger = TherapistFactory(first_name="Sean", last_name="Walsh", slug="sean-walsh", locations=[other_clinic])
    page = html.unescape(post(client, valid_post(therapist=stranger.slug)).content.decode())
    assert "Sean Walsh does not work at Dayton" in page
    assert Testimonial.objects.count() == 0


def test_an_inactive_clinic_is_refused_with_its_own_message(client, valid_post):
    LocationFactory(name="Closed Town", slug="closed-town", is_active=False)
    page = html.unescape(post(client, valid_post(location="closed-town", therapist="")).content.decode())
    assert "Closed Town no longer takes testimonials" in page


def test_an_inactive_therapist_is_refused_with_its_own_message(client, valid_post, clinic):
    TherapistFactory(first_name="Old", last_name="Timer", slug="old-timer", locations=[clinic], is_active=False)
    page = html.unescape(post(client, valid_post(therapist="old-timer")).content.decode())
    assert "Old Timer no longer works with us" in page


def test_not_sure_about_the_therapist_is_fine(client, valid_post):
    assert post(client, valid_post(therapist="")).status_code == 302
    assert Testimonial.objects.get().therapist is None


def test_text_is_normalised_control_characters_removed_html_kept_as_text_and_emoji_kept(client, valid_post):
    body = "  <b>Cafe\u0301</b> team\x00 fixed my back \U0001F64F and I\x07 am grateful!  "
    post(client, valid_post(body=body, first_name="  Ana\u0301 "))
    testimonial = Testimonial.objects.get()
    assert testimonial.body == "<b>Café</b> team fixed my back \U0001F64F and I am grateful!"
    assert testimonial.first_name == "Aná"


def test_html_in_a_kept_input_is_escaped_on_the_page(client, valid_post):
    page = post(client, valid_post(body="<script>alert(1)</script>", consent=None)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_honeypot_post_is_stored_already_rejected_as_spam_and_never_queued(client, valid_post, filesystem_broker,
                                                                           django_capture_on_commit_callbacks):
    # when a bot fills in the hidden field
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_post(website="http://spam.example"))
    # then it sees the thanks page, and its post is kept for the record, already rejected as spam
    assert response.status_code == 302 and response["Location"] == "/testimonials/thanks/"
    testimonial = Testimonial.objects.get()
    assert testimonial.status == "rejected"
    (event,) = testimonial.events.all()
    assert (event.from_status, event.to_status, event.reason, event.actor) == ("pending", "rejected", "spam", None)
    assert "honeypot" in event.note
    # and nothing was sent to the worker: no analysis for the moderators' queue, no confirmation email
    assert queued_task_names(filesystem_broker) == []


def test_a_valid_post_sends_its_analysis_and_confirmation_to_the_worker(client, valid_post, filesystem_broker,
                                                                        django_capture_on_commit_callbacks):
    # the counterpart of the honeypot test: the same broker sees a real patient's tasks
    with django_capture_on_commit_callbacks(execute=True):
        post(client, valid_post())
    assert sorted(queued_task_names(filesystem_broker)) == ["moderation.tasks.analyze_testimonial_task",
                                                            "moderation.tasks.send_confirmation_email_task"]


def queued_task_names(app) -> list[str]:
    """The tasks waiting in the filesystem broker's queue folder (one JSON message a file)."""
    import json
    from pathlib import Path

    folder = Path(app.conf.broker_transport_options["data_folder_in"])
    return [json.loads(message.read_text())["headers"]["task"] for message in folder.iterdir()]


def test_a_post_faster_than_a_person_keeps_the_input_and_asks_to_send_again(client, valid_post, settings):
    # given a patient who pastes a text written beforehand and sends at once
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 30
    response = post(client, valid_post())
    page = html.unescape(response.content.decode())
    # then the form comes back with everything typed, one sentence asking to send it again, and no row
    assert response.status_code == 200
    assert Testimonial.objects.count() == 0
    assert "please check your entries and send the form again" in page.lower()
    assert "After eight weeks I hike again!" in page and 'value="Dana"' in page
    assert 'class="error-summary"' not in page  # nothing is wrong with what they typed
    # and sending it again straight away goes through (they already spent the time once)
    from .conftest import form_token

    again = post(client, valid_post(form_token=form_token(response.content.decode())))
    assert again.status_code == 302 and again["Location"] == "/testimonials/thanks/"
    assert Testimonial.objects.get().status == "pending"


def test_a_post_too_fast_and_invalid_shows_the_errors_only(client, valid_post, settings):
    settings.TESTIMONIAL_MIN_FILL_SECONDS = 30
    page = html.unescape(post(client, valid_post(consent=None)).content.decode())
    assert "tick the box" in page and "send the form again" not in page


def test_a_text_over_the_limit_is_explained_with_how_much_to_cut_and_kept_whole(client, valid_post):
    # given a patient who pasted 2,500 characters
    body = ("I could not walk to the mailbox. " * 80)[:2499] + "!"
    assert len(body) == 2500
    response = post(client, valid_post(body=body))
    page = html.unescape(response.content.decode())
    # then the message says how long it is, the limit and how much to cut
    assert "Your text is 2,500 characters; the limit is 2,000. Please shorten it by 500." in page
    # and the whole text is back in the field, with nothing that would cut it in the browser
    assert body in page
    assert Testimonial.objects.count() == 0
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert "maxlength" not in textarea


def test_the_spanish_form_explains_a_text_over_the_limit_in_spanish(client, valid_post, clinic):
    body = ("Muy buena atención en la clínica. " * 80)[:2499] + "!"
    response = client.post("/es/testimonials/new/", valid_post(body=body))
    page = html.unescape(response.content.decode())
    # Spanish groups thousands with a no-break space, as Django's Spanish number format does
    assert "Su texto tiene 2\xa0500 caracteres; el límite es 2\xa0000. Acórtelo en 500 caracteres." in page
    assert body in page


def test_a_double_click_or_resubmission_makes_one_testimonial(client, valid_post):
    data = valid_post()
    assert post(client, data).status_code == 302
    assert post(client, data).status_code == 302
    # the same words again with different spacing and case still count as the same submission
    assert post(client, {**data, "body": data["body"].upper() + "  "}).status_code == 302
    assert Testimonial.objects.count() == 1


def test_a_flood_from_one_email_is_rate_limited_with_the_input_kept(client, valid_post, settings):
    settings.TESTIMONIAL_RATE_PER_EMAIL = 2
    for n in range(2):
        assert post(client, valid_post(body=f"Wonderful care for my shoulder, visit {n} was great.")).status_code == 302
    response = post(client, valid_post(body="A third testimonial in the same hour, hmm."))
    assert response.status_code == 429
    assert "try again later" in response.content.decode()
    assert "A third testimonial in the same hour" in response.content.decode()
    assert Testimonial.objects.count() == 2


def test_the_form_still_takes_submissions_when_the_rate_limit_store_is_down(client, valid_post, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    assert post(client, valid_post()).status_code == 302
    assert Testimonial.objects.count() == 1


def test_a_submission_succeeds_and_is_kept_when_the_broker_is_down(client, valid_post, caplog,
                                                                  django_capture_on_commit_callbacks):
    from tests.conftest import celery_broker

    # given a broker nobody listens on
    with celery_broker("redis://127.0.0.1:1/0", {"socket_connect_timeout": 0.2, "max_retries": 0}), \
            django_capture_on_commit_callbacks(execute=True):
        response = post(client, valid_post())
    # the patient still gets the thanks page, the row is there to be swept (nothing claimed as queued),
    # and the failure is one log line without a traceback
    assert response.status_code == 302
    testimonial = Testimonial.objects.get()
    assert testimonial.status == "pending"
    assert (testimonial.analysis_queued_at, testimonial.confirmation_queued_at) == (None, None)
    (record,) = [r for r in caplog.records if r.name == "moderation.queue"]
    assert "broker unavailable" in record.getMessage() and record.exc_info is None
    assert "dana@example.com" not in caplog.text


def test_the_spanish_form_is_served_under_es(client, clinic):
    page = client.get("/es/testimonials/new/").content.decode()
    assert 'lang="es"' in page
    assert "Autorizo" in page


def test_a_signed_token_cannot_be_made_without_the_secret():
    forged = signing.dumps(int(time.time()) - 60, salt="testimonial-form", key="not-the-secret")
    from reviews.forms import form_token_age

    assert form_token_age(forged) is None


def test_behind_a_proxy_the_rate_limit_counts_the_patients_address_not_the_proxys(client, valid_post, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TESTIMONIAL_RATE_PER_IP = 1

    def post_from(ip: str, **overrides):
        # the client may claim anything first; the proxy appends the address it saw
        return client.post("/testimonials/new/", valid_post(**overrides), HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ip}")

    assert post_from("203.0.113.5", email="a@example.com").status_code == 302
    assert post_from("203.0.113.9", email="b@example.com").status_code == 302  # another patient, same proxy
    assert post_from("203.0.113.5", email="c@example.com").status_code == 429  # the first patient again
    assert Testimonial.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_identical_submissions_make_one_row(clinic, therapist):
    """A double-click that reaches two server threads at once: the unique key decides, both succeed."""
    import threading

    from django.db import connection

    from reviews.services import testimonial_submit

    barrier, results, errors = threading.Barrier(2), [], []

    def submit() -> None:
        try:
            barrier.wait()
            results.append(testimonial_submit(
                location=clinic, therapist=therapist, rating=5, body="Both clicks carry these same words, twice.",
                condition="", first_name="Dana", last_name="Zimmerman", email="dana@example.com", enqueue=False))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Testimonial.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert {t.pk for t, _ in results} == {Testimonial.objects.get().pk}
