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
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import SIZES, setup_django  # noqa: E402
from bench.load import _duration, _unexpected, wrk_path, wrk_run  # noqa: E402
from bench.pagesetup import (  # noqa: E402
    CONNECTION_MODES,
    RATIOS,
    TARGETS,
    BenchError,
    Target,
    prepare,
    queries_per_page,
    report_highest_pk,
    reports_after,
    target_path,
)
from bench.server import (  # noqa: E402
    csrf_for_form,
    default_workers,
    free_port,
    gunicorn,
    gunicorn_env,
    page_check,
)

__all__ = ["TARGETS", "BenchError", "bench", "main", "prepare"]

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
        env = gunicorn_env(connections=db_connections, cache_url=cache_url)
        with gunicorn(port=port, workers=workers, env=env, log=log, pidfile=pidfile):
            cookie, token = csrf_for_form(base)
            form_args = [
                f"threads={threads}",
                f"token={token}",
                f"cookie={cookie}",
                f"departments={','.join(map(str, prepared['departments']))}",
                f"date={prepared['incident_on']}",
            ]
            tracked = prepared["tracked"]
            track_args = [
                f"token={token}",
                f"cookie={cookie}",
                f"receipt_no={tracked['receipt_no']}",
                f"secret={tracked['secret']}",
            ]
            for target in chosen:
                path = target_path(target, prepared)
                if not target.post:
                    page_check(base + path)
                args = (
                    (list(form_args) if target.stores else list(track_args)) if target.post else []
                )

                def load(seconds: float, args=args, target=target, path=path) -> dict:
                    # Each request is numbered from the clock in ms (wrapping after 25 h), so
                    # while fewer than 1,000 reports a second are sent, no number (phone and
                    # department) comes twice within the 24 h of the duplicate check.
                    clock = time.time_ns() // 1_000_000 % 90_000_000
                    extra = [f"base={clock}"] if target.post else []
                    return wrk_run(
                        base + path,
                        post=target.post,
                        script=target.script,
                        duration=seconds,
                        connections=connections,
                        threads=threads,
                        args=args + extra,
                    )

                stores = target.post and target.stores
                start = _highest_id(target) if stores else 0
                if warmup > 0:
                    warm = load(warmup)
                    if _unexpected(warm, stores):
                        raise BenchError(f"{path}: errors while warming up: {warm}")
                    if stores:
                        # Requests still queued when wrk stopped are stored a moment later:
                        # wait for them, so that none is counted as the measured run's.
                        _drain(target, start, sent=_sent(warm))
                        start = _highest_id(target)
                result = load(duration)
                result["unexpected"] = _unexpected(result, stores)
                if stores:
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
            f"{target.label:22} {target.path.split('?')[0]:16} {r['rps']:>9.1f} {_ms(r['latency_us']['p50']):>8} "
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
