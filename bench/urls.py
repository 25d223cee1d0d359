"""The product's URLs plus the bare views of bench/web.py under /bench/ (bench.settings
only)."""

from django.urls import path

from bench import web
from kindness.urls import handler400, handler403, handler404
from kindness.urls import urlpatterns as product

urlpatterns = [
    path("bench/fixed/", web.fixed, name="bench-fixed"),
    path("bench/rows/", web.rows, name="bench-rows"),
    path("bench/insert/", web.insert, name="bench-insert"),
    path("bench/insert/done/", web.insert_done, name="bench-insert-done"),
    *product,
]

__all__ = ["handler400", "handler403", "handler404", "urlpatterns"]
