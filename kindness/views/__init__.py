"""Pages of the core, by audience: `public` (home, health, error pages) and `staff` (staff
home, organisation, imports). `staff_permission` guards every app's staff views."""

from django.contrib.auth.decorators import login_required, permission_required


def staff_permission(perm: str):
    """Anonymous visitors go to the login page; signed-in users without `perm` get 403."""

    def decorator(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator
