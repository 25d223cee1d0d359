"""Staff pages of the report centre: the inbox, the case with its actions and attachments,
the department head's follow-up, the bureau head's encouragement list and the internal
page of published unkindness cases (SPEC sections 3 and 8)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from complaints import case_actions, selectors, services
from complaints.forms import staff as staff_forms
from complaints.models import Report
from kindness.models import ProgrammeSettings
from kindness.params import pk_parse, year_param
from kindness.privacy import access_log_record
from kindness.roles import has_programme_role, scope_of
from kindness.views import staff_permission

VIEW = "complaints.view_report"
ENCOURAGE = "complaints.encourage_official"

# One service per case action; the form's cleaned data are its remaining keyword arguments.
SERVICES: dict[str, Callable[..., Report]] = {
    "take": services.report_take,
    "match": services.report_match_official,
    "start_review": services.report_start_review,
    "reply": services.report_record_reply,
    "verify": services.report_verify,
    "share": services.report_share,
    "reject": services.report_reject,
    "substantiate": services.report_substantiate,
    "not_substantiate": services.report_not_substantiate,
    "withdraw": services.report_withdraw,
    "measure": services.report_record_measure,
    "apology": services.report_record_apology,
}

# The inbox's columns (templates/_parts/_table.html).
INBOX_HEADINGS = (
    gettext_lazy("Receipt number"),
    gettext_lazy("Received"),
    gettext_lazy("Kind"),
    pgettext_lazy("report", "Source"),
    gettext_lazy("Status"),
    gettext_lazy("Department"),
    gettext_lazy("Reporter"),
    gettext_lazy("Phone"),
    gettext_lazy("Handler"),
    gettext_lazy("Due"),
)

# The columns of the follow-up page's two tables (templates/_parts/_table.html).
_CASE_HEADINGS = (
    gettext_lazy("Receipt number"),
    gettext_lazy("Decided on"),
    gettext_lazy("Official"),
)
FOLLOW_UP_HEADINGS = {
    "awaiting": (*_CASE_HEADINGS, gettext_lazy("Next step"), gettext_lazy("Due")),
    "closed": (*_CASE_HEADINGS, gettext_lazy("Apology call made on")),
}


def _visible_report(request: HttpRequest, receipt_no: str) -> Report:
    """The case if this user may open it; 404 otherwise, so existence is not revealed."""
    reports = Report.objects.visible_to(request.user).select_related(
        "department",
        "decided_department",
        "official__department",
        "handler",
        "measure_by",
        "apology_recorded_by",
        "duplicate_of",
    )
    return get_object_or_404(reports, receipt_no=receipt_no)


@staff_permission(VIEW)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    form = staff_forms.InboxFilterForm(request.GET, user=request.user)
    form.is_valid()  # a bad filter is reported beside its field; the valid ones still apply
    reports = selectors.inbox_reports(user=request.user, **form.cleaned_data)
    counts = selectors.inbox_counts(user=request.user)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    # The list never shows reporters' data unmasked, whoever looks (SPEC section 8).
    rows = [(r, selectors.reporter_contact(r, unmasked=False)) for r in page]
    return render(
        request,
        "complaints/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "headings": INBOX_HEADINGS,
            "views": [(view, label, counts[view]) for view, label in selectors.INBOX_VIEWS],
            "current_view": form.cleaned_data.get("show", "open"),
            "read_only": not (
                request.user.has_perm(selectors.HANDLE)
                or request.user.has_perm(selectors.FOLLOW_UP)
            ),
        },
        status=400 if form.errors else 200,
    )


def _case_page(request, report, *, bound=None, status: int = 200) -> HttpResponse:
    access = selectors.case_access(user=request.user, report=report)
    contact = selectors.reporter_contact(report, unmasked=access.unmasked, request=request)
    find = staff_forms.OfficialFindForm(request.GET)
    official_q = find.cleaned_data["official_q"].strip() if find.is_valid() else ""
    if find.errors and status == 200:
        status = 400
    forms = staff_forms.case_forms(
        report=report,
        actions=access.actions,
        official_q=official_q,
        bound=bound,
        user=request.user,
    )
    next_forms, other_forms = case_actions.arrange(report, forms)
    context = {
        "report": report,
        "access": access,
        "contact": contact,
        "events": selectors.case_history(report),
        "attachments": report.attachments.order_by("pk"),
        "forms": forms,
        "next_forms": next_forms,
        "other_forms": other_forms,
        "failed": bound if bound is not None and bound.errors else None,
        "official_q": official_q,
        "find": find,
        "today": timezone.localdate(),
    }
    return render(request, "complaints/staff/case.html", context, status=status)


@staff_permission(VIEW)
@require_GET
def case(request: HttpRequest, receipt_no: str) -> HttpResponse:
    return _case_page(request, _visible_report(request, receipt_no))


@staff_permission(VIEW)
@require_POST
def case_action(request: HttpRequest, receipt_no: str, action: str) -> HttpResponse:
    service = SERVICES.get(action)
    if service is None:
        raise Http404
    report = _visible_report(request, receipt_no)
    access = selectors.case_access(user=request.user, report=report)
    if not access.may(action):
        raise PermissionDenied
    form = staff_forms.ACTION_FORMS[action](request.POST, report=report, action=action)
    if not form.is_valid():
        return _case_page(request, report, bound=form, status=400)
    if action in case_actions.CONFIRMED and request.POST.get("step") != "confirmed":
        return _confirm_step(request, report, form, access)
    try:
        service(report=report, by=request.user, **form.cleaned_data)
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _case_page(request, report, bound=form, status=409)
    messages.success(request, form.done)
    return redirect("complaints:case", receipt_no=report.receipt_no)


def _confirm_step(request, report, form, access) -> HttpResponse:
    """A decision with consequences (issue 15 item 1), before anything is stored: the page
    says what confirming will do and carries what was typed to the final button; "change"
    goes back to the case page with the form filled in."""
    if request.POST.get("step") == "edit":
        return _case_page(request, report, bound=form)
    if form.action not in access.actions:
        form.add_error(None, _("The case has moved on: this decision is no longer offered."))
        return _case_page(request, report, bound=form, status=409)
    context = {
        "report": report,
        "form": form,
        "consequences": case_actions.consequences(report, form.action),
        "destructive": form.action in case_actions.DESTRUCTIVE,
    }
    return render(request, "complaints/staff/case_confirm.html", context)


@staff_permission(VIEW)
@require_GET
def attachment(request: HttpRequest, receipt_no: str, token: str) -> HttpResponse:
    report = _visible_report(request, receipt_no)
    stored = get_object_or_404(report.attachments, token=token)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    access_log_record(request=request, action="download_attachment", obj=report)
    # Never rendered by the browser: a disguised file cannot run as a page of this site.
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_permission(selectors.FOLLOW_UP)
@require_GET
def follow_up(request: HttpRequest) -> HttpResponse:
    awaiting, closed = selectors.follow_up_cases(department_id=scope_of(request.user).department_id)
    return render(
        request,
        "complaints/staff/follow_up.html",
        {"awaiting": awaiting, "closed": closed, "columns": FOLLOW_UP_HEADINGS},
    )


def _encouragement_page(request, year: int, *, bound=None, status: int = 200) -> HttpResponse:
    candidates = selectors.encouragement_list(user=request.user, year=year)
    # `?show=due`: those still awaiting encouragement, the staff home's count (issue 15 item 3).
    due_only = request.GET.get("show") == "due"
    if due_only:
        candidates = candidates.filter(encouraged_on__isnull=True)
    candidates = list(candidates)
    can_record = request.user.has_perm(ENCOURAGE)
    for official in candidates:
        if can_record and official.encouraged_on is None:
            official.form = (
                bound
                if bound is not None and bound.official_pk == official.pk
                else staff_forms.EncouragementForm(official_pk=official.pk)
            )
    this_year = timezone.localdate().year
    context = {
        "year": year,
        "years": range(this_year, this_year - 5, -1),
        "candidates": candidates,
        "due_only": due_only,
        "can_record": can_record,
        "failed": bound if bound is not None and bound.errors else None,
        "failed_anchor": f"encourage-{bound.official_pk}" if bound is not None else "",
        "threshold": ProgrammeSettings.load().encouragement_threshold,
    }
    return render(request, "complaints/staff/encouragement.html", context, status=status)


@staff_permission("complaints.view_encouragement")
def encouragement(request: HttpRequest) -> HttpResponse:
    year = year_param(request.GET, default=timezone.localdate().year)
    if request.method != "POST":
        return _encouragement_page(request, year)
    if not request.user.has_perm(ENCOURAGE):
        raise PermissionDenied
    posted = request.POST.get("official", "")
    form = staff_forms.EncouragementForm(
        request.POST,
        official_pk=pk_parse(posted) or 0,
        candidates=selectors.encouragement_list(user=request.user, year=year),
    )
    if not form.is_valid():
        if "official" in form.errors:
            raise Http404  # not on this user's list for the year
        return _encouragement_page(request, year, bound=form, status=400)
    try:
        services.encouragement_record(year=year, by=request.user, **form.cleaned_data)
    except services.TransitionError as exc:
        form.add_error(None, str(exc))
        return _encouragement_page(request, year, bound=form, status=409)
    messages.success(request, _("The encouragement was recorded."))
    return redirect(f"{reverse('complaints:encouragement')}?year={year}")


@login_required
@require_GET
def published_cases(request: HttpRequest) -> HttpResponse:
    if not has_programme_role(request.user):
        raise PermissionDenied
    page = Paginator(selectors.published_cases(), 20).get_page(request.GET.get("page"))
    return render(request, "complaints/staff/published_cases.html", {"page": page})
