"""The call desk of the happy-call centre, included at the site root (namespace "surveys")."""

from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("staff/calls/", views.desk, name="desk"),
    path("staff/calls/<int:pk>/", views.call_detail, name="call"),
    path("staff/calls/<int:pk>/attempts/", views.call_attempt, name="attempt"),
    path("staff/calls/<int:pk>/take/", views.call_take, name="take"),
]
