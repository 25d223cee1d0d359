"""The one way a page gets a person's contact (kindness.privacy.contact_shown): masked, or
unmasked with an access-log entry for that view (SPEC section 8)."""

from __future__ import annotations

import pytest

from kindness.models import AccessLog
from kindness.privacy import contact_masked, contact_shown
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_of(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    request.user = UserFactory()
    return request


def test_a_masked_contact_is_masked_and_logs_nothing(request_of):
    contact = contact_shown(
        request=request_of,
        obj=DepartmentFactory(),
        action="view_reporter",
        unmasked=False,
        name="홍길동",
        phone="+82-10-1234-5678",
        email="hong@example.com",
    )

    assert (contact.name, contact.phone, contact.email) == (
        "홍*동",
        "010-****-5678",
        "h***@example.com",
    )
    assert contact.masked and contact.present
    assert not AccessLog.objects.exists()


def test_an_unmasked_contact_is_logged_with_who_what_and_where(request_of):
    obj = DepartmentFactory()

    contact = contact_shown(
        request=request_of,
        obj=obj,
        action="view_petitioner",
        unmasked=True,
        name="홍길동",
        phone="010-1234-5678",
    )

    assert (contact.name, contact.phone, contact.masked) == ("홍길동", "010-1234-5678", False)
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id, log.ip_address) == (
        request_of.user,
        "view_petitioner",
        str(obj.pk),
        "203.0.113.9",
    )


def test_no_data_to_see_means_nothing_is_logged(request_of):
    contact = contact_shown(
        request=request_of, obj=DepartmentFactory(), action="x", unmasked=True, name="", phone=""
    )

    assert not contact.present
    assert not AccessLog.objects.exists()
    assert not contact_masked(name="", phone="").present
