"""The roles of SPEC section 1 as Django groups with permissions, and the scope of each.

A role is a group; what it may do is the group's permissions (kept in step with the code by
`sync_role_groups`, run by a migration and after every `migrate`); whose data it may see is
its scope, decided here from the official record linked to the login.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

# Apps whose models make up the programme: auditors may view everything in them.
PROGRAMME_APPS = ("kindness", "complaints", "surveys", "scoring", "programme")


class Role(models.TextChoices):
    HAPPY_CALL = "happy_call", _("Happy-call staff")
    REPORT_OFFICER = "report_officer", _("Report officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    BUREAU_HEAD = "bureau_head", _("Bureau head")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


# Roles that see the whole city; the others see their own department or bureau.
CITY_WIDE = {Role.HAPPY_CALL, Role.REPORT_OFFICER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}

_ORGANISATION_VIEW = [
    "kindness.view_bureau",
    "kindness.view_department",
    "kindness.view_team",
    "kindness.view_official",
]

# Explicit permissions per role. "view_all" adds every view_ permission of PROGRAMME_APPS;
# "all" adds every permission of them. Later capabilities add their own codenames here.
_REPORT_VIEW = [
    "complaints.view_report",
    "complaints.view_reportevent",
    "complaints.view_attachment",
]

# The expert consultation room is run by the evaluation office and the report centre.
_CONSULTATION_HANDLING = [
    "programme.handle_consultation",
    "programme.view_consultationrequest",
    "programme.view_consultationslot",
    "programme.add_consultationslot",
    "programme.view_expert",
    "programme.add_expert",
    "programme.change_expert",
]


def _crud(app_label: str, *models_: str) -> list[str]:
    return [f"{app_label}.{a}_{m}" for m in models_ for a in ("view", "add", "change", "delete")]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.HAPPY_CALL: [
        *_ORGANISATION_VIEW,
        "surveys.make_calls",
        "surveys.view_happycall",
        "surveys.view_petition",
        "surveys.view_callattempt",
    ],
    Role.REPORT_OFFICER: [
        *_ORGANISATION_VIEW,
        *_REPORT_VIEW,
        "complaints.handle_report",
        "complaints.view_meritrecord",
        *_CONSULTATION_HANDLING,
    ],
    Role.DEPARTMENT_HEAD: [
        *_ORGANISATION_VIEW,
        *_REPORT_VIEW,
        "complaints.follow_up_report",
        # Their own department's initiative and training record (scoped in the views).
        "programme.view_initiative",
        "programme.add_initiative",
        "programme.change_initiative",
        "programme.view_trainingsession",
        "programme.view_trainingattendance",
    ],
    Role.BUREAU_HEAD: [
        *_ORGANISATION_VIEW,
        *_REPORT_VIEW,
        "programme.view_initiative",
        "programme.view_trainingsession",
        "programme.view_trainingattendance",
        "complaints.encourage_official",
        "complaints.view_encouragement",
    ],
    Role.MANAGER: [
        "view_all",
        "kindness.run_import",
        "kindness.add_importbatch",
        "kindness.change_importbatch",
        "scoring.compute_ranking",
        "scoring.publish_ranking",
        "scoring.add_period",
        "scoring.change_period",
        "scoring.add_ruleset",
        "scoring.change_ruleset",
        "programme.assess_initiative",
        "programme.manage_training",
        "programme.add_trainingsession",
        "programme.change_trainingsession",
        "programme.add_trainingattendance",
        "programme.delete_trainingattendance",
        "programme.add_handoutcase",
        "programme.delete_handoutcase",
        *_CONSULTATION_HANDLING,
    ],
    Role.AUDITOR: ["view_all"],
    # IT (SPEC section 1): users, organisation, API keys and programme settings only. No
    # report, petition, call or consultation, and no programme page: each of those needs a
    # programme role. The superuser flag grants this list and nothing more (kindness.auth).
    Role.ADMIN: [
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        *_crud("kindness", "bureau", "department", "team", "official", "officialassignment"),
        "kindness.view_accesslog",
        "kindness.view_programmesettings",
        "kindness.add_programmesettings",
        "kindness.change_programmesettings",
        "programme.view_expert",
        "programme.add_expert",
        "programme.change_expert",
        "complaints.view_apikey",
        "complaints.add_apikey",
        "complaints.change_apikey",
        *_crud("surveys", "questionnaire", "questionitem", "phonescorecard"),
    ],
}

# Roles that do programme work; the admin role is not one of them.
PROGRAMME_ROLES = frozenset(Role.values) - {Role.ADMIN}


def role_groups_resync(sender, **kwargs) -> None:
    """post_migrate receiver. Later migrations add models and so permissions: keep the role
    groups in step after every `migrate` (the first sync is the data migration 0002_roles)."""
    sync_role_groups()


def sync_role_groups(apps=None) -> None:
    """Create a group for each role and give it exactly the permissions of ROLE_PERMISSIONS.

    Safe to repeat. Takes the historical `apps` when called from a migration.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    programme = Permission.objects.filter(content_type__app_label__in=PROGRAMME_APPS)
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = set()
        for item in wanted:
            if item == "view_all":
                perms.update(programme.filter(codename__startswith="view_"))
            elif item == "all":
                perms.update(programme)
            else:
                app_label, codename = item.split(".", 1)
                perms.update(
                    Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )
        group.permissions.set(perms)


def roles_of(user) -> set[str]:
    """The role names of a user (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_kindness_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        # Roles are groups only: the superuser flag is no role (SPEC section 1).
        cached = {r for r in Role.values if r in names}
        user._kindness_roles = cached
    return cached


def has_role(user, *wanted: str) -> bool:
    return bool(roles_of(user) & set(wanted))


def has_programme_role(user) -> bool:
    """Whether the user holds a role that does programme work (any role but admin)."""
    return bool(roles_of(user) & PROGRAMME_ROLES)


@dataclass(frozen=True)
class Scope:
    """Whose data a user may see: the whole city, or a set of departments."""

    city_wide: bool = False
    department_ids: frozenset[int] = field(default_factory=frozenset)
    bureau_id: int | None = None
    department_id: int | None = None


def scope_of(user) -> Scope:
    """City-wide roles see everything; a department head sees the department of the official
    linked to the login, a bureau head that department's bureau. No link: nothing."""
    cached = getattr(user, "_kindness_scope", None)
    if cached is not None:
        return cached
    from kindness.models import Department

    user_roles = roles_of(user)
    if user_roles & CITY_WIDE:
        scope = Scope(city_wide=True)
    else:
        official = getattr(user, "official", None) if user.is_authenticated else None
        ids: set[int] = set()
        bureau_id = department_id = None
        if official is not None:
            if Role.DEPARTMENT_HEAD in user_roles:
                department_id = official.department_id
                ids.add(department_id)
            if Role.BUREAU_HEAD in user_roles:
                bureau_id = official.department.bureau_id
                ids.update(
                    Department.objects.filter(bureau_id=bureau_id).values_list("pk", flat=True)
                )
        scope = Scope(
            department_ids=frozenset(ids), bureau_id=bureau_id, department_id=department_id
        )
    if getattr(user, "is_authenticated", False):
        user._kindness_scope = scope
    return scope
