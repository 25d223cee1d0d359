"""The authentication backend: Django's model backend, with permissions from groups and the
user's own permissions only; the superuser flag adds no programme permission (SPEC
section 1, see kindness.staff_user)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from kindness.staff_user import StaffUser


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = StaffUser._default_manager.get(pk=user_id)
        except StaffUser.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def _get_permissions(self, user_obj, obj, from_name):
        # ModelBackend gives a superuser every permission here; roles decide instead.
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cache_name = f"_{from_name}_perm_cache"
        if not hasattr(user_obj, cache_name):
            perms = getattr(self, f"_get_{from_name}_permissions")(user_obj)
            perms = perms.values_list("content_type__app_label", "codename").order_by()
            setattr(user_obj, cache_name, {f"{ct}.{name}" for ct, name in perms})
        return getattr(user_obj, cache_name)
