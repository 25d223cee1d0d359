"""Public rankings, mounted at /rankings/ (SPEC section 9)."""

from django.urls import path

from scoring.views import public as views

app_name = "rankings"

urlpatterns = [
    path("", views.latest, name="latest"),
    path("<str:period>/", views.period_rankings, name="period"),
    path("<str:period>/rankings.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("<str:period>/rankings-data.csv", views.download, {"fmt": "data-csv"}, name="data-csv"),
    path("<str:period>/rankings.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("<str:period>/package.zip", views.package, name="package"),
    path("<str:period>/runs/<int:number>/package.zip", views.package, name="run-package"),
    path("<str:period>/departments/<key:code>/", views.department, name="department"),
    path("<str:period>/officials/", views.officials, name="officials"),
    path("<str:period>/officials/<key:employee_no>/", views.official, name="official"),
]
