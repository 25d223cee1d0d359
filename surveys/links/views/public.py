"""The survey page residents open from their link, `/s/<token>/` (SPEC section 4, "Survey
by link"; section 9). No login. Whatever is not a live link (unknown, malformed, used,
expired, throttled) gets one and the same page with status 404, so the page tells nobody
whether a token ever existed; only those failed lookups count toward the address's limit.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kindness.models import ProgrammeSettings
from kindness.ratelimit import rate_take, rate_used_up
from surveys.links import selectors, services
from surveys.links.forms import LinkSurveyForm
from surveys.services import CallError, SurveyIncomplete, call_questionnaire

GROUP = "survey-links:failed"


def _throttled(request: HttpRequest, *, count: bool) -> bool:
    """Whether this address used up its failed lookups; with `count`, one more failure."""
    if count:
        return not rate_take(request, group=GROUP, rate=settings.SURVEY_LINK_RATE)
    return rate_used_up(request, group=GROUP, rate=settings.SURVEY_LINK_RATE)


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    context["centre_phone"] = ProgrammeSettings.load().centre_phone
    response = render(request, template, context, status=status)
    # The token is in the address: no other site may see it in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _not_live(request: HttpRequest, *, count: bool = True) -> HttpResponse:
    if count:
        _throttled(request, count=True)
    return _page(request, "surveys/links/not_live.html", {}, status=404)


def _language(request: HttpRequest) -> str | None:
    """`?lang=en` or `?lang=ko`: the page's own language switch. The site's language form
    posts with an Origin of "null" here (no-referrer), which CSRF protection refuses."""
    lang = request.GET.get("lang")
    return lang if lang in dict(settings.LANGUAGES) else None


def _with_language(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        lang = _language(request)
        if lang is None:
            return view(request, *args, **kwargs)
        with translation.override(lang):
            request.LANGUAGE_CODE = lang
            response = view(request, *args, **kwargs)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, samesite="Lax")
        return response

    return wrapped


@csrf_exempt
@never_cache
@_with_language
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /s/: the same page as an unknown link."""
    if _throttled(request, count=False):
        return _not_live(request, count=False)
    return _not_live(request)


# No CSRF token check: with `Referrer-Policy: no-referrer` browsers send `Origin: null`
# with the form, and the secret token in the address already is what a forged request
# would lack; the link is answered once.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@_with_language
def answer(request: HttpRequest, token: str) -> HttpResponse:
    if _throttled(request, count=False):
        return _not_live(request, count=False)
    link = selectors.link_by_token(token)
    if link is None or not services.link_live(link):
        return _not_live(request)
    try:
        questionnaire = call_questionnaire(link.call)
    except CallError:
        return _not_live(request, count=False)
    form = LinkSurveyForm(request.POST or None, questionnaire=questionnaire)
    context = {"form": form, "link": link, "call": link.call}
    if request.method == "GET" or not form.is_valid():
        return _page(
            request,
            "surveys/links/answer.html",
            context,
            status=200 if request.method == "GET" else 400,
        )
    try:
        call = services.survey_link_answer(link=link, **form.service_kwargs())
    except SurveyIncomplete as exc:  # the questionnaire changed under the form
        for key, reason in exc.errors.items():
            form.add_error(f"item_{key}" if f"item_{key}" in form.fields else None, reason)
        return _page(request, "surveys/links/answer.html", context, status=400)
    except services.LinkNotLive:
        return _not_live(request, count=False)
    return _page(request, "surveys/links/thanks.html", {"call": call})
