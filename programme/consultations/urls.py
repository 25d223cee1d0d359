"""Pages of the expert consultation room (SPEC section 6): the public request form, and the
staff's requests, experts and slots."""

from django.urls import include, path, re_path

from kindness.routes import filing_routes
from programme.consultations import views

app_name = "consultations"

NUMBER = r"(?P<receipt_no>C-\d{4}-\d{6})"

public_urlpatterns = filing_routes(views.request_new, views.request_done, views.request_track)

staff_urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("experts/", views.expert_list, name="experts"),
    path("experts/<int:pk>/", views.expert_detail, name="expert"),
    re_path(rf"^{NUMBER}/$", views.consultation_detail, name="detail"),
    re_path(rf"^{NUMBER}/(?P<action>[a-z_]+)/$", views.consultation_action, name="action"),
]

urlpatterns = [
    path("consultations/", include(public_urlpatterns)),
    path("staff/consultations/", include(staff_urlpatterns)),
]
