"""Pages of the expert consultation room (SPEC section 6): the public request form, and the
staff's requests, experts and slots."""

from django.urls import path, re_path

from programme.consultations import views

app_name = "consultations"

NUMBER = r"(?P<receipt_no>C-\d{4}-\d{6})"

urlpatterns = [
    path("consultations/new/", views.request_new, name="new"),
    path("consultations/new/done/", views.request_done, name="done"),
    path("consultations/track/", views.request_track, name="track"),
    path("staff/consultations/", views.consultation_list, name="list"),
    path("staff/consultations/experts/", views.expert_list, name="experts"),
    path("staff/consultations/experts/<int:pk>/", views.expert_detail, name="expert"),
    re_path(rf"^staff/consultations/{NUMBER}/$", views.consultation_detail, name="detail"),
    re_path(
        rf"^staff/consultations/{NUMBER}/(?P<action>[a-z_]+)/$",
        views.consultation_action,
        name="action",
    ),
]
