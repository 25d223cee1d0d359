"""One demo login per role with a known password, for `manage.py seed_demo`."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import models

from demo.names import name_maker
from demo.organisation import DEMO_DEPARTMENT_CODE, Organisation
from kindness.models import Official
from kindness.roles import Role

User = get_user_model()

# One login per role, in the order the command prints them.
DEMO_USERNAMES: dict[Role, str] = {
    Role.MANAGER: "demo-manager",
    Role.HAPPY_CALL: "demo-happycall",
    Role.REPORT_OFFICER: "demo-officer",
    Role.DEPARTMENT_HEAD: "demo-depthead",
    Role.BUREAU_HEAD: "demo-bureauhead",
    Role.AUDITOR: "demo-auditor",
    Role.ADMIN: "demo-admin",
}


def demo_password(username: str) -> str:
    """`demo-manager` -> `kind-city-manager`: readable, and far enough from the username for
    UserAttributeSimilarityValidator, which compares letter counts (`kindness-demo-manager`
    shares too many letters with `demo-manager` to pass)."""
    return f"kind-city-{username.removeprefix('demo-')}"


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    username: str
    password: str
    user: models.Model
    official: Official | None  # the official whose department or bureau gives the scope


def seed_users(rng: random.Random, *, organisation: Organisation) -> list[DemoLogin]:
    """One login per role with a known password (see demo_password). The department head is
    the 과장 of DEMO_DEPARTMENT_CODE and the bureau head the 국장 of that department's
    bureau, linked through Official.user, so their scope (kindness.roles.scope_of) works.
    Safe to repeat: users are found by username and reset to these values."""
    head = organisation.department_heads[DEMO_DEPARTMENT_CODE]
    chief = organisation.bureau_chiefs[organisation.departments[DEMO_DEPARTMENT_CODE].bureau.name]
    linked = {Role.DEPARTMENT_HEAD: head, Role.BUREAU_HEAD: chief}
    new_name = name_maker(rng, taken=(o.name for o in organisation.officials))

    # A re-seed with another seed may pick other officials: release the old links first,
    # or the one-to-one on Official.user would refuse the new ones.
    Official.objects.filter(user__username__in=DEMO_USERNAMES.values()).update(user=None)

    logins = []
    for role, username in DEMO_USERNAMES.items():
        official = linked.get(role)
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name = official.name if official else new_name()
        user.last_name = ""
        user.email = ""
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        password = demo_password(username)
        validate_password(password, user)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        if official is not None:
            official.user = user
            official.save(update_fields=["user", "updated_at"])
        logins.append(DemoLogin(role, username, password, user, official))
    return logins
