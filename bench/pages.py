"""Pages under load: wrk against gunicorn on loopback, the product's public pages beside bare
Django views, in one run.

    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python bench/pages.py --size 100k

Prepares the data (the city of bench/generate.py when the database has none; its two
half-years ranked and published, so /rankings/ shows a real table and a trend; the shared
praise given the text the board shows), starts gunicorn (sync workers, bench.settings:
the product plus the bare views under /bench/), then runs wrk with --latency against each
target in turn: a fixed string, a bare 50-row template page, a bare insert (POST), the home
page, /rankings/, the praise board and POSTs of the report form (with its CSRF cookie and
token). Prints requests per second, p50 and p99 per target and the three ratios against
their targets; counts the reports stored during the report POSTs (each with its own receipt
number) against wrk's responses. Exits 1 on an error response, a socket error or a
missing or repeated receipt; the ratios are reported, not enforced.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import SIZES, YEAR, generate, setup_django  # noqa: E402

WRK_SCRIPTS = ROOT / "bench" / "wrk"  # get.lua, post.lua (and common.lua)
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


TARGETS = (
    Target("fixed", "bare: fixed string", "/bench/fixed/"),
    Target("rows", "bare: 50-row page", "/bench/rows/"),
    Target("insert", "bare: insert (POST)", "/bench/insert/", post=True),
    Target("home", "home page", "/"),
    Target("rankings", "rankings page", "/rankings/"),
    Target("praise", "praise board", "/praise/"),
    Target("report", "report form (POST)", "/reports/new/", post=True),
)
# (page, bare view, at least): the targets.
RATIOS = (("rankings", "rows", 0.8), ("home", "fixed", 0.5), ("report", "insert", 0.5))


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

    departments = list(Department.objects.active().order_by("pk").values_list("pk", flat=True))
    return {
        "departments": departments,
        "published": published,
        "shared_praise": Report.objects.shared_praise().count(),
        "incident_on": timezone.localdate().isoformat(),
    }


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
                if target.post:
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
                        response = client.get(target.path)
                    expected = 200
                if response.status_code != expected:
                    raise BenchError(
                        f"{target.path} answered {response.status_code} in process, "
                        f"expected {expected}"
                    )
            counts[target.key] = len(captured.captured_queries)
    return counts


# --- gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_workers() -> int:
    """One sync worker per CPU and one more. Measured on 2 vCPUs shared with wrk and
    PostgreSQL (bench/README.md): 2 and 3 workers serve the pages fastest, 5 (gunicorn's
    2 x CPUs + 1) and 8 lose 5-15 % to switching between processes that never wait long;
    the one more keeps a worker free while another spends 0.25 s hashing a report's
    tracking secret. With the database on another machine requests wait longer, and more
    workers pay."""
    return (os.cpu_count() or 1) + 1


def gunicorn_env(
    *, connections: str, cache_url: str | None = None, cheap_secret_hash: bool = False
) -> dict[str, str]:
    """The environment of the web processes: production settings (DEBUG off) on plain HTTP
    on loopback, rate limits off (every request comes from one address), and the database
    connections as asked."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        RATELIMIT_ENABLE="0",
        LOG_LEVEL="WARNING",
        # No collectstatic for the bench: WhiteNoise's warning about STATIC_ROOT is noise.
        PYTHONWARNINGS="ignore:No directory at",
    )
    if connections == "pooled":
        env["DATABASE_POOL"] = "1"
    else:
        env["DATABASE_POOL"] = "0"
        env["CONN_MAX_AGE"] = "60" if connections == "persistent" else "0"
    if cache_url:
        env["CACHE_URL"] = cache_url
    if cheap_secret_hash:
        env["BENCH_CHEAP_SECRET_HASH"] = "1"  # what-if only: see bench/settings.py
    return env


def gunicorn_command(port: int, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("gunicorn")
    runner = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    return [
        *runner,
        "kindness.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]


def gunicorn_stop(process: subprocess.Popen) -> None:
    """Stop the master and its workers: the whole process group (gunicorn is started as
    the leader of its own), SIGTERM then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def gunicorn(*, port: int, workers: int, env: dict[str, str], log: Path, pidfile: Path | None):
    with open(log, "wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            gunicorn_command(port, workers),
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    if pidfile:
        # The process group to kill if this script itself is killed before its cleanup.
        pidfile.write_text(str(process.pid))
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/bench/fixed/", process, log)
        yield process
    finally:
        gunicorn_stop(process)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {url} within {seconds:.0f} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def page_check(url: str) -> None:
    """The page answers 200 itself (wrk counts only statuses other than 2xx and 3xx)."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise BenchError(f"{url} answered {status}, not 200")


def csrf_for_form(base: str) -> tuple[str, str]:
    """(csrftoken cookie, csrfmiddlewaretoken) of the report form, as a browser gets them."""
    with urllib.request.urlopen(f"{base}/reports/new/", timeout=10) as response:  # noqa: S310
        html = response.read().decode("utf-8")
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    if "csrftoken" not in cookies:
        raise BenchError("the report form set no csrftoken cookie")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise BenchError("the report form has no csrfmiddlewaretoken")
    for field in ("kind", "department", "incident_on", "channel", "text", "consent", "website"):
        if f'name="{field}"' not in html:
            raise BenchError(f"the report form has no field {field!r}: update bench/wrk/post.lua")
    return cookies["csrftoken"].value, match[1]


# --- wrk -----------------------------------------------------------------------------------


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _duration(seconds: float) -> str:
    return f"{max(1, round(seconds))}s"


def wrk_run(
    url: str, *, post: bool, duration: float, connections: int, threads: int, args: list[str]
) -> dict:
    """One wrk run with get.lua or post.lua; returns its figures (see common.lua's done())."""
    wrk = wrk_path()
    if wrk is None:
        raise BenchError("wrk is not installed (apt-get install wrk)")
    command = [
        wrk,
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{_duration(duration)}",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(WRK_SCRIPTS / ("post.lua" if post else "get.lua")),
        url,
        "--",
        *args,
    ]
    done = subprocess.run(  # noqa: S603 - our own command line
        command, capture_output=True, text=True, timeout=duration + 120, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return wrk_parse(done.stdout)


_UNITS = {"us": 1, "ms": 1_000, "s": 1_000_000, "m": 60_000_000}


def wrk_parse(text: str) -> dict:
    """The figures of a wrk run: from the script's PAGES-JSON line, or, when it is missing
    (a wrk without the script's done()), from wrk's own report."""
    for line in text.splitlines():
        if line.startswith("PAGES-JSON "):
            result = json.loads(line.removeprefix("PAGES-JSON "))
            break
    else:

        def number(pattern: str, default: float = 0.0) -> float:
            match = re.search(pattern, text)
            return float(match[1]) if match else default

        def latency(percent: int) -> int:
            match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
            return round(float(match[1]) * _UNITS[match[2]]) if match else 0

        match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
        if match is None:
            raise BenchError(f"cannot read wrk's output:\n{text}")
        socket_errors = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
        )
        connect, read, write, timeout = (
            map(int, socket_errors.groups()) if socket_errors else (0, 0, 0, 0)
        )
        result = {
            "requests": int(match[1]),
            "duration_us": round(float(match[2]) * _UNITS[match[3]]),
            "errors": {
                "connect": connect,
                "read": read,
                "write": write,
                "timeout": timeout,
                "status": int(number(r"Non-2xx or 3xx responses: (\d+)")),
            },
            "latency_us": {"p50": latency(50), "p90": latency(90), "p99": latency(99)},
            "status": None,
        }
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def _unexpected(result: dict, post: bool) -> int:
    """Responses of another kind than the target's (GET: 2xx; POST: a 3xx to its receipt or
    done page; a 2xx there is the form shown again, so nothing stored) plus socket errors."""
    errors = result["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    status = result.get("status")
    if status is None:
        return socket_errors + errors["status"]
    wrong = status["4xx"] + status["5xx"] + status["other"]
    wrong += status["2xx"] if post else status["3xx"]
    return socket_errors + wrong


# --- the run -------------------------------------------------------------------------------


def bench(
    size: str = "tiny",
    *,
    seed: int = 1,
    generate_city: bool = True,
    duration: float = 10,
    warmup: float = 2,
    connections: int = 16,
    threads: int = 1,
    workers: int | None = None,
    db_connections: str = "persistent",
    cache_url: str | None = None,
    cheap_secret_hash: bool = False,
    targets: tuple[str, ...] | None = None,
    count_queries: bool = True,
    pidfile: Path | None = None,
    out: Callable[[str], None] = print,
) -> dict:
    """Prepare, serve, load each target, check the stored reports; returns the figures."""
    from django.db import connection

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        raise BenchError("an in-memory SQLite database cannot be shared with gunicorn")
    if db_connections not in CONNECTION_MODES:
        raise ValueError(f"db_connections: one of {', '.join(CONNECTION_MODES)}")
    if wrk_path() is None:
        raise BenchError("wrk is not installed (apt-get install wrk)")
    workers = workers or default_workers()
    chosen = [t for t in TARGETS if targets is None or t.key in targets]

    prepared = prepare(size, seed=seed, generate_city=generate_city, out=out)
    queries = queries_per_page(prepared) if count_queries else {}

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    results: dict[str, dict] = {}
    checks: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="kindness-pages-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        env = gunicorn_env(
            connections=db_connections, cache_url=cache_url, cheap_secret_hash=cheap_secret_hash
        )
        with gunicorn(port=port, workers=workers, env=env, log=log, pidfile=pidfile):
            cookie, token = csrf_for_form(base)
            form_args = [
                f"threads={threads}",
                f"token={token}",
                f"cookie={cookie}",
                f"departments={','.join(map(str, prepared['departments']))}",
                f"date={prepared['incident_on']}",
            ]
            for target in chosen:
                if not target.post:
                    page_check(base + target.path)
                args = list(form_args) if target.post else []

                def load(seconds: float, args=args, target=target) -> dict:
                    # Each request is numbered from the clock in ms (wrapping after 25 h), so
                    # while fewer than 1,000 reports a second are sent, no number (phone and
                    # department) comes twice within the 24 h of the duplicate check.
                    clock = time.time_ns() // 1_000_000 % 90_000_000
                    extra = [f"base={clock}"] if target.post else []
                    return wrk_run(
                        base + target.path,
                        post=target.post,
                        duration=seconds,
                        connections=connections,
                        threads=threads,
                        args=args + extra,
                    )

                start = _highest_id(target) if target.post else 0
                if warmup > 0:
                    warm = load(warmup)
                    if _unexpected(warm, target.post):
                        raise BenchError(f"{target.path}: errors while warming up: {warm}")
                    if target.post:
                        # Requests still queued when wrk stopped are stored a moment later:
                        # wait for them, so that none is counted as the measured run's.
                        _drain(target, start, sent=_sent(warm))
                        start = _highest_id(target)
                result = load(duration)
                result["unexpected"] = _unexpected(result, target.post)
                if target.post:
                    _drain(target, start, sent=_sent(result))
                    checks[target.key] = _stored_check(target, start, result)
                results[target.key] = result
        gunicorn_log = log.read_text(errors="replace")

    ratios = [
        {
            "page": page,
            "bare": bare,
            "ratio": results[page]["rps"] / results[bare]["rps"],
            "target": at_least,
            "met": results[page]["rps"] / results[bare]["rps"] >= at_least,
        }
        for page, bare, at_least in RATIOS
        if page in results and bare in results and results[bare]["rps"]
    ]
    errors = sum(r["unexpected"] for r in results.values())
    problems = [c["problem"] for c in checks.values() if c["problem"]]
    summary = {
        "database": connection.vendor,
        "size": size,
        "workers": workers,
        "db_connections": db_connections,
        "connections": connections,
        "threads": threads,
        "duration": duration,
        "cheap_secret_hash": cheap_secret_hash,
        "results": results,
        "ratios": ratios,
        "checks": checks,
        "queries": queries,
        "errors": errors,
        "problems": problems,
        "ok": errors == 0 and not problems,
        "shared_praise": prepared["shared_praise"],
    }
    _print(summary, out)
    if not summary["ok"] and gunicorn_log.strip():
        out("gunicorn log (end):\n" + gunicorn_log[-3000:])
    return summary


def _highest_id(target: Target) -> int:
    """The highest id of the rows the target's POSTs store (reports, or the bare table)."""
    from bench.web import insert_table_count

    return report_highest_pk() if target.key == "report" else insert_table_count()[1]


def _stored_since(target: Target, start: int) -> dict:
    """The rows stored with an id above `start`: how many, how many distinct receipt numbers
    and how many of those of the form R-YYYY-NNNNNN (the bare table has neither)."""
    from bench.web import insert_table_count

    if target.key == "report":
        return reports_after(start)
    stored = insert_table_count(start)[0]
    return {"stored": stored, "distinct": stored, "well_formed": stored}


def _sent(result: dict) -> int:
    """Requests wrk sent (post.lua counts them; without it, those answered)."""
    return (result.get("status") or {}).get("sent", result["requests"])


def _drain(target: Target, start: int, *, sent: int, quiet: float = 5, limit: float = 180) -> int:
    """Wait until every request wrk sent is stored (those in flight when it stopped are
    still served, their answers never read), or nothing more is stored for `quiet` seconds
    (a request refused, or never read). Returns the rows stored since `start`."""
    deadline = time.monotonic() + limit
    last, since = -1, time.monotonic()
    while True:
        stored = _stored_since(target, start)["stored"]
        now = time.monotonic()
        if stored >= sent or now > deadline:
            return stored
        if stored != last:
            last, since = stored, now
        elif now - since > quiet:
            return stored
        time.sleep(0.2)


def _stored_check(target: Target, start: int, result: dict) -> dict:
    """Rows stored during the run against wrk's answers: every redirect is a stored row,
    and no more rows than requests sent."""
    counted = _stored_since(target, start)
    status = result.get("status") or {}
    redirected = status.get("3xx", result["requests"] - result["errors"]["status"])
    sent = _sent(result)
    problem = ""
    if counted["stored"] < redirected:
        problem = f"{target.key}: {redirected} redirects but only {counted['stored']} rows stored"
    elif counted["stored"] > sent:
        problem = f"{target.key}: {counted['stored']} rows stored for {sent} requests sent"
    elif counted["distinct"] != counted["stored"]:
        problem = (
            f"{target.key}: {counted['stored'] - counted['distinct']} repeated receipt numbers"
        )
    elif counted["well_formed"] != counted["stored"]:
        problem = f"{target.key}: receipt numbers not of the form R-YYYY-NNNNNN"
    return {**counted, "redirected": redirected, "sent": sent, "problem": problem}


def _ms(us: float) -> str:
    return f"{us / 1000:.1f}"


def _print(summary: dict, out: Callable[[str], None]) -> None:
    connections = (
        summary["db_connections"] if summary["database"] == "postgresql" else "(SQLite file)"
    )
    out(
        f"database {summary['database']}; gunicorn sync workers {summary['workers']}; "
        f"database connections {connections}; wrk -t{summary['threads']} "
        f"-c{summary['connections']} -d{_duration(summary['duration'])}; "
        f"{os.cpu_count()} CPUs shared by wrk and gunicorn"
    )
    if summary["cheap_secret_hash"]:
        out("WHAT-IF, not the product: tracking secrets hashed with PBKDF2 at 1,000 iterations")
    queries = summary["queries"]
    out(
        f"{'target':22} {'path':16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'requests':>9} {'errors':>7} {'queries':>8}"
    )
    for target in TARGETS:
        r = summary["results"].get(target.key)
        if r is None:
            continue
        out(
            f"{target.label:22} {target.path:16} {r['rps']:>9.1f} {_ms(r['latency_us']['p50']):>8} "
            f"{_ms(r['latency_us']['p99']):>8} {r['requests']:>9} {r['unexpected']:>7} "
            f"{queries.get(target.key, '-'):>8}"
        )
    for ratio in summary["ratios"]:
        out(
            f"ratio {ratio['page']} / {ratio['bare']}: {ratio['ratio']:.3f} "
            f"(target at least {ratio['target']}: {'met' if ratio['met'] else 'MISSED'})"
        )
    for key, check in summary["checks"].items():
        out(
            f"{key}: {check['redirected']} redirected, {check['sent']} sent, "
            f"{check['stored']} stored, {check['distinct']} distinct"
            + (f" -- {check['problem']}" if check["problem"] else "")
        )
    out("OK" if summary["ok"] else f"FAILED: {summary['errors']} errors; {summary['problems']}")


def machine() -> str:
    """One line about where the figures come from."""
    import django
    from django.db import connection

    parts = [
        f"{os.cpu_count()} CPUs",
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            parts.append(f"PostgreSQL {cursor.fetchone()[0]}")
    wrk = wrk_path()
    if wrk:
        version = subprocess.run(  # noqa: S603
            [wrk, "--version"], capture_output=True, text=True, check=False
        )
        parts.append((version.stdout or version.stderr).splitlines()[0].split(" [")[0])
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), default="tiny", help="city to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-generate", action="store_true", help="use the city in the database; never generate"
    )
    parser.add_argument("--duration", type=float, default=10, help="seconds per target")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per target before it")
    parser.add_argument("--connections", type=int, default=16, help="wrk -c")
    parser.add_argument("--threads", type=int, default=1, help="wrk -t")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"gunicorn sync workers (default {default_workers()})",
    )
    parser.add_argument(
        "--db-connections",
        choices=CONNECTION_MODES,
        default="persistent",
        help="persistent (CONN_MAX_AGE=60), pooled (DATABASE_POOL=1) or new per request",
    )
    parser.add_argument("--cache-url", help="CACHE_URL of the web processes (default: theirs)")
    parser.add_argument(
        "--cheap-secret-hash",
        action="store_true",
        help="what-if, not the product: tracking secrets hashed at 1/1000 of the PBKDF2 cost",
    )
    parser.add_argument(
        "--targets", help=f"comma-separated subset of {','.join(t.key for t in TARGETS)}"
    )
    parser.add_argument("--no-queries", action="store_true", help="skip counting queries")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--pidfile", type=Path, help="write gunicorn's process group id here")
    args = parser.parse_args(argv)

    # No collectstatic for the bench: WhiteNoise's warning about STATIC_ROOT is noise.
    warnings.filterwarnings("ignore", message="No directory at")
    setup_django()
    # Stopped from outside (SIGTERM): unwind, so that gunicorn is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(machine())
    try:
        summary = bench(
            args.size,
            seed=args.seed,
            generate_city=not args.no_generate,
            duration=args.duration,
            warmup=args.warmup,
            connections=args.connections,
            threads=args.threads,
            workers=args.workers,
            db_connections=args.db_connections,
            cache_url=args.cache_url,
            cheap_secret_hash=args.cheap_secret_hash,
            targets=tuple(args.targets.split(",")) if args.targets else None,
            count_queries=not args.no_queries,
            pidfile=args.pidfile,
        )
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, default=str))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
