"""The rows of a run's public page: department rows in order and by bureau, one
department's or official's row, and the trend of scores across periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scoring.models import DepartmentScore, OfficialScore, Period, RankingRun
from scoring.selectors.runs import (
    TREND_FAMILIES,
    NotFound,
)

Status = RankingRun.Status

# --- department rows ---------------------------------------------------------------------


def department_rows(run: RankingRun) -> list[DepartmentScore]:
    return list(DepartmentScore.objects.filter(run=run).defer("breakdown").order_by("position"))


@dataclass(frozen=True)
class BureauTable:
    name: str
    rows: list[DepartmentScore]


def by_bureau(rows: list[DepartmentScore]) -> list[BureauTable]:
    """The rows per bureau, each in bureau-rank order; bureaus by name (code point order)."""
    groups: dict[int, list[DepartmentScore]] = defaultdict(list)
    for row in rows:
        groups[row.bureau_id].append(row)
    tables = [
        BureauTable(
            name=members[0].bureau_name,
            rows=sorted(members, key=lambda r: (r.bureau_rank or 0, r.position)),
        )
        for members in groups.values()
    ]
    return sorted(tables, key=lambda t: t.name)


def department_row(run: RankingRun, code: str) -> DepartmentScore:
    row = DepartmentScore.objects.filter(run=run, code=code).select_related("run__period").first()
    if row is None:
        raise NotFound(
            _("No department with the code “%(code)s” is ranked in %(period)s.")
            % {"code": code[:40], "period": run.period.code},
            title=_("Department not found"),
            period=run.period,
        )
    return row


def official_row(rows: QuerySet[OfficialScore], employee_no: str, run: RankingRun) -> OfficialScore:
    """One individual row among those the user may see; another department's official is
    "not found", so that a head cannot probe who is ranked elsewhere."""
    row = rows.filter(employee_no=employee_no).select_related("run__period").first()
    if row is None:
        raise NotFound(
            _(
                "No official with the employee number “%(number)s” is among the rankings of %(period)s you may see."
            )
            % {"number": employee_no[:40], "period": run.period.code},
            title=_("Official not found"),
            period=run.period,
        )
    return row


# --- trend -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    code: str
    name: str
    scores: list[Decimal | None]


@dataclass(frozen=True)
class Trend:
    periods: list[str]
    lines: list[TrendLine]


def trend(period: Period, *, order: list[str] = ()) -> Trend:
    """Each department's published score per period of the same family as `period`
    (halves, years or custom), periods by date, in one query. Lines follow `order`
    (department codes, e.g. the listing order of the run shown), others after by name."""
    family = next(f for f in TREND_FAMILIES if period.kind in f)
    values = (
        DepartmentScore.objects.filter(run__status=Status.PUBLISHED, run__period__kind__in=family)
        .order_by("run__period__starts_on", "run__period__ends_on", "run__period__code", "position")
        .values_list("department_id", "code", "name", "score", "run__period__code")
    )
    periods: list[str] = []
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    names: dict[int, tuple[str, str]] = {}
    for department_id, code, name, score, period_code in values:
        if not periods or periods[-1] != period_code:
            periods.append(period_code)
        scores[department_id][period_code] = score
        names[department_id] = (code, name)  # the latest period's code and name win
    position = {code: i for i, code in enumerate(order)}
    lines = [
        TrendLine(code=code, name=name, scores=[scores[pk].get(p) for p in periods])
        for pk, (code, name) in names.items()
    ]
    lines.sort(key=lambda line: (position.get(line.code, len(position)), line.name, line.code))
    return Trend(periods=periods, lines=lines)
