"""Pages of one department, one kindness initiative (SPEC section 6) and the managers'
overview of the programme's year, mounted at `staff/`."""

from django.urls import path

from programme import views as overview
from programme.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("initiatives/", views.year_view, name="year"),
    path("initiatives/new/", views.create, name="create"),
    path("initiatives/<int:pk>/", views.detail, name="detail"),
    path("initiatives/<int:pk>/edit/", views.edit, name="edit"),
    path(
        "initiatives/<int:pk>/<str:action>/",
        views.action,
        name="action",
    ),
    path("programme/", overview.overview_this_year, name="overview-this-year"),
    path("programme/<int:year>/", overview.overview, name="overview"),
]
