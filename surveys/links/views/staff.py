"""Staff side of survey links (SPEC section 4): at the call desk, send a link instead of
calling and mark a petitioner for a written survey (or unmark them); the letter inserts to
print, and the link messages the outbox gave up on."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kindness.params import pk_parse
from kindness.views import staff_permission
from surveys.links import records, selectors, services
from surveys.models import HappyCall, Petition, SurveyLink
from surveys.services import MAKE_CALLS, CallError, may_act


def _qr_svg(url: str) -> str:
    """The link as a QR code, drawn on the server as inline SVG (no script, no request)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False, title=url
    )
    return out.getvalue().decode()


@staff_permission(MAKE_CALLS)
@require_POST
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's "send a link instead" key."""
    call = get_object_or_404(HappyCall.objects.select_related("petition"), pk=pk)
    try:
        link = services.call_send_link(call=call, by=request.user)
    except CallError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:call", pk=pk)
    done = _("A survey link (%(channel)s) will be sent for petition %(number)s.")
    channel = link.get_channel_display()
    messages.success(request, done % {"channel": channel, "number": call.petition.petition_no})
    return redirect("surveys:desk")


@staff_permission(MAKE_CALLS)
@require_POST
def set_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark or unmark the petitioner of a call for a written survey."""
    call = get_object_or_404(HappyCall.objects.select_related("petition"), pk=pk)
    contact = request.POST.get("contact", "")
    if not may_act(call, request.user):
        messages.error(request, _("This call is assigned to another member of staff."))
        return redirect("surveys:call", pk=pk)
    if contact not in Petition.Contact.values:
        messages.error(request, _("Choose how the petitioner is to be surveyed."))
        return redirect("surveys:call", pk=pk)
    services.petition_contact_set(petition=call.petition, contact=contact, by=request.user)
    if contact == Petition.Contact.WRITTEN:
        messages.success(
            request, _("Marked for a written survey: the petitioner gets a link and is not phoned.")
        )
    else:
        messages.success(request, _("The petitioner is to be phoned again."))
    return redirect("surveys:call", pk=pk)


@never_cache
@staff_permission(MAKE_CALLS)
@require_GET
def letters(request: HttpRequest) -> HttpResponse:
    """The letter inserts to print: petition number, handling department, the QR code and
    the address typed out; no name and no postal address (SPEC section 4)."""
    reprint = request.GET.get("reprint") == "1"
    links = list(selectors.letters_printed() if reprint else selectors.letters_to_print())
    inserts = []
    for link in links:
        url = records.link_url(link)
        inserts.append({"link": link, "url": url, "qr": mark_safe(_qr_svg(url))})  # noqa: S308 - segno's own SVG
    context = {
        "inserts": inserts,
        "reprint": reprint,
        "failed": selectors.failed_link_messages(),
    }
    return render(request, "surveys/links/letters.html", context)


@staff_permission(MAKE_CALLS)
@require_POST
def letters_printed(request: HttpRequest) -> HttpResponse:
    ids = [pk for v in request.POST.getlist("link") if (pk := pk_parse(v)) is not None]
    links = list(SurveyLink.objects.filter(pk__in=ids))
    if not links:
        messages.error(request, _("Choose the letters you printed."))
        return redirect("survey_links_staff:letters")
    n = services.letters_mark_printed(links=links)
    messages.success(request, _("%(n)d letters recorded as printed today.") % {"n": n})
    return redirect("survey_links_staff:letters")
