"""Managers' pages for periods and ranking runs, mounted at /staff/rankings/."""

from django.urls import path

from scoring.views import staff as views

app_name = "scoring"

urlpatterns = [
    path("", views.period_list, name="periods"),
    # Before the period pages: "rule-sets" is refused as a period code (scoring.forms).
    path("rule-sets/", views.rule_set_list, name="rule-sets"),
    path("<str:code>/", views.period_detail, name="period"),
    path("<str:code>/compute/", views.period_compute, name="period-compute"),
    path("<str:code>/close/", views.period_close, name="period-close"),
    path("<str:code>/rule-set/", views.period_rule_set, name="period-rule-set"),
    path("<str:code>/runs/<int:number>/", views.run_detail, name="run"),
    path("<str:code>/runs/<int:number>/progress/", views.run_progress, name="run-progress"),
    path("<str:code>/runs/<int:number>/publish/", views.run_publish, name="run-publish"),
    path(
        "<str:code>/runs/<int:number>/export.csv",
        views.run_export,
        {"fmt": "csv"},
        name="run-csv",
    ),
    path(
        "<str:code>/runs/<int:number>/export.xlsx",
        views.run_export,
        {"fmt": "xlsx"},
        name="run-xlsx",
    ),
]
