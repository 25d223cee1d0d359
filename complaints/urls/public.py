"""Public addresses of the report centre (SPEC section 9); mounted at the site root."""

from django.urls import include, path

from complaints.views import public
from kindness.routes import filing_routes

app_name = "reports"

report_urlpatterns = filing_routes(public.report_new, public.report_done, public.report_track)

urlpatterns = [
    path("reports/", include(report_urlpatterns)),
    path("praise/", public.praise_board, name="praise"),
]
