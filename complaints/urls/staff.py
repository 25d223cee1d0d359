"""Staff pages of the report centre, mounted at /staff/ (namespace "complaints")."""

from django.urls import path

from complaints.views import staff

app_name = "complaints"

urlpatterns = [
    path("reports/", staff.inbox, name="inbox"),
    path("reports/<str:receipt_no>/", staff.case, name="case"),
    path(
        "reports/<str:receipt_no>/attachments/<str:token>/",
        staff.attachment,
        name="attachment",
    ),
    path("reports/<str:receipt_no>/<slug:action>/", staff.case_action, name="case-action"),
    path("follow-up/", staff.follow_up, name="follow-up"),
    path("encouragement/", staff.encouragement, name="encouragement"),
    path("cases/", staff.published_cases, name="published-cases"),
]
