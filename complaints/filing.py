"""A resident's report stored in one SQL statement on PostgreSQL (issue 16 item 2).

`services.report_submit` stores a report with its receipt number, its possible duplicate,
its history entry and the messages to the report officers (and to the resident, given an
address), in one transaction of eight statements. On PostgreSQL the same rows go in one
statement: data-modifying `WITH` parts advance the year's counter (`UPDATE ... RETURNING`,
the row locked until the statement commits, so numbers stay sequential with no gap and no
repeat, as in kindness.numbering), insert the report numbered from it, its history entry
and its outbox rows, and find the duplicate in the same snapshot. One statement is its own
transaction: all of it is stored or none.

The rows are built by the same code as the ORM path (services.report_new and the models'
own defaults and `pre_save`), so only how they reach the database differs. Without a
counter row for the year (its first report) or with the year used up, nothing is stored and
the caller takes the ORM path, which creates the row or says the year is used up.
"""

# ruff: noqa: S608 - the SQL below is built from names in the models and quote_name; every
# value goes in as a parameter.
from __future__ import annotations

import functools
import secrets

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext as _

from complaints.models import Report, ReportEvent
from kindness import numbering
from kindness.models import NumberSequence, OutboxMessage, ProgrammeSettings
from kindness.outbox import outbox_kick_after_commit
from kindness.roles import Role

# Stands in for the receipt number in the messages' text until the statement knows it.
_NUMBER = f"[receipt-{secrets.token_hex(8)}]"


def available(*, attachments) -> bool:
    """Whether a report can be stored this way: on PostgreSQL, without attachments (their
    files are saved by the ORM path)."""
    return connection.vendor == "postgresql" and not attachments


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fields(model: type[Model], leave_out: frozenset[str]) -> list:
    """The fields `save()` inserts (no primary key), without `leave_out` (attribute names)."""
    return [
        f
        for f in model._meta.local_concrete_fields
        if not f.primary_key and f.attname not in leave_out
    ]


def _values(row: Model, fields: list) -> list:
    """The values of an unsaved row as `save()` would insert them: each field's `pre_save`,
    then its database value."""
    return [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]


_REPORT_OWN = frozenset({"receipt_no", "duplicate_of_id"})
_EVENT_OWN = frozenset({"report_id"})
_MESSAGE_OWN = frozenset({"key", "to", "subject", "body", "related"})


@functools.cache
def _statement(*, phone: bool, email: bool) -> tuple[str, tuple]:
    """The statement (with or without a duplicate check, with or without the resident's
    receipt message) and the parameters of its officers' query. Built once per process:
    it depends only on the models."""

    def columns(model, leave_out) -> str:
        return ", ".join(_q(f.column) for f in _fields(model, leave_out))

    def marks(model, leave_out) -> str:
        return ", ".join(["%s"] * len(_fields(model, leave_out)))

    sequence = _q(NumberSequence._meta.db_table)
    last = _q("last")
    counter_sql = (
        f"UPDATE {sequence} SET {last} = {last} + 1 "
        f"WHERE {_q('prefix')} = %s AND {_q('year')} = %s AND {last} < %s RETURNING {last}"
    )
    table = _q(Report._meta.db_table)
    if phone:
        settings_table = _q(ProgrammeSettings._meta.db_table)
        duplicate_sql = (
            f"(SELECT d.{_q('id')} FROM {table} d WHERE d.{_q('reporter_phone')} = %s "
            f"AND d.{_q('department_id')} = %s AND d.{_q('created_at')} >= "
            f"%s::timestamptz - make_interval(hours => COALESCE((SELECT "
            f"{_q('duplicate_window_hours')} FROM {settings_table} WHERE {_q('id')} = 1), %s)) "
            f"ORDER BY d.{_q('created_at')} DESC, d.{_q('id')} DESC LIMIT 1)"
        )
    else:
        duplicate_sql = "NULL::bigint"
    report_sql = (
        f"INSERT INTO {table} ({columns(Report, _REPORT_OWN)}, {_q('receipt_no')}, "
        f"{_q('duplicate_of_id')}) SELECT {marks(Report, _REPORT_OWN)}, "
        f"%s || lpad(counter.{last}::text, %s, '0'), {duplicate_sql} FROM counter "
        f"RETURNING {_q('id')}, {_q('receipt_no')}, {_q('duplicate_of_id')}"
    )
    event_sql = (
        f"INSERT INTO {_q(ReportEvent._meta.db_table)} ({_q('report_id')}, "
        f"{columns(ReportEvent, _EVENT_OWN)}) SELECT report.{_q('id')}, "
        f"{marks(ReportEvent, _EVENT_OWN)} FROM report"
    )
    number = f"report.{_q('receipt_no')}"
    related = f"'report:' || report.{_q('id')}"
    parts = []
    if email:
        parts.append(
            f"SELECT left({related} || ':receipt', 200) AS key, %s::text AS to_, "
            f"left(replace(%s, %s, {number}), 200) AS subject, "
            f"replace(%s, %s, {number}) AS body, {related} AS related FROM report"
        )
    officers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.REPORT_OFFICER)
        .exclude(email="")
        .values("pk", "email")
    )
    officers_sql, officers_params = officers.query.sql_with_params()
    parts.append(
        f"SELECT left({related} || ':received:' || o.pk, 200) AS key, o.email::text AS to_, "
        f"left(replace(%s, %s, {number}), 200) AS subject, "
        f"replace(%s, %s, {number}) AS body, {related} AS related "
        f"FROM report, ({officers_sql}) AS o(pk, email)"
    )
    names = ", ".join(_q(n) for n in ("key", "to", "subject", "body", "related"))
    mail_sql = (
        f"INSERT INTO {_q(OutboxMessage._meta.db_table)} ({names}, "
        f"{columns(OutboxMessage, _MESSAGE_OWN)}) "
        f"SELECT m.key, m.to_, m.subject, m.body, m.related, "
        f"{marks(OutboxMessage, _MESSAGE_OWN)} FROM ({' UNION ALL '.join(parts)}) m RETURNING 1"
    )
    sql = (
        f"WITH counter AS ({counter_sql}), report AS ({report_sql}), "
        f"event AS ({event_sql}), mail AS ({mail_sql}) "
        f"SELECT report.{_q('id')}, report.{_q('receipt_no')}, "
        f"report.{_q('duplicate_of_id')}, (SELECT count(*) FROM mail) FROM report"
    )
    return sql, tuple(officers_params)


def report_insert(report: Report, *, year: int) -> Report | None:
    """Store `report` (unsaved, built by services.report_new) with the next receipt number
    of `year`, its possible duplicate, its history entry and its messages, in one
    statement. Returns the stored report, or None when nothing was stored (no counter row
    for the year yet, or the year used up)."""
    phone, email = bool(report.reporter_phone), bool(report.reporter_email)
    sql, officers_params = _statement(phone=phone, email=email)
    # In the order of the statement's placeholders: the counter; the report, its number's
    # prefix and its possible duplicate (the latest with the phone and department within
    # the programme settings' window, as services.duplicate_earlier finds it, in the
    # snapshot from before this report); the history entry; the messages.
    params: list = [numbering.RECEIPT, year, numbering.LAST]
    params += _values(report, _fields(Report, _REPORT_OWN))
    prefix = numbering.number_format(numbering.RECEIPT, year, 0)[: -numbering.DIGITS]
    params += [prefix, numbering.DIGITS]
    if phone:
        default = ProgrammeSettings._meta.get_field("duplicate_window_hours").get_default()
        params += [report.reporter_phone, report.department_id, report.created_at, default]
    event = ReportEvent(action=ReportEvent.Action.RECEIVED, to_status=Report.Status.RECEIVED)
    params += _values(event, _fields(ReportEvent, _EVENT_OWN))
    message = OutboxMessage(channel=OutboxMessage.Channel.EMAIL)
    params += _values(message, _fields(OutboxMessage, _MESSAGE_OWN))
    params += _message_params(report)
    params += officers_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    report.pk, report.receipt_no, report.duplicate_of_id, sent = row
    report._state.adding = False
    report._state.db = connection.alias
    if sent:
        outbox_kick_after_commit()
    return report


def receipt_body(*, tracked_here: bool) -> str:
    """The resident's receipt e-mail, translated now, with `%(no)s` for the number: where
    to follow the report (the tracking page for a report with a secret, else the
    application it came from). Both filing paths send it."""
    if tracked_here:
        return _(
            "Thank you. Your report was received with number %(no)s.\n"
            "Follow it at /reports/track/ with this number and the secret shown when "
            "you filed it (the secret is not repeated here for your safety)."
        )
    return _(
        "Thank you. Your report was received with number %(no)s. Follow its status "
        "and the city's answer in the application you used."
    )


def _message_params(report: Report) -> list:
    """The messages' texts, translated now, the receipt number put in by the statement:
    the same subjects and bodies as services' ORM path writes."""
    params = []
    if report.reporter_email:
        body = receipt_body(tracked_here=bool(report.secret_hash))
        params += [
            report.reporter_email,
            _("Your report %(no)s has been received") % {"no": _NUMBER},
            _NUMBER,
            body % {"no": _NUMBER},
            _NUMBER,
        ]
    subject = _("New report %(no)s") % {"no": _NUMBER}
    body = _("A new %(kind)s report was received.") % {"kind": report.get_kind_display()}
    params += [subject, _NUMBER, f"{body}\n\n/staff/reports/{_NUMBER}/", _NUMBER]
    return params
