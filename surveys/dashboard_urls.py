"""The happy-call dashboard, included at the site root (namespace "surveys_dashboard")."""

from django.urls import path

from surveys import dashboard_views

app_name = "surveys_dashboard"

urlpatterns = [
    path("staff/calls/dashboard/", dashboard_views.dashboard, name="dashboard"),
]
