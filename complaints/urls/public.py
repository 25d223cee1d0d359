"""Public addresses of the report centre (SPEC section 9); mounted at the site root."""

from django.urls import path

from complaints.views import public

app_name = "reports"

urlpatterns = [
    path("reports/new/", public.report_new, name="new"),
    path("reports/new/done/", public.report_done, name="done"),
    path("reports/track/", public.report_track, name="track"),
    path("praise/", public.praise_board, name="praise"),
]
