"""Training pages (SPEC section 6): sessions, attendance, the handout of real cases for
case-based training, and the training records of officials and departments."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kindness.models import Department, Official
from kindness.params import year_choices, year_param
from kindness.views import staff_permission
from programme.models import HandoutCase, TrainingSession
from programme.training import selectors, services
from programme.training.forms import (
    AttendanceForm,
    HandoutAddForm,
    HandoutNoteForm,
    OfficialSearchForm,
    SessionFilterForm,
    SessionForm,
)

VIEW = "programme.view_trainingsession"
MANAGE = "programme.manage_training"
CANDIDATES_SHOWN = 50
# The columns of the list of sessions, the last one numbers (templates/_parts/_table.html).
SESSION_HEADINGS = (
    gettext_lazy("Dates"),
    gettext_lazy("Title"),
    gettext_lazy("Kind"),
    gettext_lazy("Department"),
    gettext_lazy("Attended"),
)

# The columns of a session's attendance; managers get a last one of buttons.
ATTENDANCE_HEADINGS = (
    gettext_lazy("Employee number"),
    gettext_lazy("Name"),
    gettext_lazy("Department at the time"),
    gettext_lazy("Employment type"),
)


def _year(request: HttpRequest) -> int:
    """`?year=` as every page reads it (kindness.params): none is this year, a bad one 400."""
    this_year = timezone.localdate().year
    return year_param(request.GET, default=this_year, first=2000, last=this_year + 1)


# ---------------------------------------------------------------------------------- sessions


@staff_permission(VIEW)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None, years=selectors.session_years())
    year, kind = timezone.localdate().year, ""
    if request.GET and form.is_valid():
        year, kind = form.cleaned_data["year"] or None, form.cleaned_data["kind"]
    elif not request.GET:
        form = SessionFilterForm(initial={"year": year}, years=selectors.session_years())
    sessions = selectors.sessions_list(year=year, kind=kind)
    page = Paginator(sessions, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/training/session_list.html",
        {
            "form": form,
            "page": page,
            "headings": SESSION_HEADINGS,
            "can_manage": request.user.has_perm(MANAGE),
        },
        status=400 if form.errors else 200,
    )


def _session_form_page(request, form, session=None, *, status=200) -> HttpResponse:
    return render(
        request,
        "programme/training/session_form.html",
        {"form": form, "session": session},
        status=status,
    )


def _save_session(request: HttpRequest, session: TrainingSession | None) -> HttpResponse:
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _session_form_page(request, form, session, status=400)
    try:
        if session is None:
            session = services.training_session_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("The session was created."))
        else:
            services.training_session_update(session=session, **form.cleaned_data)
            messages.success(request, _("The session was saved."))
    except services.TrainingError as exc:
        form.add_error(None, str(exc))
        return _session_form_page(request, form, session, status=400)
    return redirect("training:session-detail", pk=session.pk)


@staff_permission(MANAGE)
def session_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save_session(request, None)
    return _session_form_page(request, SessionForm())


@staff_permission(MANAGE)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    if request.method == "POST":
        return _save_session(request, session)
    return _session_form_page(request, SessionForm.for_session(session), session)


def _candidates(search: OfficialSearchForm, session: TrainingSession):
    """Active officials not yet recorded, found by department and name or employee number;
    None before a search (or for one with errors, which the page shows by its fields)."""
    if not search.is_valid():
        return None
    code, q = search.cleaned_data["department"], search.cleaned_data["q"].strip()
    if not code and not q:
        return None
    officials = (
        Official.objects.active()
        .exclude(training__session=session)
        .select_related("department")
        .order_by("department__code", "name")
    )
    if code:
        officials = officials.filter(department__code=code)
    if q:
        officials = officials.filter(name__icontains=q) | officials.filter(employee_no__icontains=q)
    return list(officials[: CANDIDATES_SHOWN + 1])


def _detail_page(request, session, *, form=None, status=200) -> HttpResponse:
    can_manage = request.user.has_perm(MANAGE)
    # Department and bureau heads see the attendance of their own people, and the total.
    department_ids = None if can_manage else selectors.record_department_ids(request.user)
    search = OfficialSearchForm(request.GET) if can_manage else None
    candidates = _candidates(search, session) if can_manage else None
    context = {
        "session": session,
        "attendances": selectors.attendances_visible(session, department_ids=department_ids),
        "scoped": department_ids is not None,
        "total": session.attendances.count(),
        "can_manage": can_manage,
        "headings": (*ATTENDANCE_HEADINGS, gettext_lazy("Actions"))
        if can_manage
        else ATTENDANCE_HEADINGS,
        "form": form or AttendanceForm(),
        "candidates": candidates[:CANDIDATES_SHOWN] if candidates else candidates,
        "more_candidates": bool(candidates) and len(candidates) > CANDIDATES_SHOWN,
        "search": search,
        "handout_count": session.handout.count(),
    }
    if search is not None and search.errors and status == 200:
        status = 400
    return render(request, "programme/training/session_detail.html", context, status=status)


@staff_permission(VIEW)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("department"), pk=pk)
    return _detail_page(request, session)


@staff_permission(MANAGE)
@require_POST
def attendance_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("department"), pk=pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, session, form=form, status=400)
    try:
        result = services.training_attendance_add(
            session=session, employee_nos=form.cleaned_data["numbers"], by=request.user
        )
    except services.TrainingError as exc:
        form.add_error(None, str(exc))
        return _detail_page(request, session, form=form, status=400)
    if result.added:
        messages.success(
            request,
            _("Attendance recorded for %(n)s officials.") % {"n": len(result.added)},
        )
    if result.already:
        messages.info(
            request,
            _("Already recorded, left as they were: %(officials)s")
            % {"officials": ", ".join(f"{o.name} ({o.employee_no})" for o in result.already)},
        )
    return redirect("training:session-detail", pk=session.pk)


@staff_permission(MANAGE)
@require_POST
def attendance_remove(request: HttpRequest, pk: int, employee_no: str) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    official = get_object_or_404(Official, employee_no=employee_no)
    if services.training_attendance_remove(session=session, official=official):
        messages.success(
            request, _("%(name)s was removed from the attendance.") % {"name": official.name}
        )
    else:
        messages.info(
            request, _("%(name)s was not recorded as attending.") % {"name": official.name}
        )
    return redirect("training:session-detail", pk=session.pk)


# ----------------------------------------------------------------------------------- handout


def _case_based_session(pk: int) -> TrainingSession:
    session = get_object_or_404(TrainingSession, pk=pk)
    if session.kind != TrainingSession.Kind.CASE_BASED:
        raise Http404
    return session


def _handout_page(request, session, *, form=None, status=200) -> HttpResponse:
    cases = selectors.handout_of(session)
    chosen_reports = {c.report_id for c in cases if c.report_id}
    chosen_calls = {c.happy_call_id for c in cases if c.happy_call_id}
    reports = Paginator(
        selectors.handout_report_candidates().exclude(pk__in=chosen_reports), 10
    ).get_page(request.GET.get("cases"))
    calls = Paginator(
        selectors.handout_call_candidates().exclude(pk__in=chosen_calls), 10
    ).get_page(request.GET.get("voices"))
    for call in calls:
        call.voice = selectors.voice_of(call)
        call.voice_segments = selectors.voice_segments_of(call)
    for case in cases:
        case.form = HandoutNoteForm(initial={"note": case.note}, prefix=f"case-{case.pk}")
    context = {
        "session": session,
        "cases": cases,
        "reports": reports,
        "calls": calls,
        "form": form,
    }
    return render(request, "programme/training/handout.html", context, status=status)


@staff_permission(MANAGE)
def handout(request: HttpRequest, pk: int) -> HttpResponse:
    session = _case_based_session(pk)
    if request.method != "POST":
        return _handout_page(request, session)
    form = HandoutAddForm(request.POST)
    if not form.is_valid():
        return _handout_page(request, session, form=form, status=400)
    try:
        _case, created = services.handout_case_add(session=session, **form.cleaned_data)
    except services.TrainingError as exc:
        form.add_error(None, str(exc))
        return _handout_page(request, session, form=form, status=400)
    if created:
        messages.success(request, _("The case was added to the handout."))
    else:
        messages.info(request, _("This case is already in the handout."))
    return redirect("training:handout", pk=session.pk)


@staff_permission(MANAGE)
@require_POST
def handout_case_action(request: HttpRequest, pk: int, case_pk: int, action: str) -> HttpResponse:
    session = _case_based_session(pk)
    case = get_object_or_404(HandoutCase, pk=case_pk, session=session)
    if action == "note":
        form = HandoutNoteForm(request.POST, prefix=f"case-{case.pk}")
        if not form.is_valid():
            return _handout_page(request, session, status=400)
        services.handout_case_note(case=case, note=form.cleaned_data["note"])
        messages.success(request, _("The note was saved."))
    elif action in ("up", "down"):
        services.handout_case_move(case=case, up=action == "up")
    else:
        services.handout_case_remove(case=case)
        messages.success(request, _("The case was removed from the handout."))
    return redirect(f"{reverse('training:handout', args=[session.pk])}#handout-cases")


@staff_permission(VIEW)
@require_GET
def handout_print(request: HttpRequest, pk: int) -> HttpResponse:
    session = _case_based_session(pk)
    return render(
        request,
        "programme/training/handout_print.html",
        {"session": session, "cases": selectors.handout_of(session)},
    )


# ----------------------------------------------------------------------------------- records


@staff_permission(VIEW)
@require_GET
def official_record(request: HttpRequest, employee_no: str) -> HttpResponse:
    department_ids = selectors.record_department_ids(request.user)
    officials = Official.objects.select_related("department__bureau", "team")
    if department_ids is not None:
        officials = officials.filter(department_id__in=department_ids)
    official = get_object_or_404(officials, employee_no=employee_no)
    attendances = selectors.official_record(official)
    this_year = timezone.localdate().year
    return render(
        request,
        "programme/training/official_record.html",
        {
            "official": official,
            "attendances": attendances,
            "this_year": this_year,
            "this_year_count": sum(1 for a in attendances if a.session.starts_on.year == this_year),
        },
    )


@staff_permission(VIEW)
@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    department_ids = selectors.record_department_ids(request.user)
    year = _year(request)
    return render(
        request,
        "programme/training/department_list.html",
        {
            "year": year,
            "years": year_choices(),
            "departments": selectors.department_coverage(year=year, department_ids=department_ids),
            "coverage": selectors.training_coverage(year=year, department_ids=department_ids),
        },
    )


@staff_permission(VIEW)
@require_GET
def department_record(request: HttpRequest, code: str) -> HttpResponse:
    department_ids = selectors.record_department_ids(request.user)
    departments = Department.objects.select_related("bureau")
    if department_ids is not None:
        departments = departments.filter(pk__in=department_ids)
    department = get_object_or_404(departments, code=code)
    year = _year(request)
    rows = selectors.department_record(department, year=year)
    return render(
        request,
        "programme/training/department_record.html",
        {
            "department": department,
            "year": year,
            "years": year_choices(),
            "rows": rows,
            "untrained": [r for r in rows if not r.trained],
            "coverage": selectors.training_coverage(year=year, department_ids=[department.pk]),
        },
    )
