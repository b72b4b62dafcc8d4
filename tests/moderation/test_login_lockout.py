"""Admin sign-in is locked after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
the right password included, until the cool-off passes or `axes_reset` lifts it."""
from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "a-long-passphrase-42"


def attempt(client, password: str, username: str = "moderator"):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def moderator(django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 5
    return django_user_model.objects.create_superuser("moderator", "m@example.com", PASSWORD)


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, moderator):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in is locked for 30 minutes" in page and "axes_reset_username moderator" in page
    refused = attempt(client, PASSWORD)
    assert refused.status_code == 429 and "_auth_user_id" not in client.session


def test_axes_reset_unlocks_and_the_right_password_then_works(client, moderator):
    for _ in range(5):
        attempt(client, "wrong")
    call_command("axes_reset_username", "moderator")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(moderator.pk)


def test_a_lock_is_per_username_a_colleague_still_signs_in(client, moderator, django_user_model):
    django_user_model.objects.create_superuser("colleague", "c@example.com", PASSWORD)
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD, username="colleague").status_code == 302


def test_fewer_failures_than_the_limit_then_success_start_the_count_again(client, moderator):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200
