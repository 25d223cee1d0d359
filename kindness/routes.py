"""Small helpers for the URL modules."""

from collections.abc import Callable, Iterable

from django.urls import URLPattern, path


def per_value(
    route: str, view: Callable, name: str, *, kwarg: str, values: Iterable[str]
) -> list[URLPattern]:
    """One route per value of one keyword argument of `view`: "{}" in `route` and `name`
    stands for the value (`per_value("{}/", action, "import-{}", kwarg="action",
    values=("confirm", "cancel"))`)."""
    return [
        path(route.format(value), view, {kwarg: value}, name=name.format(value)) for value in values
    ]


def filing_routes(new: Callable, done: Callable, track: Callable) -> list[URLPattern]:
    """The public pages of a case a resident files (a report, a consultation request): the
    form at new/, the receipt with its number and tracking secret at new/done/, and the
    tracking page (kindness.tracking) at track/, named "new", "done" and "track"."""
    return [
        path("new/", new, name="new"),
        path("new/done/", done, name="done"),
        path("track/", track, name="track"),
    ]
