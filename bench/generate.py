"""A deterministic synthetic city for the ranking benchmarks, written straight into the
database with bulk inserts (COPY on PostgreSQL, batched INSERTs elsewhere).

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/generate.py --size 100k --seed 1

Writes bureaus, departments, officials, visitor surveys, telephone surveys (answered,
covered by a colleague, and unanswered; scored with the scorecard in use, as the importer
does), happy-calls with their petitions, and praise / unkindness reports, all dated over
one year (YEAR). Refuses to write into a database that already has officials unless
`--force` (add another city beside it) or `--reset` (empty the city's tables first).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import os
import random
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

YEAR = 2025

# name: (responses, officials, departments, bureaus)
SIZES = {
    "tiny": (3_000, 200, 20, 4),
    "100k": (100_000, 6_000, 200, 15),
    "1m": (1_000_000, 6_000, 200, 15),
    "10m": (10_000_000, 6_000, 200, 15),
}

# Shares of the responses, and reports per response.
SHARE_VISIT, SHARE_PHONE = 0.25, 0.45  # the rest are happy-calls
UNANSWERED = 0.15  # of telephone calls
COVERED = 0.10  # of answered calls
PRAISE_PER_RESPONSE, UNKIND_PER_RESPONSE = 1 / 100, 1 / 300

CHUNK = 50_000


class Refused(Exception):
    """The database already has a city and neither --force nor --reset was given."""


def setup_django() -> None:
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kindness.settings")
    import django

    django.setup()


# --- writing -------------------------------------------------------------------------------


class Writer:
    """Inserts rows (dicts by attribute name) into a model's table. Every concrete column is
    written: what a row leaves out takes the field's default, `now` for auto times, NULL
    or "" otherwise. Ids are given explicitly, so foreign keys can be built in Python."""

    def __init__(self, now: dt.datetime):
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.now = now
        self.counts: dict[str, int] = {}

    def next_id(self, model) -> int:
        from django.db.models import Max

        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def write(self, model, rows: Iterable[dict]) -> int:
        fields = [f for f in model._meta.concrete_fields]
        plan: list[tuple[str, object]] = []
        for f in fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = self.now
            elif f.has_default():
                default = f.get_default()
            elif f.null:
                default = None
            else:
                default = ""
            plan.append((f.attname, default))
        table = self.connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        n = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(tuple(row.get(name, default) for name, default in plan))
                        n += 1
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
                batch = []
                for row in rows:
                    batch.append(
                        tuple(
                            f.get_db_prep_save(row.get(name, default), self.connection)
                            for f, (name, default) in zip(fields, plan, strict=True)
                        )
                    )
                    if len(batch) >= CHUNK:
                        cursor.executemany(sql, batch)
                        n += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n
        return n

    def reset_sequences(self, models) -> None:
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with self.connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def reset_city() -> None:
    """Empty the tables the generator writes (and the ranking rows that point at them)."""
    from django.db import connection

    from complaints.models import Report
    from kindness.models import Bureau, Department, Official, Team
    from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun
    from surveys.models import HappyCall, Petition, PhoneSurvey, VisitSurvey

    if connection.vendor == "postgresql":
        tables = [
            m._meta.db_table
            for m in (Bureau, Department, Official, Report, Petition, RankingRun, Period)
        ]
        with connection.cursor() as cursor:
            # CASCADE empties every table that points at these (surveys, runs, ...).
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        return
    for model in (
        DepartmentScore,
        OfficialScore,
        RankingRun,
        Period,
        HappyCall,
        Petition,
        PhoneSurvey,
        VisitSurvey,
        Report,
        Official,
        Team,
        Department,
        Bureau,
    ):
        model.objects.all().delete()


# --- the city ------------------------------------------------------------------------------


def _likert(rng: random.Random) -> int:
    """A 1-5 answer leaning to the positive end, as real surveys do."""
    return rng.choices((1, 2, 3, 4, 5), weights=(3, 7, 20, 40, 30))[0]


def generate(
    size: str = "tiny",
    seed: int = 1,
    *,
    force: bool = False,
    reset: bool = False,
    out: Callable[[str], None] = print,
) -> dict[str, int]:
    """Write the city; returns rows written per model label (and "total")."""
    from django.db import transaction
    from django.utils import timezone

    from complaints.models import Report
    from kindness.models import Bureau, Department, Official
    from surveys import rules
    from surveys.imports.outside import scorecard_rules
    from surveys.models import (
        HappyCall,
        Petition,
        PhoneScorecard,
        PhoneSurvey,
        Questionnaire,
        VisitSurvey,
    )

    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; one of {', '.join(SIZES)}")
    responses, n_officials, n_departments, n_bureaus = SIZES[size]
    if reset:
        reset_city()
    elif Official.objects.exists() and not force:
        raise Refused(
            "the database already has officials; use --force to add a city beside them "
            "or --reset to empty the city's tables first"
        )
    scorecard = PhoneScorecard.objects.filter(active=True).order_by("-version").first()
    questionnaire = (
        Questionnaire.objects.filter(code="happy-call", active=True).order_by("-version").first()
    )
    if scorecard is None:
        raise RuntimeError("no telephone scorecard in use (run migrate first)")
    card = scorecard_rules(scorecard)

    rng = random.Random(seed)
    seoul = dt.timezone(dt.timedelta(hours=9))
    now = timezone.now()
    jan1 = dt.date(YEAR, 1, 1)
    days = (dt.date(YEAR, 12, 31) - jan1).days + 1

    def day() -> dt.date:
        return jan1 + dt.timedelta(days=rng.randrange(days))

    writer = Writer(now)
    started = time.perf_counter()
    n_visits = int(responses * SHARE_VISIT)
    n_phones = int(responses * SHARE_PHONE)
    n_happy = responses - n_visits - n_phones

    with transaction.atomic():
        # Organisation.
        b0, d0, o0 = writer.next_id(Bureau), writer.next_id(Department), writer.next_id(Official)
        bureaus = list(range(b0, b0 + n_bureaus))
        writer.write(Bureau, ({"id": b, "name": f"Bench bureau {b}"} for b in bureaus))
        departments = list(range(d0, d0 + n_departments))
        dept_bureau = {d: bureaus[i % n_bureaus] for i, d in enumerate(departments)}
        writer.write(
            Department,
            (
                {
                    "id": d,
                    "code": f"BD{d:06d}",
                    "name": f"Bench department {d}",
                    "bureau_id": dept_bureau[d],
                    "active": True,
                }
                for d in departments
            ),
        )
        officials = list(range(o0, o0 + n_officials))
        official_dept = {o: departments[i % n_departments] for i, o in enumerate(officials)}
        staff: dict[int, list[int]] = {d: [] for d in departments}
        for o in officials:
            staff[official_dept[o]].append(o)
        writer.write(
            Official,
            (
                {
                    "id": o,
                    "employee_no": f"B{o:08d}",
                    "name": f"Official {o:06d}",
                    "employment_type": "regular",
                    "department_id": official_dept[o],
                    # A few retired officials: they get a row only when they have data.
                    "active": rng.random() >= 0.02,
                }
                for o in officials
            ),
        )

        # Visitor surveys: every item answered.
        v0 = writer.next_id(VisitSurvey)

        def visits():
            for i in range(v0, v0 + n_visits):
                items = [_likert(rng) for _ in range(5)]
                yield {
                    "id": i,
                    "survey_id": f"BV{i:010d}",
                    "department_id": rng.choice(departments),
                    "surveyed_on": day(),
                    "greeting": items[0],
                    "attitude": items[1],
                    "explanation": items[2],
                    "waiting": items[3],
                    "overall": items[4],
                    "response_score": rules.response_score(items),
                }

        writer.write(VisitSurvey, visits())

        # Telephone surveys, scored with the scorecard in use.
        p0 = writer.next_id(PhoneSurvey)

        def phones():
            for i in range(p0, p0 + n_phones):
                target = rng.choice(officials)
                called_on = day()
                called_at = dt.datetime.combine(
                    called_on, dt.time(9 + rng.randrange(9), rng.randrange(60)), seoul
                )
                answered = rng.random() >= UNANSWERED
                row = {
                    "id": i,
                    "call_id": f"BT{i:010d}",
                    "target_id": target,
                    "department_id": official_dept[target],
                    "called_at": called_at,
                    "called_on": called_on,
                    "scorecard_id": scorecard.pk,
                }
                by = None
                call = rules.PhoneCall(answered=False)
                if answered:
                    by = target
                    if rng.random() < COVERED:
                        by = rng.choice(staff[official_dept[target]])
                    call = rules.PhoneCall(
                        answered=True,
                        rings=rng.choice((1, 1, 2, 2, 3, 4)),
                        duration_s=rng.randrange(30, 300),
                        hangup_wait_s=rng.randrange(0, 6),
                        greeting_with_name=rng.random() < 0.8,
                        tone=_likert(rng),
                        accuracy=_likert(rng),
                        closing_greeting=rng.random() < 0.85,
                    )
                    row.update(
                        answered_by_id=by,
                        rings=call.rings,
                        duration_s=call.duration_s,
                        hangup_wait_s=call.hangup_wait_s,
                        greeting_with_name=call.greeting_with_name,
                        tone=call.tone,
                        accuracy=call.accuracy,
                        closing_greeting=call.closing_greeting,
                    )
                # Answered, covered, score and 333 as the importer derives them.
                outcome = rules.phone_outcome(target=target, answered_by=by, call=call, card=card)
                row.update(dataclasses.asdict(outcome))
                yield row

        writer.write(PhoneSurvey, phones())

        # Happy-calls, each with its petition; answered, every item given.
        pe0, h0 = writer.next_id(Petition), writer.next_id(HappyCall)
        happy_rows: list[dict] = []

        def petitions():
            for j in range(n_happy):
                pid = pe0 + j
                official = rng.choice(officials)
                department = official_dept[official]
                completed = day()
                received = completed - dt.timedelta(days=rng.randrange(0, 15))
                answered = min(
                    completed + dt.timedelta(days=rng.randrange(1, 8)), dt.date(YEAR, 12, 31)
                )
                items = [
                    _likert(rng) for _ in range(5)
                ]  # speed, clarity, kindness, result, overall
                happy_rows.append(
                    {
                        "id": h0 + j,
                        "petition_id": pid,
                        "call_id": f"BH{h0 + j:010d}",
                        "status": HappyCall.Status.COMPLETED,
                        "queued_on": completed,
                        "closed_at": dt.datetime.combine(answered, dt.time(15), seoul),
                        "department_id": department,
                        "official_id": official,
                        "questionnaire_id": questionnaire.pk if questionnaire else None,
                        "answered_on": answered,
                        "response_score": rules.response_score(items),
                        "kindness_answer": items[2],
                    }
                )
                yield {
                    "id": pid,
                    "petition_no": f"BP{pid:010d}",
                    "title": f"Petition {pid}",
                    "department_id": department,
                    "official_id": official,
                    "received_on": received,
                    "completed_on": completed,
                    "channel": rng.choice(("visit", "phone", "online", "field", "mail")),
                }

        # Petitions first (happy-calls point at them); rows buffered one chunk at a time.
        source = petitions()
        for start in range(0, n_happy, CHUNK):
            happy_rows.clear()
            writer.write(Petition, itertools.islice(source, min(CHUNK, n_happy - start)))
            writer.write(HappyCall, happy_rows)

        # Reports: praise (most verified or shared) and unkindness (half substantiated).
        r0 = writer.next_id(Report)
        n_praise = max(1, int(responses * PRAISE_PER_RESPONSE))
        n_unkind = max(1, int(responses * UNKIND_PER_RESPONSE))

        def reports():
            for i in range(r0, r0 + n_praise + n_unkind):
                praise = i < r0 + n_praise
                if praise:
                    status = rng.choices(
                        ("verified", "shared", "received", "rejected"), weights=(40, 30, 20, 10)
                    )[0]
                else:
                    status = rng.choices(
                        ("substantiated", "closed", "under_review", "not_substantiated"),
                        weights=(30, 20, 20, 30),
                    )[0]
                official = rng.choice(officials) if rng.random() < 0.8 else None
                department = official_dept[official] if official else rng.choice(departments)
                incident = day()
                decided = None
                if status not in ("received", "under_review"):
                    decided = min(
                        incident + dt.timedelta(days=rng.randrange(1, 21)), dt.date(YEAR, 12, 31)
                    )
                yield {
                    "id": i,
                    "receipt_no": f"B{YEAR}-{i:09d}",
                    "kind": "praise" if praise else "unkind",
                    "status": status,
                    "source": "import",
                    "department_id": department,
                    "official_id": official,
                    "incident_on": incident,
                    "channel": rng.choice(("visit", "phone", "online")),
                    "text": "Synthetic benchmark report.",
                    "decided_department_id": department if decided else None,
                    "decided_on": decided,
                    "decided_at": dt.datetime.combine(decided, dt.time(10), seoul)
                    if decided
                    else None,
                    "ended_at": (
                        dt.datetime.combine(decided, dt.time(10), seoul)
                        if status
                        in ("verified", "shared", "rejected", "not_substantiated", "closed")
                        else None
                    ),
                }

        writer.write(Report, reports())
        writer.reset_sequences(
            [Bureau, Department, Official, VisitSurvey, PhoneSurvey, Petition, HappyCall, Report]
        )

    seconds = time.perf_counter() - started
    counts = dict(writer.counts)
    counts["total"] = sum(writer.counts.values())
    for label, n in writer.counts.items():
        out(f"{label:28} {n:>12,}")
    out(
        f"{'total':28} {counts['total']:>12,} rows in {seconds:.1f} s "
        f"({counts['total'] / max(seconds, 1e-9):,.0f} rows/s)"
    )
    counts["seconds"] = round(seconds, 3)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=1)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="write beside an existing city")
    group.add_argument("--reset", action="store_true", help="empty the city's tables first")
    args = parser.parse_args(argv)
    setup_django()
    try:
        generate(args.size, args.seed, force=args.force, reset=args.reset)
    except Refused as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
