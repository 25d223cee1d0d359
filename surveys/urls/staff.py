"""Staff pages of the happy-call centre, mounted at /staff/calls/ (namespace "surveys"): the
call desk and the dashboard."""

from django.urls import include, path

from surveys.views import calls, dashboard, desk

app_name = "surveys"

call_urlpatterns = [
    path("", desk.call_detail, name="call"),
    path("attempts/", desk.call_attempt, name="attempt"),
    path("take/", desk.call_take, name="take"),
]

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("list/", calls.call_list, name="calls"),
    path("<int:pk>/", include(call_urlpatterns)),
]
