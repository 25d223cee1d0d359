"""Staff pages of the report centre, included at the site root (namespace "complaints")."""

from django.urls import path

from complaints.views import staff

app_name = "complaints"

urlpatterns = [
    path("staff/reports/", staff.inbox, name="inbox"),
    path("staff/reports/<str:receipt_no>/", staff.case, name="case"),
    path(
        "staff/reports/<str:receipt_no>/attachments/<str:token>/",
        staff.attachment,
        name="attachment",
    ),
    path("staff/reports/<str:receipt_no>/<slug:action>/", staff.case_action, name="case-action"),
    path("staff/follow-up/", staff.follow_up, name="follow-up"),
    path("staff/encouragement/", staff.encouragement, name="encouragement"),
    path("staff/cases/", staff.published_cases, name="published-cases"),
]
