"""Login throttling behind the documented proxy (SPEC section 8; issue 14 item 2): the
client address comes from kindness.clientaddr for django-axes too, so a client locks only
itself, and failures are limited per address across accounts (password spraying)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from kindness.models import AccessLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
GOOD = "correct horse battery staple"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def via_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the app through the proxy, which appends the
    address it saw to X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_wrong_passwords_from_one_client_lock_that_client_only(settings):
    UserFactory(username="manager")
    attacker, manager = via_proxy("203.0.113.66"), via_proxy("203.0.113.9")

    statuses = [
        attacker.post(LOGIN, {"username": "manager", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert statuses[-1] == 429
    assert attacker.post(LOGIN, {"username": "manager", "password": GOOD}).status_code == 429
    signed_in = manager.post(LOGIN, {"username": "manager", "password": GOOD})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"


def test_a_forged_forwarded_header_locks_the_forger_not_the_address_it_names(settings):
    UserFactory(username="manager")
    # The attacker sends the manager's address itself; the proxy appends the real one.
    forger = via_proxy("203.0.113.9, 203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        forger.post(LOGIN, {"username": "manager", "password": "wrong"})

    assert forger.post(LOGIN, {"username": "manager", "password": GOOD}).status_code == 429
    manager = via_proxy("203.0.113.9")
    assert manager.post(LOGIN, {"username": "manager", "password": GOOD}).status_code == 302


def test_failures_across_many_accounts_lock_the_address_out_of_every_account(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for name in ("a1", "a2", "a3", "a4"):
        UserFactory(username=name)
    sprayer = via_proxy("203.0.113.66")

    # One wrong password per account: no account reaches its own limit.
    for name in ("a1", "a2", "a3"):
        assert sprayer.post(LOGIN, {"username": name, "password": "wrong"}).status_code == 200

    locked = sprayer.post(LOGIN, {"username": "a4", "password": GOOD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in sprayer.session
    other = via_proxy("203.0.113.9")
    assert other.post(LOGIN, {"username": "a4", "password": GOOD}).status_code == 302


def test_the_access_log_records_the_client_not_the_proxy(rf, settings):
    from kindness.privacy import access_log_record

    user = UserFactory()
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    request.user = user

    entry = access_log_record(request=request, action="view_reporter", obj=user)

    assert AccessLog.objects.get(pk=entry.pk).ip_address == "203.0.113.9"
