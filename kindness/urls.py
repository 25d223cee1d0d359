from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kindness import views
from kindness.admin_site import admin_site_setup

admin_site_setup(admin.site)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/departments/", views.department_list, name="department-list"),
    path("staff/departments/<str:code>/", views.department_detail, name="department-detail"),
    path("staff/imports/", views.import_list, name="import-list"),
    path("staff/imports/<int:pk>/", views.import_detail, name="import-detail"),
    path(
        "staff/imports/<int:pk>/confirm/",
        views.import_action,
        {"action": "confirm"},
        name="import-confirm",
    ),
    path(
        "staff/imports/<int:pk>/cancel/",
        views.import_action,
        {"action": "cancel"},
        name="import-cancel",
    ),
    path("", include("complaints.urls_public")),
    path("", include("complaints.urls_staff")),
    path("", include("surveys.urls")),
    path("", include("surveys.dashboard_urls")),
    path("rankings/", include("scoring.urls.public")),
    path("staff/rankings/", include("scoring.urls.staff")),
    path("", include("complaints.open311.urls")),
    path("", include("kindness.urls_initiatives")),
    path("", include("kindness.urls_training")),
    path("", include("kindness.urls_consultations")),
    path("admin/", admin.site.urls),
]

handler400 = "kindness.views.error_400"
handler403 = "kindness.views.error_403"
handler404 = "kindness.views.error_404"
