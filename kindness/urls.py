from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kindness.admin_site import admin_site_setup
from kindness.routes import per_value
from kindness.views import public, staff

admin_site_setup(admin.site)

department_urlpatterns = [
    path("", staff.department_list, name="department-list"),
    path("<key:code>/", staff.department_detail, name="department-detail"),
]

import_urlpatterns = [
    path("", staff.import_list, name="import-list"),
    path("<int:pk>/", staff.import_detail, name="import-detail"),
    *per_value(
        "<int:pk>/{}/",
        staff.import_action,
        "import-{}",
        kwarg="action",
        values=("confirm", "cancel"),
    ),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/departments/", include(department_urlpatterns)),
    path("staff/imports/", include(import_urlpatterns)),
    path("", include("complaints.urls.public")),
    path("staff/", include("complaints.urls.staff")),
    path("staff/calls/", include("surveys.urls.staff")),
    path("s/", include("surveys.links.urls.public")),
    path("staff/survey-links/", include("surveys.links.urls.staff")),
    path("rankings/", include("scoring.urls.public")),
    path("staff/rankings/", include("scoring.urls.staff")),
    path("open311/", include("complaints.open311.urls")),
    path("staff/", include("programme.initiatives.urls")),
    path("staff/training/", include("programme.training.urls")),
    path("", include("programme.consultations.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "kindness.views.public.error_400"
handler403 = "kindness.views.public.error_403"
handler404 = "kindness.views.public.error_404"
