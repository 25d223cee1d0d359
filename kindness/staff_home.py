"""The staff home's links and counts as data (issue 13 item 4, issue 15 item 3).

The core knows no app: each app registers its entries in its `staff_home` module, which its
`AppConfig.ready()` imports (the core's own are in `kindness.staff_links`), and the staff
home shows, per role of the signed-in user, the entries of that role whose permission the
user holds. An entry with a count or figures says what waits for the user ("3 new
reports") and links to the filtered list; one without is a plain link to a page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from kindness.roles import Role, roles_of


@dataclass(frozen=True)
class Figure:
    """One computed line, such as a department's latest rank, with the page explaining it."""

    label: str
    value: str
    url: str = ""


@dataclass(frozen=True)
class StaffLink:
    """An entry of the staff home.

    `roles`: the roles whose section shows it; `permission`: a permission the user must
    also hold (checked again by the page itself). `count(user)` gives the number of items
    waiting in the linked list; `figures(user)` gives computed lines instead. `query` is
    appended to the URL so a count links to the list filtered the same way.
    """

    key: str
    label: str
    url_name: str
    roles: tuple[str, ...]
    permission: str = ""
    query: str = ""
    count: Callable[..., int] | None = None
    figures: Callable[..., Iterable[Figure]] | None = None
    order: int = 100

    @property
    def is_work(self) -> bool:
        return self.count is not None or self.figures is not None

    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url

    def shown_to(self, user, role: str) -> bool:
        return role in self.roles and (not self.permission or user.has_perm(self.permission))


_REGISTRY: dict[str, StaffLink] = {}


def register(*links: StaffLink) -> None:
    """Add entries (by key, so registering again replaces: `ready()` may run twice)."""
    for link in links:
        _REGISTRY[link.key] = link


def registered() -> list[StaffLink]:
    return sorted(_REGISTRY.values(), key=lambda link: (link.order, link.key))


@dataclass(frozen=True)
class Item:
    link: StaffLink
    url: str
    count: int | None = None
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class RoleSection:
    role: Role
    work: list[Item]
    pages: list[Item]


def sections_for(user) -> list[RoleSection]:
    """The staff home of `user`: one section per role, in the order of SPEC section 1, each
    with the waiting work (counts computed now) and the pages of that role."""
    user_roles = roles_of(user)
    sections = []
    for value in Role.values:
        if value not in user_roles:
            continue
        work, pages = [], []
        for link in registered():
            if not link.shown_to(user, value):
                continue
            try:
                url = link.url()
            except NoReverseMatch:
                continue  # the app that serves this page is not installed
            if link.count is not None:
                work.append(Item(link, url, count=link.count(user)))
            elif link.figures is not None:
                figures = tuple(link.figures(user))
                if figures:
                    work.append(Item(link, url, figures=figures))
            else:
                pages.append(Item(link, url))
        sections.append(RoleSection(Role(value), work, pages))
    return sections
