"""Managers' pages for periods and ranking runs under /staff/rankings/."""

from django.urls import path

from scoring import views_staff as views

app_name = "scoring"

urlpatterns = [
    path("staff/rankings/", views.period_list, name="periods"),
    # Before the period pages: "rule-sets" is refused as a period code (scoring.forms).
    path("staff/rankings/rule-sets/", views.rule_set_list, name="rule-sets"),
    path("staff/rankings/<str:code>/", views.period_detail, name="period"),
    path("staff/rankings/<str:code>/compute/", views.period_compute, name="period-compute"),
    path("staff/rankings/<str:code>/close/", views.period_close, name="period-close"),
    path("staff/rankings/<str:code>/rule-set/", views.period_rule_set, name="period-rule-set"),
    path("staff/rankings/<str:code>/runs/<int:number>/", views.run_detail, name="run"),
    path(
        "staff/rankings/<str:code>/runs/<int:number>/progress/",
        views.run_progress,
        name="run-progress",
    ),
    path(
        "staff/rankings/<str:code>/runs/<int:number>/publish/",
        views.run_publish,
        name="run-publish",
    ),
    path(
        "staff/rankings/<str:code>/runs/<int:number>/export.csv",
        views.run_export,
        {"fmt": "csv"},
        name="run-csv",
    ),
    path(
        "staff/rankings/<str:code>/runs/<int:number>/export.xlsx",
        views.run_export,
        {"fmt": "xlsx"},
        name="run-xlsx",
    ),
]
