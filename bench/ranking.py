"""Times the ranking job against "the floor" (one hand-written SQL statement computing the
same department scores) on the city written by bench/generate.py.

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/ranking.py [--period 2025-H1]

Creates the half-year period if needed, computes a run in process (run_request without
sending, then run_execute), reports its wall time and timings, its memory (maxrss delta of
the timed run; tracemalloc peak of a second, traced run), the floor's time, and how many
department scores differ between the floor and the job.

The rank intervals (SPEC section 5, "How sure a rank is") are timed on their own: the job's
time and ratio leave them out (issue 16), and their time is the last column.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import YEAR, setup_django  # noqa: E402

HUNDREDTH, NINE = Decimal("0.01"), Decimal("1e-9")

# The department score of SPEC section 5 in one statement. {num}: exact decimal arithmetic
# on PostgreSQL (numeric), floats elsewhere; {max}/{min}: GREATEST/LEAST or MAX/MIN.
FLOOR_SQL = """
WITH
v AS (SELECT department_id AS d, COUNT(*) AS n, SUM(CAST(response_score AS {num})) AS s
      FROM surveys_visitsurvey
      WHERE surveyed_on BETWEEN %(start)s AND %(end)s AND response_score IS NOT NULL
      GROUP BY department_id),
t AS (SELECT department_id AS d, COUNT(*) AS n, SUM(CAST(score AS {num})) AS s
      FROM surveys_phonesurvey
      WHERE called_on BETWEEN %(start)s AND %(end)s
      GROUP BY department_id),
h AS (SELECT department_id AS d, COUNT(*) AS n, SUM(CAST(response_score AS {num})) AS s
      FROM surveys_happycall
      WHERE answered_on BETWEEN %(start)s AND %(end)s AND response_score IS NOT NULL
      GROUP BY department_id),
city AS (SELECT (SELECT SUM(s) / SUM(n) FROM v) AS vm,
                (SELECT SUM(s) / SUM(n) FROM t) AS tm,
                (SELECT SUM(s) / SUM(n) FROM h) AS hm),
w AS (SELECT vm, tm, hm,
             CASE WHEN vm IS NULL THEN 0 ELSE %(wv)s END AS wv,
             CASE WHEN tm IS NULL THEN 0 ELSE %(wt)s END AS wt,
             CASE WHEN hm IS NULL THEN 0 ELSE %(wh)s END AS wh
      FROM city),
p AS (SELECT COALESCE(decided_department_id, department_id) AS d, COUNT(*) AS n
      FROM complaints_report
      WHERE kind = 'praise' AND status IN ('verified', 'shared')
        AND decided_on BETWEEN %(start)s AND %(end)s
      GROUP BY COALESCE(decided_department_id, department_id)),
u AS (SELECT COALESCE(decided_department_id, department_id) AS d, COUNT(*) AS n
      FROM complaints_report
      WHERE kind = 'unkind' AND status IN ('substantiated', 'closed')
        AND decided_on BETWEEN %(dstart)s AND %(dend)s
      GROUP BY COALESCE(decided_department_id, department_id)),
scored AS (
  SELECT dep.id AS id,
         (COALESCE(w.wv * (COALESCE(v.s, 0) + %(k)s * w.vm) / (COALESCE(v.n, 0) + %(k)s), 0)
          + COALESCE(w.wt * (COALESCE(t.s, 0) + %(k)s * w.tm) / (COALESCE(t.n, 0) + %(k)s), 0)
          + COALESCE(w.wh * (COALESCE(h.s, 0) + %(k)s * w.hm) / (COALESCE(h.n, 0) + %(k)s), 0))
         / (w.wv + w.wt + w.wh)
         + {min}(COALESCE(p.n, 0) * %(bonus)s, %(cap)s)
         - COALESCE(u.n, 0) * %(ded)s AS raw
  FROM kindness_department dep CROSS JOIN w
  LEFT JOIN v ON v.d = dep.id LEFT JOIN t ON t.d = dep.id LEFT JOIN h ON h.d = dep.id
  LEFT JOIN p ON p.d = dep.id LEFT JOIN u ON u.d = dep.id
  WHERE dep.active OR v.d IS NOT NULL OR t.d IS NOT NULL OR h.d IS NOT NULL
     OR p.d IS NOT NULL OR u.d IS NOT NULL)
SELECT id, {round_open}{max}(0, {min}(100, raw)){round_close} FROM scored
"""


# The fair floor (issue 16): department AND official scores with their ranks, written into
# tables with INSERT ... SELECT, as the job must. {score}: the clamped score rounded to cents
# ({round_open}/{round_close} as above); ranks by RANK() over the rounded score.
FAIR_DEPARTMENTS_SQL = FLOOR_SQL.replace(
    "SELECT id, {round_open}{max}(0, {min}(100, raw)){round_close} FROM scored",
    ", rounded AS (SELECT id, bureau_id, "
    "{round_open}{max}(0, {min}(100, raw)){round_close} AS score FROM scored) "
    "INSERT INTO bench_fair_departments (department_id, score, rank, bureau_rank) "
    "SELECT id, score, RANK() OVER (ORDER BY score DESC), "
    "RANK() OVER (PARTITION BY bureau_id ORDER BY score DESC) FROM rounded",
).replace("SELECT dep.id AS id,", "SELECT dep.id AS id, dep.bureau_id AS bureau_id,")
FAIR_OFFICIALS_SQL = """
WITH
t AS (SELECT answered_by_id AS o, COUNT(*) AS n, SUM(CAST(score AS {num})) AS s
      FROM surveys_phonesurvey
      WHERE called_on BETWEEN %(start)s AND %(end)s AND answered
      GROUP BY answered_by_id),
h AS (SELECT official_id AS o, COUNT(*) AS n, SUM(CAST((kindness_answer - 1) * 25 AS {num})) AS s
      FROM surveys_happycall
      WHERE answered_on BETWEEN %(start)s AND %(end)s AND kindness_answer IS NOT NULL
      GROUP BY official_id),
city AS (SELECT (SELECT SUM(s) / SUM(n) FROM t) AS tm, (SELECT SUM(s) / SUM(n) FROM h) AS hm),
w AS (SELECT tm, hm,
             CASE WHEN tm IS NULL THEN 0 ELSE %(owt)s END AS wt,
             CASE WHEN hm IS NULL THEN 0 ELSE %(owh)s END AS wh
      FROM city),
p AS (SELECT official_id AS o, COUNT(*) AS n FROM complaints_report
      WHERE kind = 'praise' AND status IN ('verified', 'shared') AND official_id IS NOT NULL
        AND decided_on BETWEEN %(start)s AND %(end)s
      GROUP BY official_id),
u AS (SELECT official_id AS o, COUNT(*) AS n FROM complaints_report
      WHERE kind = 'unkind' AND status IN ('substantiated', 'closed') AND official_id IS NOT NULL
        AND decided_on BETWEEN %(start)s AND %(end)s
      GROUP BY official_id),
scored AS (
  SELECT off.id AS id, COALESCE(t.n, 0) + COALESCE(h.n, 0) AS responses,
         (COALESCE(w.wt * (COALESCE(t.s, 0) + %(k)s * w.tm) / (COALESCE(t.n, 0) + %(k)s), 0)
          + COALESCE(w.wh * (COALESCE(h.s, 0) + %(k)s * w.hm) / (COALESCE(h.n, 0) + %(k)s), 0))
         / (w.wt + w.wh)
         + {min}(COALESCE(p.n, 0) * %(obonus)s, %(ocap)s)
         - COALESCE(u.n, 0) * %(oded)s AS raw
  FROM kindness_official off CROSS JOIN w
  LEFT JOIN t ON t.o = off.id LEFT JOIN h ON h.o = off.id
  LEFT JOIN p ON p.o = off.id LEFT JOIN u ON u.o = off.id
  WHERE off.active OR t.o IS NOT NULL OR h.o IS NOT NULL OR p.o IS NOT NULL
     OR u.o IS NOT NULL),
rounded AS (SELECT id, responses >= %(minimum)s AS eligible,
                   {round_open}{max}(0, {min}(100, raw)){round_close} AS score FROM scored)
INSERT INTO bench_fair_officials (official_id, score, rank)
SELECT id, score,
       CASE WHEN eligible THEN RANK() OVER (PARTITION BY eligible ORDER BY score DESC) END
FROM rounded
"""
FAIR_TABLES = (
    "CREATE TEMP TABLE IF NOT EXISTS bench_fair_departments "
    "(department_id integer, score {num}, rank integer, bureau_rank integer)",
    "CREATE TEMP TABLE IF NOT EXISTS bench_fair_officials "
    "(official_id integer, score {num}, rank integer)",
)

# The same fair floor writing into ordinary (logged) tables that carry the keys the job's
# rows carry: each row references its department (and bureau) or official (and department)
# and an owner appears once. The TEMP tables above have no log, no key and no check, which
# the job's rows in `scoring_*score` cannot skip; both figures are printed.
KEPT_DEPARTMENTS_SQL = FAIR_DEPARTMENTS_SQL.replace(
    "INSERT INTO bench_fair_departments (department_id, score, rank, bureau_rank) "
    "SELECT id, score,",
    "INSERT INTO bench_kept_departments (department_id, bureau_id, score, rank, bureau_rank) "
    "SELECT id, bureau_id, score,",
)
KEPT_OFFICIALS_SQL = (
    FAIR_OFFICIALS_SQL.replace(
        "INSERT INTO bench_fair_officials (official_id, score, rank)\nSELECT id, score,",
        "INSERT INTO bench_kept_officials (official_id, department_id, score, rank)\n"
        "SELECT id, department_id, score,",
    )
    .replace(
        "SELECT off.id AS id, COALESCE(t.n, 0)",
        "SELECT off.id AS id, off.department_id AS department_id, COALESCE(t.n, 0)",
    )
    .replace("rounded AS (SELECT id, responses", "rounded AS (SELECT id, department_id, responses")
)
KEPT_TABLES = (
    "CREATE TABLE IF NOT EXISTS bench_kept_departments ("
    "department_id integer NOT NULL UNIQUE REFERENCES kindness_department (id) "
    "DEFERRABLE INITIALLY DEFERRED, "
    "bureau_id integer NOT NULL REFERENCES kindness_bureau (id) DEFERRABLE INITIALLY DEFERRED, "
    "score {num}, rank integer, bureau_rank integer)",
    "CREATE TABLE IF NOT EXISTS bench_kept_officials ("
    "official_id integer NOT NULL UNIQUE REFERENCES kindness_official (id) "
    "DEFERRABLE INITIALLY DEFERRED, "
    "department_id integer NOT NULL REFERENCES kindness_department (id) "
    "DEFERRABLE INITIALLY DEFERRED, "
    "score {num}, rank integer)",
)


def floor_sql(postgres: bool) -> str:
    if postgres:
        return FLOOR_SQL.format(
            num="numeric",
            max="GREATEST",
            min="LEAST",
            round_open="ROUND(ROUND(",
            round_close=", 9), 2)",
        )
    return FLOOR_SQL.format(num="REAL", max="MAX", min="MIN", round_open="", round_close="")


def floor_scores(period) -> dict[int, Decimal]:
    """Department id -> score rounded half-up to 2 decimals, by the one SQL statement.

    Full precision first, then rounded at 9 decimals (so a half cent the arithmetic reached
    as x.xx4999999... is a half cent, as the job's exact fractions see it), then at 2."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    r = period.rule_set

    def num(value):
        return Decimal(value) if postgres else float(value)

    def day(value):
        if value is None:
            return None
        return value if postgres else value.isoformat()

    params = {
        "start": day(period.starts_on),
        "end": day(period.ends_on),
        "dstart": day(period.deduction_starts_on),
        "dend": day(period.deduction_ends_on),
        "wv": num(r.weight_v),
        "wt": num(r.weight_t),
        "wh": num(r.weight_h),
        "k": num(r.prior_k),
        "bonus": num(r.praise_bonus),
        "cap": num(r.praise_cap),
        "ded": num(r.unkind_deduction),
    }
    with connection.cursor() as cursor:
        cursor.execute(floor_sql(postgres), params)
        rows = cursor.fetchall()
    if postgres:
        return {d: Decimal(score).quantize(HUNDREDTH) for d, score in rows}
    return {
        d: Decimal(repr(score)).quantize(NINE, ROUND_HALF_UP).quantize(HUNDREDTH, ROUND_HALF_UP)
        for d, score in rows
    }


def _sql_format(template: str, postgres: bool) -> str:
    if postgres:
        return template.format(
            num="numeric",
            max="GREATEST",
            min="LEAST",
            round_open="ROUND(ROUND(",
            round_close=", 9), 2)",
        )
    return template.format(num="REAL", max="MAX", min="MIN", round_open="", round_close="")


def fair_params(period) -> dict:
    """The rule set's values and the period's dates as the fair floors' SQL takes them."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    r = period.rule_set

    def num(value):
        return Decimal(value) if postgres else float(value)

    def day(value):
        return value if postgres or value is None else value.isoformat()

    params = {
        "start": day(period.starts_on),
        "end": day(period.ends_on),
        "dstart": day(period.deduction_starts_on),
        "dend": day(period.deduction_ends_on),
        "wv": num(r.weight_v),
        "wt": num(r.weight_t),
        "wh": num(r.weight_h),
        "k": num(r.prior_k),
        "bonus": num(r.praise_bonus),
        "cap": num(r.praise_cap),
        "ded": num(r.unkind_deduction),
        "owt": num(r.official_weight_t),
        "owh": num(r.official_weight_h),
        "obonus": num(r.official_praise_bonus),
        "ocap": num(r.official_praise_cap),
        "oded": num(r.official_unkind_deduction),
        "minimum": r.minimum_responses,
    }
    return params


def fair_floor(period) -> tuple[int, int]:
    """The fair floor: department and official scores and ranks, written into two tables
    by INSERT ... SELECT in one transaction. Returns the rows written (departments,
    officials)."""
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    params = fair_params(period)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in FAIR_TABLES:
            cursor.execute(statement.format(num="numeric" if postgres else "REAL"))
        cursor.execute("DELETE FROM bench_fair_departments")
        cursor.execute("DELETE FROM bench_fair_officials")
        cursor.execute(_sql_format(FAIR_DEPARTMENTS_SQL, postgres), params)
        cursor.execute(_sql_format(FAIR_OFFICIALS_SQL, postgres), params)
    # Counted after the timed part's transaction would be fairer still; the count is cheap.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM bench_fair_departments), "
            "(SELECT COUNT(*) FROM bench_fair_officials)"
        )
        departments, officials = cursor.fetchone()
    return departments, officials


def kept_floor(period) -> tuple[float, tuple[int, int]]:
    """The fair floor into ordinary tables with keys (KEPT_TABLES), emptied before the
    clock starts since the job writes new rows rather than replacing old ones. Returns the
    rows written (departments, officials)."""
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    num_type = "numeric" if postgres else "REAL"
    with connection.cursor() as cursor:
        for statement in KEPT_TABLES:
            cursor.execute(statement.format(num=num_type))
        if postgres:
            cursor.execute("TRUNCATE bench_kept_officials, bench_kept_departments")
        else:
            cursor.execute("DELETE FROM bench_kept_officials")
            cursor.execute("DELETE FROM bench_kept_departments")
    params = fair_params(period)
    clock = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_sql_format(KEPT_DEPARTMENTS_SQL, postgres), params)
        cursor.execute(_sql_format(KEPT_OFFICIALS_SQL, postgres), params)
    seconds = time.perf_counter() - clock
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM bench_kept_departments), "
            "(SELECT COUNT(*) FROM bench_kept_officials)"
        )
        departments, officials = cursor.fetchone()
    return seconds, (departments, officials)


def kept_drop() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # inside a test's transaction: checks pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DROP TABLE IF EXISTS bench_kept_officials")
        cursor.execute("DROP TABLE IF EXISTS bench_kept_departments")


def fair_mismatches(run) -> int:
    """Department and official scores (and, on PostgreSQL, ranks) where the fair floor's
    tables and the job's rows differ."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"

    def score(value):
        if postgres:
            return Decimal(value).quantize(HUNDREDTH)
        nine = Decimal(repr(float(value))).quantize(NINE, ROUND_HALF_UP)
        return nine.quantize(HUNDREDTH, ROUND_HALF_UP)

    with connection.cursor() as cursor:
        cursor.execute("SELECT department_id, score, rank FROM bench_fair_departments")
        departments = {d: (score(v), rank) for d, v, rank in cursor.fetchall()}
        cursor.execute("SELECT official_id, score, rank FROM bench_fair_officials")
        officials = {o: (score(v), rank) for o, v, rank in cursor.fetchall()}
    job_departments = {
        d: (v, rank) for d, v, rank in run.departments.values_list("department_id", "score", "rank")
    }
    job_officials = {
        o: (v, rank) for o, v, rank in run.officials.values_list("official_id", "score", "rank")
    }
    width = 2 if postgres else 1  # SQLite's floats may break a tie the exact job does not
    return sum(
        1
        for fair, job in ((departments, job_departments), (officials, job_officials))
        for key in set(fair) | set(job)
        if (fair.get(key) or ())[:width] != (job.get(key) or ())[:width]
    )


def rows_in_period(period) -> int:
    from complaints.models import Report
    from surveys.models import HappyCall, PhoneSurvey, VisitSurvey

    start, end = period.starts_on, period.ends_on
    return (
        VisitSurvey.objects.filter(surveyed_on__range=(start, end)).count()
        + PhoneSurvey.objects.filter(called_on__range=(start, end)).count()
        + HappyCall.objects.filter(answered_on__range=(start, end)).count()
        + Report.objects.counted_praise().decided_between(start, end).count()
        + Report.objects.substantiated().decided_between(start, end).count()
    )


def responses_total() -> int:
    """Survey responses in the whole database (the generator's size)."""
    from surveys.models import HappyCall, PhoneSurvey, VisitSurvey

    return sum(m.objects.count() for m in (VisitSurvey, PhoneSurvey, HappyCall))


def planner_statistics() -> None:
    """ANALYZE the tables both sides read: the generator leaves no statistics (and
    autovacuum may be off or not yet round), and a planner guessing a few hundred rows
    picks index scans where half the table is read."""
    from django.db import connection

    from complaints.models import Report
    from kindness.models import Bureau, Department, Official
    from surveys.models import HappyCall, PhoneSurvey, VisitSurvey

    tables = [
        m._meta.db_table
        for m in (VisitSurvey, PhoneSurvey, HappyCall, Report, Official, Department, Bureau)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(connection.ops.quote_name(t) for t in tables)}")


def _maxrss_mb() -> float:
    # Linux reports kilobytes (macOS bytes; this benchmark runs on Linux).
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_job(period):
    from django.db import transaction

    from scoring.models import RankingRun
    from scoring.services import run_execute, run_request

    with transaction.atomic():
        run = run_request(period=period, trigger=RankingRun.Trigger.COMMAND, send=False)
    return run_execute(run.pk)


def bench(
    period_code: str = f"{YEAR}-H1",
    *,
    trace: bool = True,
    repeat: int = 3,
    out: Callable[[str], None] = print,
) -> dict:
    """Run the benchmark; returns the figures (and the job's run)."""
    from django.db import connection

    from scoring.models import DepartmentScore, Period
    from scoring.services import period_create

    period = Period.objects.filter(code=period_code).first() or period_create(code=period_code)
    rows = rows_in_period(period)
    responses = responses_total()
    postgres = connection.vendor == "postgresql"
    if postgres:
        planner_statistics()

    floor_scores(period)  # warm the cache, so neither side pays for a cold start alone
    job_times, floor_times, rss_deltas, interval_times, fair_times = [], [], [], [], []
    kept_times = []
    for _round in range(repeat):  # alternated, so both see the same machine
        rss_before = _maxrss_mb()
        clock = time.perf_counter()
        run = run_job(period)
        wall = time.perf_counter() - clock
        intervals = float(run.timings.get("intervals", 0.0))
        job_times.append(wall - intervals)
        interval_times.append(intervals)
        rss_deltas.append(_maxrss_mb() - rss_before)
        clock = time.perf_counter()
        floor = floor_scores(period)
        floor_times.append(time.perf_counter() - clock)
        clock = time.perf_counter()
        fair_rows = fair_floor(period)
        fair_times.append(time.perf_counter() - clock)
        kept_s, kept_rows = kept_floor(period)
        kept_times.append(kept_s)
    job_s, floor_s = statistics.median(job_times), statistics.median(floor_times)
    intervals_s = statistics.median(interval_times)
    fair_s = statistics.median(fair_times)
    fair_ratio = job_s / fair_s if fair_s else float("inf")
    kept_s = statistics.median(kept_times)
    kept_ratio = job_s / kept_s if kept_s else float("inf")
    kept_drop()
    rss_delta = max(rss_deltas)

    job = dict(DepartmentScore.objects.filter(run=run).values_list("department_id", "score"))
    mismatches = sum(1 for d in set(job) | set(floor) if job.get(d) != floor.get(d))

    # The job's read alone (aggregates, counted reports and fingerprint in one snapshot).
    from scoring.services import inputs_collect

    clock = time.perf_counter()
    inputs_collect(period)
    collect_s = time.perf_counter() - clock

    peak_mb = None
    if trace:
        tracemalloc.start()
        traced = run_job(period)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        assert traced.status == traced.Status.COMPLETED, traced.error

    out(f"database: {connection.vendor}; period {period.code}; run #{run.number} {run.status}")
    out(f"job timings (s): {run.timings}")
    out(
        f"job runs (s): {', '.join(f'{t:.3f}' for t in job_times)}; "
        f"floor runs (s): {', '.join(f'{t:.3f}' for t in floor_times)} (medians below)"
    )
    out(f"intervals runs (s): {', '.join(f'{t:.3f}' for t in interval_times)}")
    out(f"read alone (inputs_collect): {collect_s:.3f} s")
    out(f"departments: job {len(job)}, floor {len(floor)}; mismatches: {mismatches}")
    fair_differ = fair_mismatches(run)
    out(
        f"fair floor (departments and officials with ranks, INSERT ... SELECT): "
        f"{fair_rows[0]} + {fair_rows[1]} rows; mismatches with the job: {fair_differ}"
    )
    if not postgres:
        out("floor: PostgreSQL is the reference; here it runs in floating point (SQLite)")
    ratio = job_s / floor_s if floor_s else float("inf")
    peak = f"{peak_mb:.1f}" if peak_mb is not None else "-"
    out(
        f"{'size':>12} {'period rows':>12} {'job s':>8} {'floor s':>8} {'ratio':>7} "
        f"{'peak MB':>8} {'rss+ MB':>8} {'intervals s':>11} {'fair floor s':>12} "
        f"{'fair ratio':>10} {'kept floor s':>12} {'kept ratio':>10}"
    )
    out(
        f"{responses:>12,} {rows:>12,} {job_s:>8.2f} {floor_s:>8.3f} {ratio:>7.1f} "
        f"{peak:>8} {rss_delta:>8.1f} {intervals_s:>11.3f} {fair_s:>12.3f} {fair_ratio:>10.1f}"
        f" {kept_s:>12.3f} {kept_ratio:>10.1f}"
    )
    return {
        "run": run,
        "responses": responses,
        "rows": rows,
        "job_s": job_s,
        "floor_s": floor_s,
        "ratio": ratio,
        "peak_mb": peak_mb,
        "rss_delta_mb": rss_delta,
        "mismatches": mismatches,
        "departments": len(job),
        "floor_departments": len(floor),
        "timings": run.timings,
        "inputs_collect_s": collect_s,
        "intervals_s": intervals_s,
        "fair_floor_s": fair_s,
        "fair_ratio": fair_ratio,
        "fair_rows": fair_rows,
        "fair_mismatches": fair_differ,
        "kept_floor_s": kept_s,
        "kept_ratio": kept_ratio,
        "kept_rows": kept_rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", default=f"{YEAR}-H1", help="period code (created if new)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (medians are printed)")
    parser.add_argument(
        "--no-trace", action="store_true", help="skip the second, tracemalloc-traced run"
    )
    args = parser.parse_args(argv)
    setup_django()
    result = bench(args.period, trace=not args.no_trace, repeat=max(1, args.repeat))
    return 1 if result["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
