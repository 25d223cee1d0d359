"""Staff pages of survey links (mounted at "staff/survey-links/")."""

from django.urls import include, path

from surveys.links.views import staff

app_name = "survey_links_staff"

call_urlpatterns = [
    path("send/", staff.send_link, name="send"),
    path("contact/", staff.set_contact, name="contact"),
]

urlpatterns = [
    path("letters/", staff.letters, name="letters"),
    path("letters/printed/", staff.letters_printed, name="printed"),
    path("calls/<int:pk>/", include(call_urlpatterns)),
]
