"""The call desk of the happy-call centre (SPEC section 4, "Happy-call survey"; issue 4,
"Entering a call"): the caller's next call, its attempts and the survey, entered with the
keyboard alone. The petitioner's name and phone are shown unmasked to the assigned caller
of an open call only, and each such view is written to the access log (SPEC section 8)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindness.models import ProgrammeSettings
from kindness.privacy import Contact, contact_shown
from kindness.views import staff_permission
from surveys import services
from surveys.forms.desk import AttemptForm, HappyCallForm
from surveys.models import CallAttempt, HappyCall

MAKE_CALLS = services.MAKE_CALLS
QUEUE_SHOWN = 20
SAVED_KEY = "desk_saved"
Status = HappyCall.Status


# ---------------------------------------------------------------------------- reads


def _queued(user) -> QuerySet[HappyCall]:
    """The user's queued calls, next first: the fewest attempts, then the longest since the
    last one, so a call that was just busy goes to the back and comes round again."""
    return (
        HappyCall.objects.filter(status=Status.QUEUED, assigned_to=user)
        .select_related("petition", "department")
        .annotate(n_attempts=Count("attempts"), last_attempt=Max("attempts__at"))
        .order_by("n_attempts", "last_attempt", "queued_on", "pk")
    )


def _call(pk: int) -> HappyCall:
    calls = HappyCall.objects.select_related(
        "petition", "department", "official", "assigned_to", "answered_by"
    )
    return get_object_or_404(calls, pk=pk)


def _petitioner(request: HttpRequest, call: HappyCall) -> Contact:
    """Name and phone, unmasked only for the caller assigned to the open call (logged)."""
    petition = call.petition
    return contact_shown(
        request=request,
        obj=petition,
        action="view_petitioner",
        unmasked=call.status == Status.QUEUED and call.assigned_to_id == request.user.pk,
        name=petition.petitioner_name,
        phone=petition.petitioner_phone,
    )


def _attempts_context(call: HappyCall) -> dict:
    attempts = list(call.attempts.select_related("by").order_by("at", "pk"))
    failed = sum(a.outcome in services.FAILED for a in attempts)
    return {
        "attempts": attempts,
        "failed": failed,
        "max_attempts": ProgrammeSettings.load().call_max_attempts,
    }


def _desk(
    request: HttpRequest,
    call: HappyCall | None,
    *,
    form: HappyCallForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    mine = _queued(request.user)
    context = {
        "call": call,
        "queue": mine[:QUEUE_SHOWN],
        "queue_count": mine.count(),
        "done_today": HappyCall.objects.filter(
            answered_by=request.user, answered_on=timezone.localdate()
        ).count(),
        "unassigned": HappyCall.objects.filter(status=Status.QUEUED, assigned_to=None)
        .select_related("petition", "department")
        .order_by("queued_on", "pk")[:QUEUE_SHOWN],
        "problem": problem,
        "attempt_outcomes": AttemptForm.OUTCOMES,
        # The call saved just before this page, said once (then forgotten).
        "saved": request.session.pop(SAVED_KEY, None),
    }
    if call is not None:
        may_act = services.may_act(call, request.user)
        if form is None and call.status in (Status.QUEUED, Status.LINK) and may_act:
            try:
                form = HappyCallForm(questionnaire=services.call_questionnaire(call))
            except services.CallError:
                form = None  # the page says that no questionnaire is in use
        context |= {
            "may_act": may_act,
            "petitioner": _petitioner(request, call),
            "form": form,
            **_attempts_context(call),
        }
    return render(request, "surveys/desk.html", context, status=status)


def _refused(request: HttpRequest, pk: int, exc: services.CallError) -> HttpResponse:
    """The page of the call as it is now, with the reason the change was refused: 403 for
    somebody else's call, 409 for a call whose state changed (closed, or entered by another)."""
    status = 403 if isinstance(exc, services.NotYourCall) else 409
    return _desk(request, _call(pk), problem=str(exc), status=status)


# ---------------------------------------------------------------------------- pages


@staff_permission(MAKE_CALLS)
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """The caller's next call (or, with none left, the unassigned ones to take)."""
    return _desk(request, _queued(request.user).first())


@staff_permission(MAKE_CALLS)
@require_http_methods(["GET", "POST"])
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: one call. POST: save its survey, then on to the next call."""
    call = _call(pk)
    if request.method == "GET":
        return _desk(request, call)
    try:
        services.call_check(call=call, by=request.user)
        questionnaire = services.call_questionnaire(call)
    except services.CallError as exc:
        return _refused(request, pk, exc)
    form = HappyCallForm(request.POST, questionnaire=questionnaire)
    if not form.is_valid():
        return _desk(request, call, form=form, status=400)
    answers = form.service_kwargs()
    try:
        services.happy_call_complete(call=call, by=request.user, **answers)
    except services.SurveyIncomplete as exc:  # the questionnaire changed under the form
        for key, reason in exc.errors.items():
            form.add_error(f"item_{key}" if f"item_{key}" in form.fields else None, reason)
        return _desk(request, call, form=form, status=400)
    except services.CallError as exc:
        return _refused(request, pk, exc)
    # Shown on the next call's card (issue 15 item 2), where the caller's focus lands.
    request.session[SAVED_KEY] = saved_summary(pk, answers["answers"])
    return redirect("surveys:desk")


def saved_summary(pk: int, answers: dict[str, int | None]) -> list[str]:
    """What the desk saved for a call, in sentences: the petition, the answers and score,
    and the receipt number of each report a flag opened."""
    call = HappyCall.objects.select_related("petition", "kind_report", "unkind_report").get(pk=pk)
    given = sum(value is not None for value in answers.values())
    lines = [
        _(
            "Saved petition %(number)s: %(given)s of %(items)s questions answered, "
            "response score %(score)s."
        )
        % {
            "number": call.petition.petition_no,
            "given": given,
            "items": len(answers),
            "score": "—" if call.response_score is None else f"{call.response_score:.1f}",
        }
    ]
    if call.kind_report:
        lines.append(
            _("Praise report %(receipt)s opened.") % {"receipt": call.kind_report.receipt_no}
        )
    if call.unkind_report:
        lines.append(
            _("Unkindness report %(receipt)s opened.") % {"receipt": call.unkind_report.receipt_no}
        )
    return lines


@staff_permission(MAKE_CALLS)
@require_POST
def call_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """An attempt that did not reach the survey. With htmx the attempts list is updated in
    place (and the form closed when the call closes); without, the page reloads."""
    call = _call(pk)
    htmx = request.headers.get("HX-Request") == "true"
    form = AttemptForm(request.POST)
    if not form.is_valid():
        return _desk(request, call, problem=_("Choose the outcome of the attempt."), status=400)
    try:
        call = services.call_attempt_record(call=call, by=request.user, **form.cleaned_data)
    except services.CallError as exc:
        if htmx:  # reload the whole page, which shows the message and the call as it is now
            messages.error(request, str(exc))
            return HttpResponse(status=409, headers={"HX-Refresh": "true"})
        return _refused(request, pk, exc)
    outcome = CallAttempt.Outcome(form.cleaned_data["outcome"]).label
    if not htmx:
        done = _("%(outcome)s recorded for call %(number)s.")
        messages.success(request, done % {"outcome": outcome, "number": call.petition.petition_no})
        return redirect("surveys:call", pk=call.pk)
    context = {"call": call, "recorded": outcome, **_attempts_context(call)}
    return render(request, "partials/call_attempts.html", context)


@staff_permission(MAKE_CALLS)
@require_POST
def call_take(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(pk)
    try:
        services.call_take(call=call, by=request.user)
    except services.CallError as exc:
        return _refused(request, pk, exc)
    return redirect("surveys:call", pk=call.pk)
