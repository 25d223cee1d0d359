"""Pages of one department, one kindness initiative (SPEC section 6) and the managers'
overview of the programme's year, mounted at `staff/`."""

from django.urls import include, path

from programme import views as overview
from programme.initiatives import views

app_name = "initiatives"

initiative_urlpatterns = [
    path("", views.year_view, name="year"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/<str:action>/", views.action, name="action"),
]

urlpatterns = [
    path("initiatives/", include(initiative_urlpatterns)),
    path("programme/", overview.overview_this_year, name="overview-this-year"),
    path("programme/<int:year>/", overview.overview, name="overview"),
]
