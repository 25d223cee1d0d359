"""Users in Django admin (SPEC section 1): role grants and withdrawals are written to the
access log, and no one changes their own groups, permissions or flags."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from kindness.clientaddr import client_address
from kindness.models import AccessLog

# Fields that give rights: never editable on one's own record.
RIGHTS = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")


def role_change_record(*, request, user: User, granted, withdrawn, superuser=None) -> None:
    """One access-log row per group granted or withdrawn (and per superuser flag change)."""
    rows = [(f"role_granted:{name}", user) for name in sorted(granted)]
    rows += [(f"role_withdrawn:{name}", user) for name in sorted(withdrawn)]
    if superuser is not None:
        rows.append(("superuser_granted" if superuser else "superuser_withdrawn", user))
    AccessLog.objects.bulk_create(
        AccessLog(
            user=request.user,
            action=action[:50],
            object_type="auth.user",
            object_id=str(target.pk),
            ip_address=client_address(request),
        )
        for action, target in rows
    )


admin.site.unregister(User)


@admin.register(User)
class KindnessUserAdmin(UserAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            return (*readonly, *RIGHTS)
        return readonly

    def save_model(self, request, obj, form, change):
        request._kindness_superuser_before = (
            User.objects.filter(pk=obj.pk).values_list("is_superuser", flat=True).first()
            if change
            else False
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(Group.objects.filter(user=user).values_list("name", flat=True))
        flag = (
            user.is_superuser if user.is_superuser != request._kindness_superuser_before else None
        )
        role_change_record(
            request=request,
            user=user,
            granted=after - before,
            withdrawn=before - after,
            superuser=flag,
        )
