"""The happy-call centre's dashboard (SPEC section 4) and its per-department CSV export."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kindness.exports import csv_text
from kindness.views import staff_permission
from surveys import charts, selectors
from surveys.forms.dashboard import DashboardFilterForm
from surveys.links.selectors import mode_comparison

FORMATS = ("html", "csv")

# The happy-call figures of a row (templates/surveys/_call_rate_cells.html), and with_score.
CALL_RATE_HEADINGS = (
    gettext_lazy("Calls made"),
    gettext_lazy("Calls reached"),
    gettext_lazy("Calls counted"),
    gettext_lazy("Response rate"),
    gettext_lazy("Contact rate"),
    gettext_lazy("Refusal rate"),
)
WITH_SCORE_HEADINGS = (
    *CALL_RATE_HEADINGS,
    gettext_lazy("Mean response score"),
    gettext_lazy("Backlog today"),
)
# The columns of the dashboard's tables (templates/_parts/_table.html).
COLUMNS = {
    "dispositions": (
        gettext_lazy("Code"),
        gettext_lazy("Disposition"),
        gettext_lazy("Meaning"),
        gettext_lazy("Calls"),
    ),
    "department": (
        gettext_lazy("Department"),
        *WITH_SCORE_HEADINGS,
        gettext_lazy("Calls"),
        gettext_lazy("333 compliance"),
        gettext_lazy("Calls to absent officials"),
        gettext_lazy("Covered"),
        gettext_lazy("Cover rate"),
    ),
    "staff": (gettext_lazy("Staff member"), *WITH_SCORE_HEADINGS),
    "day": (gettext_lazy("Day"), *CALL_RATE_HEADINGS),
    "modes": (
        gettext_lazy("Mode"),
        gettext_lazy("Links sent"),
        gettext_lazy("Surveys answered"),
        gettext_lazy("Web response rate"),
        gettext_lazy("Mean days from petition completed to answer"),
    ),
    "mode_items": (
        gettext_lazy("Item"),
        gettext_lazy("Phone"),
        gettext_lazy("Answers"),
        gettext_lazy("Web (survey link)"),
        gettext_lazy("Answers"),
    ),
}
# The final dispositions (AAPOR): code, name, meaning and the field of the totals counting it.
DISPOSITIONS = (
    ("I", gettext_lazy("Complete"), gettext_lazy("Survey answered"), "complete"),
    ("R", gettext_lazy("Refusal"), gettext_lazy("Closed as refused"), "refusal"),
    (
        "NC",
        gettext_lazy("Non-contact"),
        gettext_lazy("Closed unreachable after no answer or a busy line"),
        "non_contact",
    ),
    (
        "UH",
        gettext_lazy("Unknown eligibility"),
        gettext_lazy("Still queued after at least one attempt"),
        "unknown",
    ),
    (
        "NE",
        gettext_lazy("Not eligible"),
        gettext_lazy("Closed unreachable after a wrong number (left out of every rate)"),
        "not_eligible",
    ),
)


@staff_permission("surveys.view_happycall")
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = DashboardFilterForm(request.GET, user=request.user, today=today)
    fmt = request.GET.get("format") or "html"
    if form.is_valid() and fmt not in FORMATS:
        form.add_error(None, _("Unknown export format; use csv."))
    if form.errors:
        return render(request, "surveys/dashboard.html", {"form": form}, status=400)
    f = form.dashboard_filter()
    if fmt == "csv":
        return department_csv(f)
    data = selectors.dashboard(f, today=today)
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    context = {
        "form": form,
        "data": data,
        "columns": COLUMNS,
        "dispositions": [
            (code, name, meaning, getattr(data.total, field))
            for code, name, meaning, field in DISPOSITIONS
        ],
        "today": today,
        "charts": dashboard_charts(data),
        "modes": mode_comparison(f),
        "csv_query": csv_query.urlencode(),
    }
    return render(request, "surveys/dashboard.html", context)


def dashboard_charts(data: selectors.Dashboard) -> dict[str, str]:
    weeks = data.by_week
    rates = [_times_100(w.response_rate) for w in weeks]
    with_phone = [r for r in data.by_department if r.phone.answered]
    highest_backlog = max((b.count for b in data.backlog), default=0)
    return {
        "trend": charts.line_chart(
            chart_id="chart-trend",
            title=_("Response rate and mean response score by ISO week"),
            category=_("ISO week"),
            labels=[w.label for w in weeks],
            series=[
                charts.Series(_("Response rate (%)"), rates),
                charts.Series(_("Mean response score (0–100)"), [w.mean_score for w in weeks]),
            ],
            extra_columns=[(_("Calls counted"), [str(w.counted) for w in weeks])],
            # Weeks by their Mondays, so a week without calls shows as a gap.
            positions=[w.key.toordinal() / 7 for w in weeks],
        ),
        "backlog": charts.bar_chart(
            chart_id="chart-backlog",
            title=_("Queued calls by age"),
            category=_("Age"),
            measure=_("Queued calls"),
            bars=[(b.label, b.count) for b in data.backlog],
            max_value=highest_backlog,
            fmt=charts.integer,
        ),
        "items": charts.bar_chart(
            chart_id="chart-items",
            title=_("Average satisfaction per item (1 = very dissatisfied, 5 = very satisfied)"),
            category=_("Item"),
            measure=_("Mean (1–5)"),
            bars=[(i.label, i.mean) for i in data.items],
            max_value=5,
            fmt=charts.two_decimals,
            extra_columns=[(_("Answers"), [str(i.n) for i in data.items])],
        ),
        "compliance": charts.bar_chart(
            chart_id="chart-333",
            title=_("333 compliance by department"),
            category=_("Department"),
            measure=_("333 compliance"),
            bars=[(r.department.name, _times_100(r.phone.compliance_333)) for r in with_phone],
            max_value=100,
            fmt=charts.percent_points,
            extra_columns=[(_("Answered calls"), [str(r.phone.answered) for r in with_phone])],
        ),
    }


def _times_100(share: float | None) -> float | None:
    return None if share is None else share * 100


def _rate(share: float | None) -> Decimal | None:
    return None if share is None else Decimal(f"{share * 100:.1f}")


def _one_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.1f}")


def department_csv(f: selectors.DashboardFilter) -> HttpResponse:
    """The per-department table as CSV: UTF-8 with a BOM, so that Excel reads Korean
    (kindness.exports: formula-safe text, numbers as they are)."""
    header = [
        _("Department code"),
        _("Department"),
        _("Calls made"),
        _("Calls reached"),
        _("Complete (I)"),
        _("Refusals (R)"),
        _("Non-contacts (NC)"),
        _("Not eligible (NE)"),
        _("Unknown eligibility (UH)"),
        _("Response rate RR1 (%)"),
        _("Contact rate CON1 (%)"),
        _("Refusal rate REF1 (%)"),
        _("Mean response score"),
        _("Backlog today"),
        _("Telephone survey calls"),
        _("Answered"),
        _("333 compliant"),
        _("333 compliance (%)"),
        _("Calls to absent officials"),
        _("Covered"),
        _("Cover rate (%)"),
    ]
    rows = []
    for row in selectors.department_table(f):
        c, p = row.calls, row.phone
        rows.append(
            [
                row.department.code,
                row.department.name,
                c.attempts,
                c.reached,
                c.complete,
                c.refusal,
                c.non_contact,
                c.not_eligible,
                c.unknown,
                _rate(c.response_rate),
                _rate(c.contact_rate),
                _rate(c.refusal_rate),
                _one_decimal(c.mean_score),
                c.backlog,
                p.calls,
                p.answered,
                p.compliant,
                _rate(p.compliance_333),
                p.absent,
                p.covered,
                _rate(p.cover_rate),
            ]
        )
    response = HttpResponse(
        csv_text(rows, header=header, bom=True), content_type="text/csv; charset=utf-8"
    )
    filename = f"happy-call-departments_{f.start:%Y%m%d}-{f.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
