"""Pages of one department, one kindness initiative (SPEC section 6) and the managers'
overview of the programme's year."""

from django.urls import path

from kindness import views_initiatives as views

app_name = "initiatives"

urlpatterns = [
    path("staff/initiatives/", views.year_view, name="year"),
    path("staff/initiatives/new/", views.create, name="create"),
    path("staff/initiatives/<int:pk>/", views.detail, name="detail"),
    path("staff/initiatives/<int:pk>/edit/", views.edit, name="edit"),
    path(
        "staff/initiatives/<int:pk>/<str:action>/",
        views.action,
        name="action",
    ),
    path("staff/programme/", views.overview_this_year, name="overview-this-year"),
    path("staff/programme/<int:year>/", views.overview, name="overview"),
]
