"""Managers' pages for periods and ranking runs under /staff/rankings/."""

from django.urls import path  # noqa: F401

app_name = "scoring"

urlpatterns: list = []
