"""The roles grant the programme records' permissions under the `programme` app label, and
the auditors' and administrators' "everything" includes the programme app (issue 13)."""

import pytest
from django.contrib.auth.models import Group, Permission

from kindness.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def granted(role: str) -> set[str]:
    perms = Group.objects.get(name=role).permissions.select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in perms}


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_every_programme_codename_a_role_names_exists_and_is_granted(role):
    named = {p for p in ROLE_PERMISSIONS[role] if p.startswith("programme.")}
    assert named <= granted(role)
    for name in named:
        app_label, codename = name.split(".")
        assert Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists()


def test_no_role_names_a_programme_record_under_the_core():
    moved = ("initiative", "training", "handoutcase", "expert", "consultation")
    for wanted in ROLE_PERMISSIONS.values():
        assert not [p for p in wanted if p.startswith("kindness.") and any(m in p for m in moved)]


def test_who_runs_which_programme_record():
    assert {"programme.assess_initiative", "programme.manage_training"} <= granted(Role.MANAGER)
    assert "programme.handle_consultation" in granted(Role.REPORT_OFFICER)
    assert "programme.change_initiative" in granted(Role.DEPARTMENT_HEAD)
    assert "programme.assess_initiative" not in granted(Role.DEPARTMENT_HEAD)
    auditor = granted(Role.AUDITOR)
    assert {"programme.view_initiative", "programme.view_consultationrequest"} <= auditor
    assert not [p for p in auditor if p.startswith("programme.") and ".view_" not in p]
    assert "programme.delete_initiative" in granted(Role.ADMIN)
