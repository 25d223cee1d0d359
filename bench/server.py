"""The server part of bench/pages.py: gunicorn on loopback with bench.settings (the product
plus the bare views under /bench/), and the checks that it answers."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from bench.pagesetup import BenchError

ROOT = Path(__file__).resolve().parent.parent

# --- gunicorn ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_workers() -> int:
    """One sync worker per CPU and one more. Measured on 2 vCPUs shared with wrk and
    PostgreSQL (bench/README.md): 2 and 3 workers serve the pages fastest, 5 (gunicorn's
    2 x CPUs + 1) and 8 lose 5-15 % to switching between processes that never wait long.
    With the database on another machine requests wait longer, and more workers pay."""
    return (os.cpu_count() or 1) + 1


def gunicorn_env(*, connections: str, cache_url: str | None = None) -> dict[str, str]:
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
