"""The signed-in user as the site sees it: permissions come from roles (groups), never from
the superuser flag (SPEC section 1).

Django's `User.has_perm` answers True for any active superuser before asking a backend, so
`RoleBackend.get_user` loads the user as this proxy, whose superuser flag grants only the
admin role's permissions (users, organisation, API keys and programme settings): no
programme page and no unmasked personal data. Programme permissions come from the groups
the user is in, whatever the flag says.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth.models import User, _user_has_module_perms, _user_has_perm


@cache
def superuser_grants() -> frozenset[str]:
    from kindness.roles import ROLE_PERMISSIONS, Role

    return frozenset(ROLE_PERMISSIONS[Role.ADMIN])


class StaffUser(User):
    class Meta:
        proxy = True
        app_label = "kindness"
        default_permissions = ()

    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and self.is_superuser and perm in superuser_grants():
            return True
        return _user_has_perm(self, perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.is_superuser:
            if any(p.startswith(f"{app_label}.") for p in superuser_grants()):
                return True
        return _user_has_module_perms(self, app_label)

    def get_all_permissions(self, obj=None) -> set[str]:
        granted = super().get_all_permissions(obj)
        if self.is_active and self.is_superuser and obj is None:
            granted = granted | superuser_grants()
        return granted
