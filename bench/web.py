"""Bare views for bench/pages.py: the floor each product page is compared with. Bench
only: served under /bench/ by bench.urls, which only bench.settings loads; the product's
settings and URLs never see them.

- `fixed`: a fixed string, through the whole middleware stack and nothing else.
- `rows`: one query of 50 departments ordered by code, rendered by a minimal template of
  its own (no base.html, no context processors beyond the defaults).
- `insert`: a POST through the same middleware stack (CSRF included, so it takes the
  report form's cookie and token) doing one INSERT into a table of the bench's own, then
  redirecting as the report form does.
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kindness.models import Department

FIXED = "Hello from a bare Django view."
ROWS = 50
# A table of the bench's own rather than a model: no migration in the product, and the
# INSERT is the one statement a report's row costs without its receipt counter, history
# entry, session and checks. Columns comparable to a report's: what the resident typed.
INSERT_TABLE = "bench_insert"
_DDL = {
    "postgresql": (
        f"CREATE TABLE IF NOT EXISTS {INSERT_TABLE} (id bigserial PRIMARY KEY, "
        "kind varchar(10) NOT NULL, department_id bigint NOT NULL, "
        "official_name varchar(100) NOT NULL, text text NOT NULL, "
        "reporter_name varchar(100) NOT NULL, reporter_phone varchar(30) NOT NULL, "
        "created_at timestamptz NOT NULL)"
    ),
    "sqlite": (
        f"CREATE TABLE IF NOT EXISTS {INSERT_TABLE} (id integer PRIMARY KEY AUTOINCREMENT, "
        "kind varchar(10) NOT NULL, department_id bigint NOT NULL, "
        "official_name varchar(100) NOT NULL, text text NOT NULL, "
        "reporter_name varchar(100) NOT NULL, reporter_phone varchar(30) NOT NULL, "
        "created_at datetime NOT NULL)"
    ),
}


def insert_table_ensure() -> None:
    """Create the bare insert's table if it is not there (the bench calls this, not a view)."""
    with connection.cursor() as cursor:
        cursor.execute(_DDL[connection.vendor])


def insert_table_count(after_id: int = 0) -> tuple[int, int]:
    """(rows with an id above `after_id`, highest id) of the bare insert's table."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FILTER (WHERE id > %s), COALESCE(MAX(id), 0) FROM {INSERT_TABLE}"
            if connection.vendor == "postgresql"
            else f"SELECT SUM(id > %s), COALESCE(MAX(id), 0) FROM {INSERT_TABLE}",
            [after_id],
        )
        count, highest = cursor.fetchone()
    return int(count or 0), int(highest)


@require_GET
def fixed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(FIXED, content_type="text/plain; charset=utf-8")


@require_GET
def rows(request: HttpRequest) -> HttpResponse:
    departments = Department.objects.order_by("code")[:ROWS]
    return render(request, "bench/rows.html", {"departments": departments})


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    data = request.POST
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INSERT_TABLE} (kind, department_id, official_name, text, "
            "reporter_name, reporter_phone, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                data.get("kind", "")[:10],
                int(data.get("department") or 0),
                data.get("official_name", "")[:100],
                data.get("text", ""),
                data.get("reporter_name", "")[:100],
                data.get("reporter_phone", "")[:30],
                timezone.now(),
            ],
        )
    return redirect("bench-insert-done")


@require_GET
def insert_done(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Stored.", content_type="text/plain; charset=utf-8")
