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
