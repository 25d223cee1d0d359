"""Staff pages of the report centre, mounted at /staff/ (namespace "complaints")."""

from django.urls import include, path

from complaints.views import staff

app_name = "complaints"

case_urlpatterns = [
    path("", staff.case, name="case"),
    path("attachments/<str:token>/", staff.attachment, name="attachment"),
    path("<slug:action>/", staff.case_action, name="case-action"),
]

urlpatterns = [
    path("reports/", staff.inbox, name="inbox"),
    path("reports/<str:receipt_no>/", include(case_urlpatterns)),
    path("follow-up/", staff.follow_up, name="follow-up"),
    path("encouragement/", staff.encouragement, name="encouragement"),
    path("cases/", staff.published_cases, name="published-cases"),
]
