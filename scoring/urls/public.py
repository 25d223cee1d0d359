"""Public rankings under /rankings/ (SPEC section 9)."""

from django.urls import path

from scoring import views

app_name = "rankings"

urlpatterns = [
    path("rankings/", views.latest, name="latest"),
    path("rankings/<str:period>/", views.period_rankings, name="period"),
    path("rankings/<str:period>/rankings.csv", views.download, {"fmt": "csv"}, name="csv"),
    path("rankings/<str:period>/rankings.xlsx", views.download, {"fmt": "xlsx"}, name="xlsx"),
    path("rankings/<str:period>/departments/<str:code>/", views.department, name="department"),
    path("rankings/<str:period>/officials/", views.officials, name="officials"),
    path("rankings/<str:period>/officials/<str:employee_no>/", views.official, name="official"),
]
