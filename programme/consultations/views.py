"""Pages of the expert consultation room (SPEC section 6): the public request form and its
receipt; for staff the list of requests, a request with its actions, and the experts with
their slots. The resident's data is masked except for the request's handler, whose every
view of it is written to the access log (SPEC section 8)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.exceptions import Ratelimited

from kindness.models import ProgrammeSettings
from kindness.public_forms import public_submit
from kindness.ratelimit import rate_used_up
from kindness.tracking import track_page
from kindness.views import staff_permission
from programme.consultations import forms, selectors, services
from programme.models import ConsultationRequest, Expert

logger = logging.getLogger(__name__)

RECEIPT_KEY = "consultations:receipt"
RATE_GROUP = "consultations:new"
TRACK_GROUP = "consultations:track"

SERVICES = {
    "take": services.consultation_take,
    "confirm": services.consultation_confirm,
    "cancel": services.consultation_cancel,
    "outcome": services.consultation_record_outcome,
}


# ---------------------------------------------------------------------------- public


def _request_page(request, form, *, status=200) -> HttpResponse:
    context = {"form": form, "programme": ProgrammeSettings.load()}
    return render(request, "programme/consultations/request_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _request_page(request, forms.ConsultationRequestForm())
    if rate_used_up(request, group=RATE_GROUP, rate=settings.REPORT_RATE):
        raise Ratelimited  # refused early: nothing left to count
    form = forms.ConsultationRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, form, status=400)
    consultation = public_submit(
        request,
        form,
        services.consultation_request_submit,
        group=RATE_GROUP,
        refused=services.ConsultationError,
    )
    if consultation is None:
        return _request_page(request, form, status=400)
    request.session[RECEIPT_KEY] = {
        "receipt_no": consultation.receipt_no,
        "secret": consultation.secret,
        "preferred_on": consultation.preferred_on.isoformat(),
        "email": bool(consultation.email),
    }
    return redirect("consultations:done")


@never_cache
@require_GET
def request_done(request: HttpRequest) -> HttpResponse:
    # The number stays on reload; the secret is shown once: taken out of the session as it
    # is shown, and the page is never cached by the browser (SPEC sections 3 and 6).
    receipt = request.session.get(RECEIPT_KEY)
    if receipt and receipt.get("secret"):
        request.session[RECEIPT_KEY] = {**receipt, "secret": ""}
    return render(request, "programme/consultations/request_done.html", {"receipt": receipt})


@never_cache
@require_http_methods(["GET", "POST"])
def request_track(request: HttpRequest) -> HttpResponse:
    # One answer for an unknown number, a wrong secret and a request without a secret
    # (consultation_find_for_tracking).
    return track_page(
        request,
        form_class=forms.TrackForm,
        template="programme/consultations/request_track.html",
        rate_group=TRACK_GROUP,
        find=services.consultation_find_for_tracking,
        name="c",
    )


# ---------------------------------------------------------------------------- staff


# The columns of the staff list, the experts page and an expert's slots (templates/_parts/_table.html).
LIST_HEADINGS = (
    gettext_lazy("Request number"),
    gettext_lazy("Received"),
    gettext_lazy("Priority group"),
    gettext_lazy("Topic"),
    gettext_lazy("Preferred date"),
    gettext_lazy("Status"),
    gettext_lazy("Slot"),
    gettext_lazy("Resident"),
    gettext_lazy("Handler"),
)
EXPERT_HEADINGS = (
    gettext_lazy("Expert"),
    gettext_lazy("Field"),
    gettext_lazy("Slots"),
    gettext_lazy("Booked"),
)
SLOT_HEADINGS = (gettext_lazy("When"), gettext_lazy("Place"), gettext_lazy("Booked by"))


@staff_permission(selectors.VIEW)
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    form = forms.FilterForm(request.GET)
    form.is_valid()  # a bad filter is reported beside its field; the valid ones still apply
    requests = selectors.consultation_list(
        status=form.cleaned_data.get("status", ""),
        priority_only=form.cleaned_data.get("priority_only", False),
        order=form.cleaned_data.get("order") or "priority",
    )
    page = Paginator(requests, 25).get_page(request.GET.get("page"))
    # The list never shows residents' data unmasked, whoever looks (SPEC section 8).
    rows = [(c, selectors.consultation_contact(c, unmasked=False)) for c in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "headings": LIST_HEADINGS,
        "can_handle": request.user.has_perm(selectors.HANDLE),
    }
    return render(
        request, "programme/consultations/list.html", context, status=400 if form.errors else 200
    )


def _consultation(receipt_no: str) -> ConsultationRequest:
    requests = ConsultationRequest.objects.select_related("slot__expert", "handler")
    return get_object_or_404(requests, receipt_no=receipt_no)


def _action_form(consultation, action: str, *, show_all: bool) -> forms.ActionForm:
    extra = {"show_all": show_all} if action == "confirm" else {}
    return forms.ACTION_FORMS[action](consultation=consultation, action=action, **extra)


def _detail_page(
    request, consultation, *, bound=None, status: int = 200, show_all: bool = False
) -> HttpResponse:
    access = selectors.consultation_access(user=request.user, consultation=consultation)
    contact = selectors.consultation_contact(
        consultation, request=request, unmasked=access.unmasked
    )
    action_forms = [
        bound
        if bound is not None and bound.action == action
        else _action_form(consultation, action, show_all=show_all)
        for action in access.actions
    ]
    # A refused action the request no longer offers (it ended meanwhile) has no form on the
    # page to carry its message, so the message is shown above the actions instead.
    orphan = bound is not None and bound.action not in access.actions
    context = {
        "c": consultation,
        "access": access,
        "contact": contact,
        "forms": action_forms,
        "errors": bound.non_field_errors() if orphan else [],
    }
    return render(request, "programme/consultations/detail.html", context, status=status)


@staff_permission(selectors.VIEW)
@require_GET
def consultation_detail(request: HttpRequest, receipt_no: str) -> HttpResponse:
    # ?slots=all lists every open slot in the confirm form, the matching ones first.
    show_all = request.GET.get("slots") == "all"
    return _detail_page(request, _consultation(receipt_no), show_all=show_all)


@staff_permission(selectors.HANDLE)
@require_POST
def consultation_action(request: HttpRequest, receipt_no: str, action: str) -> HttpResponse:
    service = SERVICES.get(action)
    if service is None:
        raise Http404
    consultation = _consultation(receipt_no)
    form = forms.ACTION_FORMS[action](request.POST, consultation=consultation, action=action)
    if not form.is_valid():
        return _detail_page(request, consultation, bound=form, status=400)
    try:
        service(consultation=consultation, by=request.user, **form.cleaned_data)
    except services.ConsultationError as exc:
        form.add_error(None, str(exc))
        return _detail_page(request, _consultation(receipt_no), bound=form, status=409)
    messages.success(request, form.done)
    return redirect("consultations:detail", receipt_no=receipt_no)


def _experts_page(request, *, form=None, status: int = 200) -> HttpResponse:
    experts = list(Expert.objects.order_by("-active", "name"))
    for expert in experts:
        expert.upcoming = selectors.expert_slots(expert)
        expert.booked = sum(1 for slot in expert.upcoming if slot.booking)
    context = {
        "experts": experts,
        "headings": EXPERT_HEADINGS,
        "form": form or forms.ExpertForm(),
        "can_add": request.user.has_perm("programme.add_expert"),
    }
    return render(request, "programme/consultations/experts.html", context, status=status)


@staff_permission("programme.view_expert")
@require_http_methods(["GET", "POST"])
def expert_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _experts_page(request)
    if not request.user.has_perm("programme.add_expert"):
        raise PermissionDenied
    form = forms.ExpertForm(request.POST)
    if not form.is_valid():
        return _experts_page(request, form=form, status=400)
    expert = services.expert_create(**form.cleaned_data, by=request.user)
    messages.success(request, form.done)
    return redirect("consultations:expert", pk=expert.pk)


def _expert_page(request, expert, *, form=None, status: int = 200) -> HttpResponse:
    context = {
        "expert": expert,
        "slots": selectors.expert_slots(expert),
        "headings": SLOT_HEADINGS,
        "form": form or forms.SlotForm(),
        "can_add": request.user.has_perm("programme.add_consultationslot") and expert.active,
    }
    return render(request, "programme/consultations/expert.html", context, status=status)


@staff_permission("programme.view_expert")
@require_http_methods(["GET", "POST"])
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expert = get_object_or_404(Expert, pk=pk)
    if request.method == "GET":
        return _expert_page(request, expert)
    if not request.user.has_perm("programme.add_consultationslot"):
        raise PermissionDenied
    form = forms.SlotForm(request.POST)
    if not form.is_valid():
        return _expert_page(request, expert, form=form, status=400)
    try:
        services.slot_create(expert=expert, by=request.user, **form.submission())
    except services.ConsultationError as exc:
        form.add_error(None, str(exc))
        return _expert_page(request, expert, form=form, status=409)
    messages.success(request, form.done)
    return redirect("consultations:expert", pk=expert.pk)
