"""The organisation (SPEC section 2): bureaus, departments, teams, officials and their department
history, and the base of every event that keeps its department."""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kindness.fields import optional_key


class Bureau(models.Model):
    """실·국·본부: the top of the organisation. Known to the roster by its name."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")

    def __str__(self) -> str:
        return self.name


class ScopedQuerySet(models.QuerySet):
    """The roster's filters: the rows still in use, and the rows a staff member's scope
    covers (roles.scope_of). `department_field` is the lookup of a row's department."""

    department_field: str

    def active(self) -> Self:
        return self.filter(active=True)

    def visible_to(self, user) -> Self:
        """The rows a staff member may see: all for city-wide roles, else their own scope."""
        from kindness import roles

        scope = roles.scope_of(user)
        if scope.city_wide:
            return self
        return self.filter(**{f"{self.department_field}__in": scope.department_ids})


class DepartmentQuerySet(ScopedQuerySet):
    department_field = "pk"


class Department(models.Model):
    """과·사업소. Known to every import by its code; two departments may share a name."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="departments", verbose_name=_("bureau")
    )
    active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Team(models.Model):
    """팀 within a department; its name is unique only inside the department."""

    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="teams", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["department__code", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="team_unique_in_department")
        ]

    def __str__(self) -> str:
        return self.name


class EmploymentType(models.TextChoices):
    REGULAR = "regular", _("Regular")
    FIXED_TERM = "fixed-term", _("Fixed-term")
    SUPPORT = "support", _("Support staff")


class OfficialQuerySet(ScopedQuerySet):
    department_field = "department_id"


class Official(models.Model):
    """A civil servant who can be praised, reported, called and ranked."""

    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=20, choices=EmploymentType.choices
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="officials", verbose_name=_("department")
    )
    team = optional_key(Team, _("team"), on_delete=models.SET_NULL, related_name="officials")
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="official",
        verbose_name=_("login"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        indexes = [models.Index(fields=["department", "active"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_no})"

    def department_on(self, day: datetime.date) -> Department:
        """The department this official belonged to on `day` (falls back to the current one)."""
        # On the day of a transfer two stretches touch; the later one wins.
        assignment = (
            self.assignments.filter(
                models.Q(started_on__lte=day) | models.Q(started_on__isnull=True)
            )
            .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=day))
            .select_related("department")
            .order_by(models.F("started_on").desc(nulls_last=True), "-pk")
            .first()
        )
        return assignment.department if assignment else self.department


class OfficialAssignment(models.Model):
    """One stretch of an official's career in a department: the history behind transfers.

    Events (reports, calls, surveys) do not look their department up here: they store the
    department at the time of the event themselves (see DepartmentAtEvent), so nothing
    stored ever moves when an official transfers. This table answers "where was she then?"
    for events that arrive later than they happened, and shows the history in admin.
    """

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("official")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    team = optional_key(Team, _("team"), on_delete=models.SET_NULL)
    # Blank: the stretch began before the history was kept.
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["official", models.F("started_on").desc(nulls_last=True), "-pk"]
        verbose_name = _("department assignment")
        verbose_name_plural = _("department assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["official"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_assignment_per_official",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} → {self.department} ({self.started_on}–{self.ended_on or ''})"


class DepartmentAtEvent(models.Model):
    """Abstract base for every scored event: it keeps the department it belongs to *at the
    time of the event* (SPEC section 2), so history never moves when an official transfers.
    Set `department` from `official.department` (or `official.department_on(day)`) when the
    event is recorded or decided, never later."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_set",
        verbose_name=_("department at the time"),
    )

    class Meta:
        abstract = True
