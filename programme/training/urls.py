"""Pages of the training part of SPEC section 6, mounted at `staff/training/`."""

from django.urls import path

from programme.training import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="session-list"),
    path("new/", views.session_create, name="session-create"),
    path("<int:pk>/", views.session_detail, name="session-detail"),
    path("<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("<int:pk>/attendance/", views.attendance_add, name="attendance-add"),
    path(
        "<int:pk>/attendance/<str:employee_no>/remove/",
        views.attendance_remove,
        name="attendance-remove",
    ),
    path("<int:pk>/handout/", views.handout, name="handout"),
    path("<int:pk>/handout/print/", views.handout_print, name="handout-print"),
    *[
        path(
            f"<int:pk>/handout/<int:case_pk>/{action}/",
            views.handout_case_action,
            {"action": action},
            name=f"handout-{action}",
        )
        for action in ("up", "down", "note", "remove")
    ],
    path("officials/<str:employee_no>/", views.official_record, name="official-record"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<str:code>/", views.department_record, name="department-record"),
]
