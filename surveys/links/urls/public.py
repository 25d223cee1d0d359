"""`/s/<token>/`, the survey answered by link (mounted at "s/"). Every other address below
it gets the same page as an unknown link."""

from django.urls import path, re_path

from surveys.links.views import public

app_name = "survey_links"

urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    re_path(r"^(?P<rest>.*)$", public.not_found, name="not-found"),
]
