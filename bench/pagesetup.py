"""The setup part of bench/pages.py: the targets, and the data the pages show (the city of
bench/generate.py, its two half-years ranked and published, the shared praise given text)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from bench.generate import YEAR, generate

PERIODS = (f"{YEAR}-H1", f"{YEAR}-H2")
MANAGER = "bench-manager"
PRAISE_TEXT = (
    "Thank you for explaining every step of my application so patiently; "
    "I left the office knowing exactly what happens next."
)
CONNECTION_MODES = ("persistent", "pooled", "new")


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    path: str
    post: bool = False
    # A POST that stores a row (answers 3xx, rows counted); else a POST that only reads
    # (answers 2xx: the tracking lookup).
    stores: bool = True
    script: str = ""  # the wrk script; default get.lua or post.lua


TARGETS = (
    Target("fixed", "bare: fixed string", "/bench/fixed/"),
    Target("rows", "bare: 50-row page", "/bench/rows/"),
    Target("insert", "bare: insert (POST)", "/bench/insert/", post=True),
    Target("home", "home page", "/"),
    Target("rankings", "rankings page", "/rankings/"),
    Target("praise", "praise board", "/praise/"),
    Target("report", "report form (POST)", "/reports/new/", post=True),
    # New targets after the existing ones, so earlier tables keep their columns.
    Target("search", "praise board search", "/praise/?q={search}"),
    Target(
        "track",
        "tracking lookup (POST)",
        "/reports/track/",
        post=True,
        stores=False,
        script="track.lua",
    ),
)
# (page, bare view, at least): the targets.
RATIOS = (
    ("rankings", "rows", 0.8),
    ("home", "fixed", 0.5),
    ("report", "insert", 0.5),
    ("praise", "rows", 0.8),
    ("search", "rows", 0.5),
)


class BenchError(Exception):
    """The run cannot go on (gunicorn did not start, wrk missing, no city, ...)."""


# --- data ----------------------------------------------------------------------------------


def prepare(
    size: str = "tiny",
    *,
    seed: int = 1,
    generate_city: bool = True,
    periods: tuple[str, ...] = PERIODS,
    out: Callable[[str], None] = print,
) -> dict:
    """Make sure the database has what the pages show; returns what the POSTs need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.web import insert_table_ensure
    from complaints.models import Report
    from kindness.models import Department, Official
    from kindness.roles import Role
    from scoring.models import Period, RankingRun
    from scoring.services import period_create, run_execute, run_publish, run_request

    if not Official.objects.exists():
        if not generate_city:
            raise BenchError("the database has no city; drop --no-generate or run generate.py")
        generate(size, seed, out=out)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Statistics for the planner now, not whenever autovacuum gets to it.
                cursor.execute("ANALYZE")

    manager, created = get_user_model().objects.get_or_create(username=MANAGER)
    if created:
        manager.set_unusable_password()
        manager.save(update_fields=["password"])
    manager.groups.add(Group.objects.get(name=Role.MANAGER))

    published = {}
    for code in periods:
        period = Period.objects.filter(code=code).first() or period_create(code=code)
        run = period.published_run()
        if run is None:
            with transaction.atomic():
                run = run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
            run = run_execute(run.pk)
            if run.status != RankingRun.Status.COMPLETED:
                raise BenchError(f"ranking run of {code} failed: {run.error}")
            run = run_publish(run=run, user=manager)
            out(f"published {code} run #{run.number}")
        published[code] = run.pk

    # The generator shares praise without the words the board shows; give them some.
    filled = Report.objects.shared_praise().filter(public_text="").update(public_text=PRAISE_TEXT)
    if filled:
        out(f"praise board: {filled} shared praise given their public text")
    insert_table_ensure()
    planner_statistics()

    departments = list(Department.objects.active().order_by("pk").values_list("pk", flat=True))
    tracked = _tracked_report(departments[0])
    return {
        "search": Department.objects.get(pk=departments[0]).name,
        "tracked": tracked,
        "departments": departments,
        "published": published,
        "shared_praise": Report.objects.shared_praise().count(),
        "incident_on": timezone.localdate().isoformat(),
    }


def planner_statistics() -> None:
    """ANALYZE the whole database on PostgreSQL: a generated city has no statistics (and
    autovacuum may be off or not yet round), and a planner guessing a few hundred rows
    can pick a scan of the receipts' key order over the receipt number's index."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _tracked_report(department_pk: int) -> dict:
    """A report filed as a resident files it, for the tracking lookups: its receipt number
    and the secret the resident was shown."""
    from complaints.services import report_submit
    from kindness.models import Department

    submission = report_submit(
        kind="praise",
        department=Department.objects.get(pk=department_pk),
        official_name="",
        incident_on=timezone_today(),
        channel="visit",
        text="A report the benchmark tracks: thank you for the patient explanation.",
        reporter_name="Bench resident",
        reporter_phone="",
    )
    return {"receipt_no": submission.report.receipt_no, "secret": submission.secret}


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def target_path(target: Target, prepared: dict) -> str:
    """The target's address with what prepare() chose filled in (the search words)."""
    from urllib.parse import quote

    return target.path.format(search=quote(prepared.get("search", "")))


def reports_after(pk: int) -> dict:
    """Reports filed on the web form with an id above `pk`: how many, how many distinct
    receipt numbers, and how many of those have the receipt form R-YYYY-NNNNNN."""
    from complaints.models import Report

    receipts = list(
        Report.objects.filter(pk__gt=pk, source=Report.Source.WEB).values_list(
            "receipt_no", flat=True
        )
    )
    well_formed = sum(bool(re.fullmatch(r"R-\d{4}-\d{6}", r)) for r in receipts)
    return {"stored": len(receipts), "distinct": len(set(receipts)), "well_formed": well_formed}


def report_highest_pk() -> int:
    from django.db.models import Max

    from complaints.models import Report

    return Report.objects.aggregate(m=Max("pk"))["m"] or 0


def queries_per_page(prepared: dict) -> dict[str, int]:
    """Queries each target makes (in process, the test client, bench settings, a second
    request so that what the process keeps is warm). The report POSTs store two reports."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    import bench.settings as bench_settings

    counts: dict[str, int] = {}
    with override_settings(
        DEBUG=False,  # as the web processes run: kept fragments are kept
        ROOT_URLCONF="bench.urls",
        TEMPLATES=bench_settings.TEMPLATES,
        ALLOWED_HOSTS=["127.0.0.1"],
        SECURE_SSL_REDIRECT=False,
        RATELIMIT_ENABLE=False,
    ):
        for target in TARGETS:
            for _ in range(2):
                # No cookies, as wrk sends none: a new CSRF cookie, a new session.
                client = Client(HTTP_HOST="127.0.0.1")
                if target.post and not target.stores:
                    with CaptureQueriesContext(connection) as captured:
                        response = client.post(target.path, prepared["tracked"])
                    expected = 200
                elif target.post:
                    data = {
                        "kind": "praise",
                        "department": prepared["departments"][0],
                        "official_name": "Official 1",
                        "incident_on": prepared["incident_on"],
                        "channel": "visit",
                        "text": "Counting the queries of one report: thank you.",
                        "reporter_name": "Bench resident",
                        # A phone, as wrk's POSTs have: the duplicate check runs.
                        "reporter_phone": f"010-{secrets.randbelow(10**8):08d}",
                        "consent": "on",
                    }
                    with CaptureQueriesContext(connection) as captured:
                        response = client.post(target.path, data)
                    expected = 302
                else:
                    with CaptureQueriesContext(connection) as captured:
                        response = client.get(target_path(target, prepared))
                    expected = 200
                if response.status_code != expected:
                    raise BenchError(
                        f"{target.path} answered {response.status_code} in process, "
                        f"expected {expected}"
                    )
            counts[target.key] = len(captured.captured_queries)
    return counts
