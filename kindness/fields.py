"""Field helpers for the foreign keys every app's models repeat: who did something, and a
link that may be blank."""

from django.conf import settings
from django.db import models


def user_key(
    verbose_name,
    *,
    optional: bool = False,
    on_delete=models.PROTECT,
    related_name: str = "+",
    **options,
) -> models.ForeignKey:
    """A foreign key to the user who did something; `optional` ones may be blank. Users are
    never deleted while they are referred to (PROTECT) unless `on_delete` says otherwise."""
    if optional:
        options.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def optional_key(
    to, verbose_name, *, on_delete=models.PROTECT, related_name: str = "+", **options
) -> models.ForeignKey:
    """A foreign key that may be blank."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )
