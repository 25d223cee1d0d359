"""Tracking secrets kept as a keyed hash (SPEC section 8, issue 16 item 1): HMAC-SHA256 with
TOKEN_KEY, compared in constant time; secrets kept as password hashes before that still
verify and are replaced by the keyed digest on their first successful lookup; an unknown
receipt number and a wrong secret are answered alike."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import services
from complaints.models import Report
from kindness import tokens
from tests.complaints.public_pages.helpers import submit

pytestmark = pytest.mark.django_db

TRACK = "/reports/track/"


def pbkdf2(secret: str) -> str:
    """A tracking secret hashed as reports filed before the keyed hash were: Django's PBKDF2
    (here at few iterations; the hash names its count, and the configured PBKDF2 hasher
    checks it as it checks one made at the full cost)."""
    return PBKDF2PasswordHasher().encode(secret, "oldsaltoldsalt", iterations=1000)


@pytest.fixture
def pbkdf2_configured(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def legacy_report(secret: str = "ABCDEFGH23") -> Report:
    report = submit().report
    Report.objects.filter(pk=report.pk).update(secret_hash=pbkdf2(secret))
    report.refresh_from_db()
    return report


def test_a_new_report_stores_the_keyed_digest_of_its_secret():
    submission = submit()
    stored = Report.objects.get(pk=submission.report.pk).secret_hash

    assert re.fullmatch(r"[0-9a-f]{64}", stored)
    assert stored == tokens.keyed_digest(services.TRACKING, submission.secret)
    assert submission.secret not in stored


def test_rotating_the_token_key_voids_outstanding_secrets(settings):
    submission = submit()
    number = submission.report.receipt_no

    settings.TOKEN_KEY = "a-new-key"

    assert services.report_find_for_tracking(receipt_no=number, secret=submission.secret) is None


def test_an_old_pbkdf2_hash_verifies_and_is_replaced_by_the_keyed_digest(pbkdf2_configured):
    report = legacy_report("ABCDEFGH23")
    updated_at = report.updated_at

    found = services.report_find_for_tracking(receipt_no=report.receipt_no, secret=" abcdefgh23 ")

    report.refresh_from_db()
    assert found == report
    assert report.secret_hash == tokens.keyed_digest(services.TRACKING, "ABCDEFGH23")
    assert report.updated_at == updated_at  # a lookup is not a change of the case
    # From now on the fast check answers, whatever the password hasher.
    again = services.report_find_for_tracking(receipt_no=report.receipt_no, secret="ABCDEFGH23")
    assert again == report


def test_a_wrong_secret_on_an_old_hash_finds_nothing_and_keeps_the_hash(pbkdf2_configured):
    report = legacy_report("ABCDEFGH23")
    old = report.secret_hash

    found = services.report_find_for_tracking(receipt_no=report.receipt_no, secret="ZZZZZZZZZZ")

    report.refresh_from_db()
    assert found is None
    assert report.secret_hash == old


def test_an_old_hash_upgraded_through_the_tracking_page(client, pbkdf2_configured):
    report = legacy_report("ABCDEFGH23")

    response = client.post(TRACK, {"receipt_no": report.receipt_no, "secret": "ABCDEFGH23"})

    assert response.status_code == 200
    assert response.context["report"] == report
    report.refresh_from_db()
    assert "$" not in report.secret_hash


def test_a_report_without_a_secret_is_never_found_by_tracking():
    report = submit(source=Report.Source.OPEN311).report
    assert report.secret_hash == ""

    for secret in ["", " ", "-" * 64, "x"]:
        assert (
            services.report_find_for_tracking(receipt_no=report.receipt_no, secret=secret) is None
        )


def test_wrong_secret_and_unknown_number_take_the_same_statements_and_answer(client):
    submission = submit()
    year = timezone.localdate().year
    unknown = f"R-{year}-999999"

    with CaptureQueriesContext(connection) as wrong_secret_queries:
        wrong_secret = client.post(
            TRACK, {"receipt_no": submission.report.receipt_no, "secret": "ABCDEFGHJK"}
        )
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown_number = client.post(TRACK, {"receipt_no": unknown, "secret": "ABCDEFGHJK"})

    assert wrong_secret.status_code == unknown_number.status_code == 200
    assert wrong_secret.context["not_found"] and unknown_number.context["not_found"]
    assert len(wrong_secret_queries.captured_queries) == len(unknown_queries.captured_queries)
    first = re.sub(r'value="[^"]*"', "", wrong_secret.content.decode())
    second = re.sub(r'value="[^"]*"', "", unknown_number.content.decode())
    assert first.replace(submission.report.receipt_no, "N") == second.replace(unknown, "N")


def test_no_slow_hash_runs_for_a_new_report_or_its_lookup(settings):
    # A password hasher that fails when used: neither filing nor tracking a new report, nor
    # an unknown number, may reach it.
    settings.PASSWORD_HASHERS = ["tests.complaints.test_tracking_secrets.RefusingHasher"]
    submission = submit()
    number = submission.report.receipt_no

    assert services.report_find_for_tracking(receipt_no=number, secret=submission.secret)
    assert services.report_find_for_tracking(receipt_no=number, secret="WRONGWRONG") is None
    assert services.report_find_for_tracking(receipt_no="R-2000-000001", secret="X") is None


class RefusingHasher(PBKDF2PasswordHasher):
    algorithm = "refusing"

    def encode(self, *args, **kwargs):
        raise AssertionError("a password hash was made")

    def verify(self, *args, **kwargs):
        raise AssertionError("a password hash was checked")
