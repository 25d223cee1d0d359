"""Managers' pages for periods and ranking runs, mounted at /staff/rankings/."""

from django.urls import include, path

from kindness.routes import per_value
from scoring.views import staff as views

app_name = "scoring"

run_urlpatterns = [
    path("", views.run_detail, name="run"),
    path("progress/", views.run_progress, name="run-progress"),
    path("publish/", views.run_publish, name="run-publish"),
    *per_value("export.{}", views.run_export, "run-{}", kwarg="fmt", values=("csv", "xlsx")),
]

period_urlpatterns = [
    path("", views.period_detail, name="period"),
    path("compute/", views.period_compute, name="period-compute"),
    path("close/", views.period_close, name="period-close"),
    path("rule-set/", views.period_rule_set, name="period-rule-set"),
    path("runs/<int:number>/", include(run_urlpatterns)),
]

urlpatterns = [
    path("", views.period_list, name="periods"),
    # Before the period pages: "rule-sets" is refused as a period code (scoring.forms).
    path("rule-sets/", views.rule_set_list, name="rule-sets"),
    path("<str:code>/", include(period_urlpatterns)),
]
