"""Pages of one department, one kindness initiative (SPEC section 6); the managers' overview
of the year is in programme/views.py.

Department heads write their own department's initiative and its progress; managers
comment and assess but never edit the content; bureau heads (their bureau), auditors and
admins read. Another department's initiative is a 404 to a head, so its existence is not
revealed; a role that may not act at all gets a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kindness.models import Department
from kindness.params import year_choices, year_parse
from kindness.roles import scope_of
from kindness.views import staff_permission
from programme.initiatives import selectors, services
from programme.initiatives.forms import AssessmentForm, InitiativeForm, NoteForm
from programme.models import Initiative


class BadYear(Exception):
    pass


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "").strip()
    if not value:
        return timezone.localdate().year
    years = selectors.year_range()
    year = year_parse(value, first=years[0], last=years[-1])  # the core's rule (kindness.params)
    if year is None:
        raise BadYear
    return year


def _bad_year(request: HttpRequest) -> HttpResponse:
    years = selectors.year_range()
    return render(
        request,
        "programme/initiatives/bad_year.html",
        {"first": years[0], "last": years[-1], "back": reverse("initiatives:year")},
        status=400,
    )


def _own_department(request: HttpRequest) -> Department:
    """The department whose initiative this user writes: a department head's own. Others
    (managers, auditors, admins without a department) may not write one."""
    department_id = scope_of(request.user).department_id
    if department_id is None or not request.user.has_perm(selectors.CHANGE):
        raise PermissionDenied
    return get_object_or_404(Department, pk=department_id)


def _visible(request: HttpRequest, pk: int) -> Initiative:
    """The initiative if this user may see its department; 404 otherwise."""
    initiatives = Initiative.objects.filter(
        department__in=Department.objects.visible_to(request.user)
    ).select_related("department__bureau", "assessed_by", "created_by")
    return get_object_or_404(initiatives, pk=pk)


def _may_write(request: HttpRequest, initiative: Initiative) -> bool:
    own = scope_of(request.user).department_id
    return own == initiative.department_id and request.user.has_perm(selectors.CHANGE)


# The columns of a year's initiatives (templates/_parts/_table.html).
YEAR_HEADINGS = (
    gettext_lazy("Department"),
    gettext_lazy("Bureau"),
    gettext_lazy("Initiative"),
    gettext_lazy("Assessment"),
)


@staff_permission(selectors.VIEW)
@require_GET
def year_view(request: HttpRequest) -> HttpResponse:
    try:
        year = _year(request)
    except BadYear:
        return _bad_year(request)
    scope = scope_of(request.user)
    view = selectors.initiatives_of_year(
        departments=Department.objects.visible_to(request.user), year=year
    )
    own = None
    if scope.department_id and request.user.has_perm(selectors.CHANGE):
        own_rows = [r for r in view.rows if r.department.pk == scope.department_id]
        own = {
            "department": Department.objects.get(pk=scope.department_id),
            "initiative": own_rows[0].initiative if own_rows else None,
        }
    return render(
        request,
        "programme/initiatives/year.html",
        {
            "view": view,
            "headings": YEAR_HEADINGS,
            "year": year,
            "own": own,
            "years": year_choices(),
            "previous": year - 1 if year - 1 in selectors.year_range() else None,
            "next": year + 1 if year + 1 in selectors.year_range() else None,
            "can_assess": request.user.has_perm(selectors.ASSESS),
            "overview": scope.city_wide,
        },
    )


def _form_page(request, *, form, department, year, initiative=None, status=200) -> HttpResponse:
    return render(
        request,
        "programme/initiatives/form.html",
        {"form": form, "department": department, "year": year, "initiative": initiative},
        status=status,
    )


@staff_permission(selectors.ADD)
def create(request: HttpRequest) -> HttpResponse:
    department = _own_department(request)
    try:
        year = _year(request)
    except BadYear:
        return _bad_year(request)
    existing = Initiative.objects.filter(department=department, year=year).first()
    if existing is not None and request.method != "POST":
        messages.info(
            request,
            _("Your department already has an initiative for %(year)s; edit it here.")
            % {"year": year},
        )
        return redirect("initiatives:edit", pk=existing.pk)
    if request.method != "POST":
        return _form_page(request, form=InitiativeForm(), department=department, year=year)
    form = InitiativeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form=form, department=department, year=year, status=400)
    try:
        initiative = services.initiative_create(
            department=department, year=year, by=request.user, **form.cleaned_data
        )
    except services.InitiativeError as exc:
        form.add_error(None, str(exc))
        return _form_page(request, form=form, department=department, year=year, status=409)
    messages.success(request, _("The initiative was saved."))
    return redirect("initiatives:detail", pk=initiative.pk)


@staff_permission(selectors.CHANGE)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = _visible(request, pk)
    if not _may_write(request, initiative):
        raise PermissionDenied
    page = {"department": initiative.department, "year": initiative.year, "initiative": initiative}
    if request.method != "POST":
        return _form_page(request, form=InitiativeForm.for_initiative(initiative), **page)
    form = InitiativeForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form=form, status=400, **page)
    services.initiative_update(initiative=initiative, by=request.user, **form.cleaned_data)
    messages.success(request, _("The initiative was saved."))
    return redirect("initiatives:detail", pk=initiative.pk)


def _detail_page(request, initiative, *, bound=None, status=200) -> HttpResponse:
    bound = bound or {}
    forms = {}
    if _may_write(request, initiative):
        forms["progress"] = bound.get("progress") or NoteForm(
            prefix="progress", label=_("Progress update")
        )
    if request.user.has_perm(selectors.ASSESS):
        forms["comment"] = bound.get("comment") or NoteForm(prefix="comment", label=_("Comment"))
        forms["assess"] = bound.get("assess") or AssessmentForm(
            initial={"assessment": initiative.assessment, "note": initiative.assessment_note}
        )
    context = {
        "initiative": initiative,
        "notes": selectors.initiative_history(initiative),
        "may_write": _may_write(request, initiative),
        "forms": forms,
    }
    return render(request, "programme/initiatives/detail.html", context, status=status)


@staff_permission(selectors.VIEW)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _visible(request, pk))


# One POST action per form on the detail page: who may, which service, what it says.
ACTIONS = {
    "progress": (services.initiative_progress_add, gettext_lazy("The progress update was added.")),
    "comment": (services.initiative_comment_add, gettext_lazy("The comment was added.")),
    "assess": (services.initiative_assess, gettext_lazy("The assessment was saved.")),
}


@staff_permission(selectors.VIEW)
@require_POST
def action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    initiative = _visible(request, pk)
    allowed = (
        _may_write(request, initiative)
        if action == "progress"
        else request.user.has_perm(selectors.ASSESS)
    )
    if not allowed:
        raise PermissionDenied
    if action == "assess":
        form = AssessmentForm(request.POST)
    else:
        form = NoteForm(
            request.POST,
            prefix=action,
            label=_("Progress update") if action == "progress" else _("Comment"),
        )
    if not form.is_valid():
        return _detail_page(request, initiative, bound={action: form}, status=400)
    service, done = ACTIONS[action]
    try:
        service(initiative=initiative, by=request.user, **form.cleaned_data)
    except services.InitiativeError as exc:
        form.add_error(None, str(exc))
        return _detail_page(request, initiative, bound={action: form}, status=409)
    messages.success(request, str(done))
    return redirect(reverse("initiatives:detail", args=[initiative.pk]) + f"#{action}-done")
