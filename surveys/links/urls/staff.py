"""Staff pages of survey links (mounted at "staff/survey-links/")."""

from django.urls import path

from surveys.links.views import staff

app_name = "survey_links_staff"

urlpatterns = [
    path("letters/", staff.letters, name="letters"),
    path("letters/printed/", staff.letters_printed, name="printed"),
    path("calls/<int:pk>/send/", staff.send_link, name="send"),
    path("calls/<int:pk>/contact/", staff.set_contact, name="contact"),
]
