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


def _columns(row: Model, *, leave_out: set[str]) -> tuple[list[str], list]:
    """The columns and values of an unsaved row as `save()` would insert them (each field's
    `pre_save`, then its database value), without the primary key and `leave_out`."""
    columns, values = [], []
    for field in row._meta.local_concrete_fields:
        if field.primary_key or field.attname in leave_out:
            continue
        columns.append(_q(field.column))
        values.append(field.get_db_prep_save(field.pre_save(row, add=True), connection))
    return columns, values


def report_insert(report: Report, *, year: int) -> Report | None:
    """Store `report` (unsaved, built by services.report_new) with the next receipt number
    of `year`, its possible duplicate, its history entry and its messages, in one
    statement. Returns the stored report, or None when nothing was stored (no counter row
    for the year yet, or the year used up)."""
    params: list = []

    # The year's counter, advanced by one.
    sequence = _q(NumberSequence._meta.db_table)
    counter_sql = (
        f"UPDATE {sequence} SET {_q('last')} = {_q('last')} + 1 "
        f"WHERE {_q('prefix')} = %s AND {_q('year')} = %s AND {_q('last')} < %s "
        f"RETURNING {_q('last')}"
    )
    params += [numbering.RECEIPT, year, numbering.LAST]

    # The report, numbered from the counter; its possible duplicate as services.
    # duplicate_earlier finds it (the latest with the phone and department, within the
    # programme settings' window), in the snapshot from before this report.
    table = _q(Report._meta.db_table)
    columns, values = _columns(report, leave_out={"receipt_no", "duplicate_of_id"})
    prefix = numbering.number_format(numbering.RECEIPT, year, 0)[: -numbering.DIGITS]
    if report.reporter_phone:
        settings_table = _q(ProgrammeSettings._meta.db_table)
        window = _q("duplicate_window_hours")
        default = ProgrammeSettings._meta.get_field("duplicate_window_hours").get_default()
        duplicate_sql = (
            f"(SELECT d.{_q('id')} FROM {table} d WHERE d.{_q('reporter_phone')} = %s "
            f"AND d.{_q('department_id')} = %s AND d.{_q('created_at')} >= "
            f"%s::timestamptz - make_interval(hours => COALESCE("
            f"(SELECT {window} FROM {settings_table} WHERE {_q('id')} = 1), %s)) "
            f"ORDER BY d.{_q('created_at')} DESC, d.{_q('id')} DESC LIMIT 1)"
        )
        duplicate_params = [
            report.reporter_phone,
            report.department_id,
            report.created_at,
            default,
        ]
    else:
        duplicate_sql, duplicate_params = "NULL::bigint", []
    report_sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, {_q('receipt_no')}, "
        f"{_q('duplicate_of_id')}) "
        f"SELECT {', '.join(['%s'] * len(values))}, "
        f"%s || lpad(counter.{_q('last')}::text, %s, '0'), {duplicate_sql} FROM counter "
        f"RETURNING {_q('id')}, {_q('receipt_no')}, {_q('duplicate_of_id')}"
    )
    params += [*values, prefix, numbering.DIGITS, *duplicate_params]

    # Its history entry.
    event = ReportEvent(action=ReportEvent.Action.RECEIVED, to_status=Report.Status.RECEIVED)
    columns, values = _columns(event, leave_out={"report_id"})
    event_sql = (
        f"INSERT INTO {_q(ReportEvent._meta.db_table)} ({_q('report_id')}, "
        f"{', '.join(columns)}) SELECT report.{_q('id')}, "
        f"{', '.join(['%s'] * len(values))} FROM report"
    )
    params += values

    # Its messages: the receipt to the resident (given an address), the news to every
    # report officer with one; the same keys, subjects and bodies as the ORM path's.
    mail_parts, mail_params = _messages(report)
    outbox = _q(OutboxMessage._meta.db_table)
    message = OutboxMessage(channel=OutboxMessage.Channel.EMAIL)
    columns, values = _columns(message, leave_out={"key", "to", "subject", "body", "related"})
    names = [_q(n) for n in ("key", "to", "subject", "body", "related")]
    mail_sql = (
        f"INSERT INTO {outbox} ({', '.join(names)}, {', '.join(columns)}) "
        f"SELECT m.key, m.to_, m.subject, m.body, m.related, "
        f"{', '.join(['%s'] * len(values))} FROM ({' UNION ALL '.join(mail_parts)}) m "
        f"RETURNING 1"
    )
    params += [*values, *mail_params]

    sql = (
        f"WITH counter AS ({counter_sql}), report AS ({report_sql}), "
        f"event AS ({event_sql}), mail AS ({mail_sql}) "
        f"SELECT report.{_q('id')}, report.{_q('receipt_no')}, "
        f"report.{_q('duplicate_of_id')}, (SELECT count(*) FROM mail) FROM report"
    )
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


def _messages(report: Report) -> tuple[list[str], list]:
    """SELECTs (over the `report` part) of the messages' key, address, subject, body and
    link, with their parameters: the text translated now, the number put in by SQL."""
    number = f"report.{_q('receipt_no')}"
    related = f"'report:' || report.{_q('id')}"
    parts, params = [], []
    if report.reporter_email:
        if report.secret_hash:
            body = _(
                "Thank you. Your report was received with number %(no)s.\n"
                "Follow it at /reports/track/ with this number and the secret shown when "
                "you filed it (the secret is not repeated here for your safety)."
            )
        else:
            body = _(
                "Thank you. Your report was received with number %(no)s. Follow its status "
                "and the city's answer in the application you used."
            )
        parts.append(
            f"SELECT left({related} || ':receipt', 200) AS key, %s::text AS to_, "
            f"left(replace(%s, %s, {number}), 200) AS subject, "
            f"replace(%s, %s, {number}) AS body, {related} AS related FROM report"
        )
        params += [
            report.reporter_email,
            _("Your report %(no)s has been received") % {"no": _NUMBER},
            _NUMBER,
            body % {"no": _NUMBER},
            _NUMBER,
        ]
    officers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.REPORT_OFFICER)
        .exclude(email="")
        .values("pk", "email")
    )
    officers_sql, officers_params = officers.query.sql_with_params()
    subject = _("New report %(no)s") % {"no": _NUMBER}
    body = _("A new %(kind)s report was received.") % {"kind": report.get_kind_display()}
    parts.append(
        f"SELECT left({related} || ':received:' || o.pk, 200) AS key, o.email::text AS to_, "
        f"left(replace(%s, %s, {number}), 200) AS subject, "
        f"replace(%s, %s, {number}) AS body, {related} AS related "
        f"FROM report, ({officers_sql}) AS o(pk, email)"
    )
    params += [subject, _NUMBER, f"{body}\n\n/staff/reports/{_NUMBER}/", _NUMBER]
    params += list(officers_params)
    return parts, params
