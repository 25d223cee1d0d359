"""Helpers shared by the initiative tests."""

from __future__ import annotations

from django.utils import timezone

from programme.models import (
    Initiative,
)

YEAR = timezone.localdate().year
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make(department, year=YEAR, **fields) -> Initiative:
    fields.setdefault("title", f"{department.name} 친절 시책")
    return Initiative.objects.create(department=department, year=year, **fields)
