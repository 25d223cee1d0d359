"""Staff pages of the happy-call centre, mounted at /staff/calls/ (namespace "surveys"): the
call desk and the dashboard."""

from django.urls import path

from surveys.views import calls, dashboard, desk

app_name = "surveys"

urlpatterns = [
    path("", desk.desk, name="desk"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("list/", calls.call_list, name="calls"),
    path("<int:pk>/", desk.call_detail, name="call"),
    path("<int:pk>/attempts/", desk.call_attempt, name="attempt"),
    path("<int:pk>/take/", desk.call_take, name="take"),
]
