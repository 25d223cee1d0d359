"""A report stored in one statement on PostgreSQL (complaints.filing) stores what the
transaction of the ORM path stores: the same report, history entry, messages and duplicate
mark, numbered from the same sequence with no gap."""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import filing, services
from complaints.models import Report, ReportEvent
from complaints.services.intake import _report_store
from kindness import numbering
from kindness.models import OutboxMessage
from kindness.roles import Role
from tests.conftest import using_postgresql
from tests.factories import DepartmentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not using_postgresql(), reason="the one statement is PostgreSQL's"),
]

# Differ between any two reports: their own number, times and secret.
OWN = {"id", "receipt_no", "created_at", "updated_at", "consent_at", "secret_hash"}


def _submission(department, **changes) -> dict:
    data = {
        "kind": Report.Kind.UNKIND,
        "department": department,
        "official_name": " 김민수 ",
        "incident_on": timezone.localdate(),
        "channel": Report.Channel.PHONE,
        "text": " 전화를 퉁명스럽게 받으셨습니다. ",
        "reporter_name": " 홍길동 ",
        "reporter_phone": "010-1234-5678",
        "reporter_email": "hong@example.com",
    }
    data.update(changes)
    return data


def _orm_path(data: dict) -> services.Submission:
    secret = services.tracking_secret_new()
    report = services.report_new(
        **{k: v for k, v in data.items()},
        source=Report.Source.WEB,
        official=None,
        secret=secret,
    )
    return _report_store(report, secret=secret, attachments=[])


def _stored(report: Report) -> tuple[dict, list, list]:
    row = {k: v for k, v in model_to_dict(Report.objects.get(pk=report.pk)).items()}
    events = list(
        ReportEvent.objects.filter(report=report).values("action", "from_status", "to_status")
    )
    messages = [
        {
            **m,
            "key": m["key"].replace(f"report:{report.pk}:", "report:#:"),
            "subject": m["subject"].replace(report.receipt_no, "#"),
            "body": m["body"].replace(report.receipt_no, "#"),
            "related": m["related"].replace(f"report:{report.pk}", "report:#"),
        }
        for m in OutboxMessage.objects.filter(related=f"report:{report.pk}")
        .order_by("key")
        .values("key", "channel", "to", "subject", "body", "related", "attempts", "sent_at")
    ]
    return {k: v for k, v in row.items() if k not in OWN}, events, messages


def test_one_statement_stores_what_the_transaction_stores(make_user):
    make_user(Role.REPORT_OFFICER, email="officer@example.com")
    make_user(Role.REPORT_OFFICER, email="")  # no address: no message
    department = DepartmentFactory()
    data = _submission(department)

    by_orm = _orm_path(data).report
    with CaptureQueriesContext(connection) as queries:
        by_one = services.report_submit(**data).report

    assert len(queries) == 1
    orm_row, orm_events, orm_messages = _stored(by_orm)
    one_row, one_events, one_messages = _stored(by_one)
    # The second is a possible duplicate of the first, whichever way it was stored.
    assert one_row.pop("duplicate_of") == by_orm.pk and orm_row.pop("duplicate_of") is None
    assert one_row == orm_row
    assert (
        one_events
        == orm_events
        == [{"action": "received", "from_status": "", "to_status": "received"}]
    )
    assert one_messages == orm_messages and len(one_messages) == 2
    assert by_one.duplicate_of_id == by_orm.pk and by_one.receipt_no
    assert Report.objects.get(pk=by_one.pk).secret_hash == by_one.secret_hash


def test_numbers_follow_on_with_no_gap_whichever_way_a_report_is_stored():
    department = DepartmentFactory()
    first = _orm_path(_submission(department, reporter_phone="")).report
    second = services.report_submit(**_submission(department, reporter_phone="")).report
    third = _orm_path(_submission(department, reporter_phone="")).report
    year = timezone.localdate().year
    numbers = [
        numbering.number_parse(r.receipt_no, prefix="R").number for r in (first, second, third)
    ]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert numbering.number_last(prefix="R", year=year) == numbers[2]
    assert second.duplicate_of_id is None


def test_the_years_first_report_takes_the_orm_path_and_a_used_up_year_says_so(settings):
    from kindness.models import NumberSequence

    department = DepartmentFactory()
    year = timezone.localdate().year
    NumberSequence.objects.filter(prefix="R", year=year).delete()
    assert (
        filing.report_insert(
            services.report_new(**_submission(department), source="web", official=None, secret=""),
            year=year,
        )
        is None
    )
    assert Report.objects.count() == 0  # nothing stored without the counter row

    first = services.report_submit(**_submission(department)).report
    assert first.receipt_no == f"R-{year}-000001"

    NumberSequence.objects.filter(prefix="R", year=year).update(last=numbering.LAST)
    with pytest.raises(numbering.SequenceExhausted):
        services.report_submit(**_submission(department))
    assert Report.objects.count() == 1
