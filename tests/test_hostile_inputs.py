"""No input makes the server answer 500 (developers' guide): as each role, in the demo city,
every kind of page a link leads to is visited, and every form on it is sent with values a
person or a script may type: a control character (PostgreSQL refuses NUL in text), a number
no database column holds, digits of another script. Each must come back as a page or a
redirect that says what was wrong, never a server error. On PostgreSQL (CI) this is also
what reaches the database."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from demo.logins import DEMO_USERNAMES
from kindness.roles import Role

pytestmark = pytest.mark.django_db
User = get_user_model()

HOSTILE = ("a\x00b", "9" * 30, "\u0664\u0662")
# Logging out ends the crawl; the admin is Django's; language switching is Django's view.
NOT_FOLLOWED = ("/accounts/logout/", "/admin/", "/i18n/")
# Pages visited of each kind (cases, calls, periods... in their different states).
PER_KIND = 3
# A kind of page: its address with every part that names a row (numbers, codes) folded.
ROW_PART = re.compile(r"(?<=/)[^/]*\d[^/]*(?=/|$)")


class _Page(HTMLParser):
    """The links and the forms of a page (each form: method, action and its named fields)."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea"):
            name, kind = attrs.get("name"), attrs.get("type") or tag
            if name and kind not in ("submit", "button", "file"):
                self._form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _crawl(client: Client) -> tuple[int, int, list[str]]:
    """Visits a few pages of each kind reachable from the home pages and sends each of its forms
    with each hostile value in each field; gives the pages, the submissions and the 500s."""
    kinds: dict[str, int] = {}
    seen: set[str] = set()
    todo, failures, sent = ["/", "/staff/"], [], 0
    while todo:
        url = todo.pop(0)
        path = urlsplit(url).path
        kind = ROW_PART.sub("N", path)
        if path in seen or kinds.get(kind, 0) >= PER_KIND or path.startswith(NOT_FOLLOWED):
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"GET {url}: {response.status_code}")
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        todo += [h for h in page.links if h.startswith("/") and not h.startswith("//")]
        for form in page.forms:
            action = urljoin(url, form["action"]) if form["action"] else url
            if urlsplit(action).path.startswith(NOT_FOLLOWED):
                continue
            send = client.post if form["method"] == "post" else client.get
            for name in form["fields"]:
                if name == "csrfmiddlewaretoken":
                    continue
                for value in HOSTILE:
                    sent += 1
                    answer = send(action, {**form["fields"], name: value})
                    if answer.status_code >= 500:
                        failures.append(f"{form['method']} {action} {name}={value!r}")
    return len(seen), sent, failures


@pytest.mark.parametrize(
    "role",
    [None, Role.MANAGER, Role.REPORT_OFFICER, Role.HAPPY_CALL, Role.DEPARTMENT_HEAD],
    ids=lambda role: role or "resident",
)
def test_no_form_on_any_page_answers_a_hostile_value_with_a_server_error(demo_city, role, settings):
    settings.RATELIMIT_ENABLE = False  # every submission reaches the form, none is a 429
    client = Client(raise_request_exception=False)
    if role is not None:
        client.force_login(User.objects.get(username=DEMO_USERNAMES[role]))
    pages, sent, failures = _crawl(client)
    assert not failures, failures
    # The crawl reached the role's pages and their forms (a broken crawl would pass empty).
    assert pages > 10 and sent > 20, (pages, sent)
