"""Public rankings under /rankings/ (SPEC section 9)."""

from django.urls import path  # noqa: F401

app_name = "rankings"

urlpatterns: list = []
