"""Pages of the training part of SPEC section 6, mounted at `staff/training/`."""

from django.urls import include, path

from kindness.routes import per_value
from programme.training import views

app_name = "training"

handout_urlpatterns = [
    path("", views.handout, name="handout"),
    path("print/", views.handout_print, name="handout-print"),
    *per_value(
        "<int:case_pk>/{}/",
        views.handout_case_action,
        "handout-{}",
        kwarg="action",
        values=("up", "down", "note", "remove"),
    ),
]

session_urlpatterns = [
    path("", views.session_detail, name="session-detail"),
    path("edit/", views.session_edit, name="session-edit"),
    path("attendance/", views.attendance_add, name="attendance-add"),
    path(
        "attendance/<key:employee_no>/remove/",
        views.attendance_remove,
        name="attendance-remove",
    ),
    path("handout/", include(handout_urlpatterns)),
]

urlpatterns = [
    path("", views.session_list, name="session-list"),
    path("new/", views.session_create, name="session-create"),
    path("<int:pk>/", include(session_urlpatterns)),
    path("officials/<key:employee_no>/", views.official_record, name="official-record"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<key:code>/", views.department_record, name="department-record"),
]
