"""Rate limits that tell a clinic's shared network from a flood: the address behind trusted proxies, the
clinics' own networks, the per-email limit and a form token that can be used once."""
from __future__ import annotations

import html
import time

import pytest
from django.test import RequestFactory

from reviews.models import Testimonial
from reviews.ratelimit import client_ip

from .conftest import form_token

pytestmark = pytest.mark.django_db

STORY = "The team at Dayton got my shoulder moving again after surgery: {n}."


def test_fifteen_patients_from_one_clinic_network_in_an_hour_all_get_through(client, valid_post):
    # given the shipped limits and fifteen patients on the clinic's Wi-Fi (one address)
    statuses = [post_from(client, valid_post, "198.51.100.7", n) for n in range(15)]
    # then every one of them is stored
    assert statuses == [302] * 15
    assert Testimonial.objects.count() == 15


def test_a_flood_from_one_address_is_still_limited(client, valid_post, settings):
    settings.TESTIMONIAL_RATE_PER_IP = 3
    statuses = [post_from(client, valid_post, "198.51.100.7", n) for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert Testimonial.objects.count() == 3


def test_a_clinics_trusted_network_is_exempt_from_the_address_limit(client, valid_post, settings):
    # given a low address limit and the clinics' networks listed as trusted
    settings.TESTIMONIAL_RATE_PER_IP = 2
    settings.TESTIMONIAL_TRUSTED_NETWORKS = ["203.0.113.0/24", "2001:db8:1::/48"]
    # then patients at a clinic get through beyond it, over IPv4 and IPv6
    assert [post_from(client, valid_post, "203.0.113.40", n) for n in range(4)] == [302] * 4
    assert [post_from(client, valid_post, "2001:db8:1::9", n + 10) for n in range(3)] == [302] * 3
    # while an address outside those networks keeps the limit
    assert [post_from(client, valid_post, "198.51.100.7", n + 20) for n in range(3)] == [302, 302, 429]
    assert Testimonial.objects.count() == 9


def test_a_trusted_network_still_has_the_per_email_limit(client, valid_post, settings):
    settings.TESTIMONIAL_TRUSTED_NETWORKS = ["203.0.113.0/24"]
    settings.TESTIMONIAL_RATE_PER_EMAIL = 2
    statuses = [post_from(client, valid_post, "203.0.113.40", n, email="same@example.com") for n in range(3)]
    assert statuses == [302, 302, 429]


def post_from(client, valid_post, ip: str, n: int, *, email: str | None = None) -> int:
    """Patient `n` posts through one proxy that appended `ip` to X-Forwarded-For."""
    client.defaults["REMOTE_ADDR"] = "10.0.0.2"  # the load balancer
    return client.post("/testimonials/new/", valid_post(body=STORY.format(n=n), email=email or f"p{n}@example.com"),
                       HTTP_X_FORWARDED_FOR=ip).status_code


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "203.0.113.5", "10.0.0.2"),  # no proxy trusted: the header is the client's word, ignored
    (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # one proxy: the last entry is the one it appended
    (2, "6.6.6.6, 203.0.113.5, 198.51.100.1", "203.0.113.5"),  # CDN then load balancer: 2nd from the right
    (2, "203.0.113.5", "203.0.113.5"),  # fewer hops than proxies (the CDN bypassed): the leftmost there is
    (1, "", "10.0.0.2"),  # no header at all
    (1, "not-an-address", "10.0.0.2"),  # garbage is not an address
    (1, " 2001:DB8::1 ", "2001:db8::1"),
])
def test_the_client_address_is_read_from_the_right_past_the_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_cdn_and_a_load_balancer_patients_are_not_one_bucket(client, valid_post, settings):
    # given two proxies in front of the app and a limit of one per address
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TESTIMONIAL_RATE_PER_IP = 1

    def post(patient: str, n: int) -> int:
        # the CDN appends the patient's address, the load balancer the CDN edge's
        data = valid_post(body=STORY.format(n=n), email=f"p{n}@example.com")
        return client.post("/testimonials/new/", data, HTTP_X_FORWARDED_FOR=f"{patient}, 192.0.2.250").status_code

    # then two patients behind the same CDN edge both get through, and one patient twice does not
    assert [post("203.0.113.5", 1), post("203.0.113.9", 2), post("203.0.113.5", 3)] == [302, 302, 429]


def test_a_replayed_form_token_is_refused_with_the_input_kept(client, valid_post):
    # given a form that was sent and stored
    first = valid_post()
    assert client.post("/testimonials/new/", first).status_code == 302
    # when the same form token comes back with other words (a script replaying one form)
    response = client.post("/testimonials/new/", {**first, "body": "A different text sent with the same form token."})
    page = html.unescape(response.content.decode())
    # then it is refused, nothing new is stored, and what was typed is kept with a fresh token
    assert response.status_code == 200
    assert "This form has already been sent" in page
    assert "A different text sent with the same form token." in page
    assert Testimonial.objects.count() == 1
    assert form_token(response.content.decode()) != first["form_token"]


def test_the_same_form_sent_twice_is_one_testimonial_and_thanks_both_times(client, valid_post, settings):
    # a double-click without the script (or the back button and send again): not a replay
    settings.TESTIMONIAL_RATE_PER_IP = 1
    data = valid_post()
    assert [client.post("/testimonials/new/", data).status_code for _ in range(3)] == [302, 302, 302]
    assert Testimonial.objects.count() == 1


def test_a_replayed_token_is_let_through_when_the_cache_is_down(client, valid_post, settings):
    # the token store fails open like the rate limits: a patient is never refused because Redis is down
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    data = valid_post()
    assert client.post("/testimonials/new/", data).status_code == 302
    again = client.post("/testimonials/new/", {**data, "body": "Another text, the same token, no cache."})
    assert again.status_code == 302
    assert Testimonial.objects.count() == 2


@pytest.mark.parametrize("name, value, message", [
    ("TESTIMONIAL_TRUSTED_NETWORKS", "203.0.113.0/24, clinic-wifi", "TESTIMONIAL_TRUSTED_NETWORKS"),
    ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT"),
    ("SITE_HOME_URL", "javascript:alert(1)", "SITE_HOME_URL"),
])
def test_a_malformed_setting_fails_loudly_at_start(name, value, message):
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", "import config.settings"], capture_output=True, text=True,
                            env={**os.environ, name: value}, timeout=60)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_a_form_shown_before_tokens_had_ids_still_goes_through(client, valid_post):
    # a patient who opened the form before a deploy sends it after: the old signed timestamp is honoured
    from django.core import signing

    legacy = signing.dumps(int(time.time()) - 60, salt="testimonial-form")
    assert client.post("/testimonials/new/", valid_post(form_token=legacy)).status_code == 302
    assert Testimonial.objects.count() == 1


def test_the_replay_notice_is_spanish_on_the_spanish_form(client, valid_post):
    first = valid_post()
    assert client.post("/es/testimonials/new/", first).status_code == 302
    page = html.unescape(client.post("/es/testimonials/new/", {**first, "body": "Otro texto con el mismo formulario."})
                         .content.decode())
    assert "Este formulario ya se envió una vez" in page and "Otro texto con el mismo formulario." in page
