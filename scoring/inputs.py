"""What a ranking run reads: the period's survey aggregates, its counted reports, and the
fingerprint of both, with one pass over each survey table.

Each survey table is read by one grouped statement that gives the department totals and the
official totals together (GROUPING SETS on PostgreSQL; on SQLite, which has none, the same
rows from a UNION ALL of two groupings). Rows are grouped by owner and by distinct score, so
the sums stay exact: a stored 83.33333333333333 is read as 250/3 (`rules.exact`), which no
SQL sum could do. The counts are added up as integers over one common denominator
(`scoring.bulk.Sums`); the scores are worked out from those integers (`bulk.BulkScorer`).

The same statements count the rows read, their highest id and their latest change: the
fingerprint of a run's survey inputs costs no extra pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import Coalesce

from complaints.models import Report
from kindness.models import Department, Official
from scoring import rules, tallying
from scoring.models import Period
from scoring.tallying import Inputs
from surveys.models import HappyCall, PhoneSurvey, VisitSurvey


def _latest(column: str) -> str:
    """MAX() of a timestamp column. On PostgreSQL as UTC without a time zone: the driver's
    loader for that type is compiled, the one for time-zone-aware values (Django's) is
    Python, and a read has thousands of them; `tallying.moment` makes the latest aware again."""
    if connection.vendor == "postgresql":
        return f"MAX({column}) AT TIME ZONE 'UTC'"
    return f"MAX({column})"


def _two_groupings(
    table: str,
    where: str,
    first: tuple[str, str],
    second: tuple[str, str],
    changed: str,
    second_only: str | None = None,
) -> str:
    """One statement grouping the same rows two ways, by (owner, value) column pairs.

    Rows out: (0 or 1 for the grouping, owner, value, count, highest id, latest change); the
    id and change come with the first grouping only, which covers every row read. The second
    grouping counts only the rows matching `second_only` when given. (Names here are this
    module's own constants, never input.)"""
    (owner_1, value_1), (owner_2, value_2) = first, second
    if connection.vendor == "postgresql":
        first_rows = f"GROUPING({owner_1}) = 0"
        count_2 = f"COUNT(*) FILTER (WHERE {second_only})" if second_only else "COUNT(*)"
        return (
            f"SELECT GROUPING({owner_1}), COALESCE({owner_1}, {owner_2}), "  # noqa: S608
            f"COALESCE({value_1}, {value_2}), "
            f"CASE WHEN {first_rows} THEN COUNT(*) ELSE {count_2} END, "
            f"CASE WHEN {first_rows} THEN MAX(id) END, "
            f"CASE WHEN {first_rows} THEN {_latest(changed)} END "
            f"FROM {table} WHERE {where} "
            f"GROUP BY GROUPING SETS (({owner_1}, {value_1}), ({owner_2}, {value_2}))"
        )
    where_2 = f"{where} AND {second_only}" if second_only else where
    return (
        f"SELECT 0, {owner_1}, {value_1}, COUNT(*), MAX(id), MAX({changed}) "  # noqa: S608
        f"FROM {table} WHERE {where} GROUP BY {owner_1}, {value_1} "
        f"UNION ALL "
        f"SELECT 1, {owner_2}, {value_2}, COUNT(*), NULL, NULL "
        f"FROM {table} WHERE {where_2} GROUP BY {owner_2}, {value_2}"
    )


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _collect_visits(inputs: Inputs, start, end) -> None:
    tally, source = tallying.Tally(rules.exact), tallying.Source()
    sql = (
        f"SELECT department_id, response_score, COUNT(*), MAX(id), {_latest('imported_at')} "  # noqa: S608
        f"FROM {VisitSurvey._meta.db_table} "
        f"WHERE surveyed_on BETWEEN %s AND %s AND response_score IS NOT NULL "
        f"GROUP BY department_id, response_score"
    )
    rows = _fetch(sql, [start, end])
    tally.add_rows((department_id, raw, n) for department_id, raw, n, _id, _changed in rows)
    source.add_rows(rows)
    inputs.department_sums["v"] = tally.sums()
    inputs.department_tallies["v"] = tally.tallies()
    inputs.sources["visit_surveys"] = source.as_json()


COMPONENT_OF_TABLE = {"phone_surveys": "t", "happy_calls": "h"}


def _read_two_ways(
    inputs: Inputs,
    name: str,
    sql: str,
    period_params: list,
    official_score: Callable[[object], Fraction],
) -> None:
    """Read a survey table grouped for departments and officials at once (`_two_groupings`)
    into its component's sums and tallies, and its rows into the fingerprint. A department's
    value is a response score as stored; `official_score` reads an official's."""
    department, official = tallying.Tally(rules.exact), tallying.Tally(official_score)
    source = tallying.Source()
    params = period_params * (1 if connection.vendor == "postgresql" else 2)
    rows = _fetch(sql, params)
    first = [row for row in rows if row[0] == 0]
    source.add_rows(first)
    department.add_rows(
        (owner, value, n) for _tag, owner, value, n, _id, _changed in first if value is not None
    )
    official.add_rows(
        (owner, value, n)
        for tag, owner, value, n, _id, _changed in rows
        if tag != 0 and value is not None and n
    )
    inputs.sources[name] = source.as_json()
    component = COMPONENT_OF_TABLE[name]
    inputs.department_tallies[component] = department.tallies()
    inputs.official_tallies[component] = official.tallies()
    inputs.department_sums[component] = department.sums()
    inputs.official_sums[component] = official.sums()


def _collect_calls(inputs: Inputs, start, end) -> None:
    """Telephone surveys: every call counts for its department (unanswered as 0); an
    answered call counts for whoever answered it."""
    sql = _two_groupings(
        PhoneSurvey._meta.db_table,
        "called_on BETWEEN %s AND %s",
        ("department_id", "score"),
        ("answered_by_id", "score"),
        "imported_at",
        second_only="answered",
    )
    _read_two_ways(inputs, "phone_surveys", sql, [start, end], rules.exact)


def _collect_happy_calls(inputs: Inputs, start, end) -> None:
    """Happy-calls answered in the period: the response score counts for the department,
    the kindness answer (1-5 as 0-100) for the official who handled the petition."""
    sql = _two_groupings(
        HappyCall._meta.db_table,
        "answered_on BETWEEN %s AND %s",
        ("department_id", "response_score"),
        ("official_id", "kindness_answer"),
        "updated_at",
    )
    _read_two_ways(
        inputs, "happy_calls", sql, [start, end], lambda answer: Fraction((int(answer) - 1) * 25)
    )


def _collect_reports(inputs: Inputs, period: Period) -> None:
    """Counted reports in one query: praise decided in the period (department and
    official), unkindness decided in the deduction window (department) or in the period
    (official: individuals lose points for the period's unkindness, whatever the window)."""
    start, end = period.starts_on, period.ends_on
    window = (
        (period.deduction_starts_on, period.deduction_ends_on)
        if period.has_deduction_window
        else None
    )
    unkind_from, unkind_to = (
        (min(start, window[0]), max(end, window[1])) if window else (start, end)
    )
    praise = Report.objects.counted_praise().decided_between(start, end)
    unkind = Report.objects.substantiated().decided_between(unkind_from, unkind_to)
    rows = (
        (praise | unkind)
        .annotate(scored_department=Coalesce("decided_department_id", "department_id"))
        .order_by("receipt_no")
        .values_list("receipt_no", "kind", "decided_on", "scored_department", "official_id")
    )
    for receipt, kind, decided_on, department_id, official_id in rows:
        in_period = start <= decided_on <= end
        if kind == Report.Kind.PRAISE:
            inputs.department_praise[department_id].append(receipt)
            if official_id:
                inputs.official_praise[official_id].append(receipt)
            continue
        if window and window[0] <= decided_on <= window[1]:
            inputs.department_unkind[department_id].append(receipt)
        if in_period and official_id:
            inputs.official_unkind[official_id].append(receipt)


def _snapshot_begin(cursor, snapshot: str | None = None) -> None:
    """Start the current transaction as a REPEATABLE READ snapshot (an exported one when
    given), with room for the grouping hash tables in memory (`SCORING_WORK_MEM`) rather
    than sorts spilled to disk."""
    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    if snapshot:
        cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
    cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.SCORING_WORK_MEM])


def _in_snapshot(snapshot: str, read: Callable[[], None]) -> None:
    """Run `read` on this thread's own connection, in the exported snapshot."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _snapshot_begin(cursor, snapshot)
            read()
    finally:
        connection.close()


def inputs_collect(period: Period) -> Inputs:
    """Everything a run reads, and the fingerprint of it (`Inputs.sources`).

    On PostgreSQL, outside any transaction (as a worker runs it), everything is read from
    one snapshot: the survey tables, the reports and the fingerprint describe the same
    moment. The three survey tables are then read at the same time, each on a connection of
    its own that imports the snapshot (`pg_export_snapshot`, as pg_dump's parallel mode
    does), so that every core scans (`SCORING_PARALLEL_READ`). Inside a transaction (tests)
    or on SQLite they are read one after the other on the one connection."""
    inputs = Inputs()
    start, end = period.starts_on, period.ends_on
    readers = [
        lambda: _collect_visits(inputs, start, end),
        lambda: _collect_calls(inputs, start, end),
        lambda: _collect_happy_calls(inputs, start, end),
    ]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        for read in readers:
            read()
        _collect_reports(inputs, period)
        _collect_small_tables(inputs)
        return inputs
    with transaction.atomic(), connection.cursor() as cursor:
        _snapshot_begin(cursor)
        if settings.SCORING_PARALLEL_READ:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            with ThreadPoolExecutor(max_workers=len(readers)) as pool:
                futures = [pool.submit(_in_snapshot, snapshot, read) for read in readers]
                _collect_reports(inputs, period)
                _collect_small_tables(inputs)
                for future in futures:
                    future.result()
        else:
            for read in readers:
                read()
            _collect_reports(inputs, period)
            _collect_small_tables(inputs)
    return inputs


def _collect_small_tables(inputs: Inputs) -> None:
    """Reports and officials: rows, highest id and latest change over the whole table.
    Departments and bureaus keep no change time, and a rename, a move to another bureau or
    a deactivation changes the rows; they are few, so what the rows show of them is hashed."""
    for name, model in (("reports", Report), ("officials", Official)):
        values = model.objects.order_by().aggregate(
            rows=Count("pk"), max_id=Max("pk"), changed=Max("updated_at")
        )
        if values["changed"]:
            values["changed"] = values["changed"].isoformat()
        inputs.sources[name] = values
    departments = list(
        Department.objects.order_by("pk").values_list(
            "pk", "code", "name", "active", "bureau_id", "bureau__name"
        )
    )
    inputs.sources["departments"] = {
        "rows": len(departments),
        "max_id": departments[-1][0] if departments else None,
        "digest": hashlib.sha256(repr(departments).encode()).hexdigest(),
    }


def fingerprint_of(period: Period, inputs: Inputs) -> dict:
    """A description of what a run read: the period; per survey table the rows read, their
    highest id and latest change; the same over the whole table for reports and officials;
    a digest of the departments. Equal fingerprints (and rules) mean a rerun would give the
    same rows."""
    return {
        "period": [
            period.starts_on.isoformat(),
            period.ends_on.isoformat(),
            period.deduction_starts_on.isoformat() if period.deduction_starts_on else None,
            period.deduction_ends_on.isoformat() if period.deduction_ends_on else None,
        ],
        **inputs.sources,
    }


def fingerprint(period: Period) -> dict:
    """The fingerprint a run of the period would record now (it reads what a run reads)."""
    return fingerprint_of(period, inputs_collect(period))
