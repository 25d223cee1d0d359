"""The keys of Open311 clients (SPEC section 9)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.fields import user_key


class ApiKey(models.Model):
    """A key that lets an Open311 client file reports (SPEC section 9). Issued and revoked
    in admin. Only a hash is stored: the key itself is shown once, when it is issued, and
    found again by its prefix (see complaints.open311.keys)."""

    name = models.CharField(
        _("application"), max_length=100, help_text=_("The application that uses the key.")
    )
    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("Who runs the application and how to reach them."),
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("key (hashed)"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = user_key(_("issued by"), optional=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
