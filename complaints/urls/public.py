"""Public addresses of the report centre (SPEC section 9); mounted at the site root."""

from django.urls import include, path

from complaints.views import public

app_name = "reports"

report_urlpatterns = [
    path("new/", public.report_new, name="new"),
    path("new/done/", public.report_done, name="done"),
    path("track/", public.report_track, name="track"),
]

urlpatterns = [
    path("reports/", include(report_urlpatterns)),
    path("praise/", public.praise_board, name="praise"),
]
