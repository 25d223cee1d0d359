"""The load part of bench/pages.py: wrk with bench/wrk/get.lua or post.lua, and reading its
figures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from bench.pagesetup import BenchError

ROOT = Path(__file__).resolve().parent.parent

WRK_SCRIPTS = ROOT / "bench" / "wrk"  # get.lua, post.lua (and common.lua)


# --- wrk -----------------------------------------------------------------------------------


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _duration(seconds: float) -> str:
    return f"{max(1, round(seconds))}s"


def wrk_run(
    url: str,
    *,
    post: bool,
    duration: float,
    connections: int,
    threads: int,
    args: list[str],
    script: str = "",
) -> dict:
    """One wrk run with `script` (default get.lua or post.lua); returns its figures (see
    common.lua's done())."""
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
        str(WRK_SCRIPTS / (script or ("post.lua" if post else "get.lua"))),
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
    """Responses of another kind than the target's (GET and reading POSTs: 2xx; `post`, a
    POST that stores: a 3xx to its receipt or done page; a 2xx there is the form shown
    again, so nothing stored) plus socket errors."""
    errors = result["errors"]
    socket_errors = errors["connect"] + errors["read"] + errors["write"] + errors["timeout"]
    status = result.get("status")
    if status is None:
        return socket_errors + errors["status"]
    wrong = status["4xx"] + status["5xx"] + status["other"]
    wrong += status["2xx"] if post else status["3xx"]
    return socket_errors + wrong
