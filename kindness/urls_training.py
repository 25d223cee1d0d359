"""Pages of the training part of SPEC section 6."""

from django.urls import path

from kindness import views_training as views

app_name = "training"

urlpatterns = [
    path("staff/training/", views.session_list, name="session-list"),
    path("staff/training/new/", views.session_create, name="session-create"),
    path("staff/training/<int:pk>/", views.session_detail, name="session-detail"),
    path("staff/training/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("staff/training/<int:pk>/attendance/", views.attendance_add, name="attendance-add"),
    path(
        "staff/training/<int:pk>/attendance/<key:employee_no>/remove/",
        views.attendance_remove,
        name="attendance-remove",
    ),
    path("staff/training/<int:pk>/handout/", views.handout, name="handout"),
    path("staff/training/<int:pk>/handout/print/", views.handout_print, name="handout-print"),
    *[
        path(
            f"staff/training/<int:pk>/handout/<int:case_pk>/{action}/",
            views.handout_case_action,
            {"action": action},
            name=f"handout-{action}",
        )
        for action in ("up", "down", "note", "remove")
    ],
    path(
        "staff/training/officials/<key:employee_no>/", views.official_record, name="official-record"
    ),
    path("staff/training/departments/", views.department_list, name="department-list"),
    path(
        "staff/training/departments/<key:code>/",
        views.department_record,
        name="department-record",
    ),
]
