"""A database made before the programme records had an app of their own upgrades with
`migrate`, keeping every row, content type, permission grant and admin entry (issue 13).

The test takes the test database back to the last `kindness` migration before the move (the
other apps stay at their migrations of that time), writes programme rows through the
historical models of that state, migrates forward and reads everything back. Runs on SQLite
and, with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kindness.models import AccessLog
from kindness.roles import Role
from programme import models as programme_models
from tests.factories import OfficialFactory, UserFactory

BEFORE_MOVE = [("kindness", "0006_programme_records")]

MOVED = [
    "Initiative",
    "InitiativeNote",
    "TrainingSession",
    "TrainingAttendance",
    "HandoutCase",
    "Expert",
    "ConsultationSlot",
    "ConsultationRequest",
]


def _migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


def _write_rows(old_apps, *, official, report, user) -> None:
    """One row of each moved model, written as the code before the move wrote them."""
    model = lambda name: old_apps.get_model("kindness", name)  # noqa: E731
    department_id = official.department_id
    initiative = model("Initiative").objects.create(
        department_id=department_id, year=2026, title="먼저 인사하기", outcome="민원 칭찬 4건"
    )
    model("InitiativeNote").objects.create(
        initiative=initiative, kind="progress", text="1분기 교육 완료", by_id=user.pk
    )
    session = model("TrainingSession").objects.create(
        kind="case_based",
        title="민원 응대 사례 교육",
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 2),
    )
    model("TrainingAttendance").objects.create(
        session=session,
        official_id=official.pk,
        department_id=department_id,
        employment_type="regular",
        completed=False,
    )
    model("HandoutCase").objects.create(session=session, report_id=report.pk, order=1)
    expert = model("Expert").objects.create(name="김전문", field="세무")
    starts = timezone.make_aware(dt.datetime(2026, 4, 1, 10))
    slot = model("ConsultationSlot").objects.create(
        expert=expert, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
    )
    model("ConsultationRequest").objects.create(
        receipt_no="C-2026-000001",
        topic="지방세 상담",
        preferred_on=dt.date(2026, 4, 1),
        name="홍길동",
        phone="010-1234-5678",
        status="confirmed",
        slot=slot,
        handler_id=user.pk,
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_upgrades_keeping_rows_permissions_and_history():
    executor = _migrate(BEFORE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_MOVE).apps
    assert not old_apps.is_installed("programme") or not old_apps.all_models["programme"]

    official, user = OfficialFactory(), UserFactory()
    manager = UserFactory()
    manager.groups.add(Group.objects.get(name=Role.MANAGER))
    # Written with the historical model: later migrations may add columns to reports.
    report = old_apps.get_model("complaints", "Report").objects.create(
        receipt_no="R-2026-000001",
        kind="unkind",
        department_id=official.department_id,
        incident_on=dt.date(2026, 1, 5),
        channel="visit",
        text="창구 직원이 불친절했습니다.",
    )
    _write_rows(old_apps, official=official, report=report, user=user)
    rows = {
        name: list(old_apps.get_model("kindness", name).objects.order_by("pk").values())
        for name in MOVED
    }
    old_types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(
            app_label="kindness", model__in=[n.lower() for n in MOVED]
        )
    }
    assert set(old_types) == {n.lower() for n in MOVED}
    permissions = dict(
        Permission.objects.filter(content_type__in=old_types.values()).values_list("codename", "pk")
    )
    assert "assess_initiative" in permissions and "handle_consultation" in permissions
    granted = {
        group.name: set(
            group.permissions.filter(content_type__in=old_types.values()).values_list(
                "pk", flat=True
            )
        )
        for group in Group.objects.all()
    }
    assert permissions["assess_initiative"] in granted[Role.MANAGER]
    LogEntry.objects.create(
        user=user,
        content_type_id=old_types["initiative"],
        object_id=str(rows["Initiative"][0]["id"]),
        object_repr="먼저 인사하기",
        action_flag=CHANGE,
    )
    AccessLog.objects.create(
        user=user,
        action="view",
        object_type="kindness.consultationrequest",
        object_id=str(rows["ConsultationRequest"][0]["id"]),
    )

    _migrate()

    for name in MOVED:
        model = getattr(programme_models, name)
        # Columns added since the move (a request's tracking secret and field) are read
        # apart: the rows keep every value they had.
        after = list(model.objects.order_by("pk").values())
        assert len(after) == len(rows[name]), name
        assert [{k: row[k] for k in before} for row, before in zip(after, rows[name])] == rows[
            name
        ], name
    # A request made before tracking has no secret: it cannot be followed online.
    assert programme_models.ConsultationRequest.objects.get().secret_hash == ""
    new_types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(
            app_label="programme", model__in=[n.lower() for n in MOVED]
        )
    }
    assert new_types == old_types
    assert not ContentType.objects.filter(
        app_label="kindness", model__in=[n.lower() for n in MOVED]
    ).exists()
    assert (
        dict(
            Permission.objects.filter(content_type__app_label="programme").values_list(
                "codename", "pk"
            )
        )
        == permissions
    )
    for group in Group.objects.all():
        kept = set(
            group.permissions.filter(content_type__app_label="programme").values_list(
                "pk", flat=True
            )
        )
        assert kept == granted[group.name], group.name
    manager = type(manager).objects.get(pk=manager.pk)
    assert manager.has_perm("programme.assess_initiative")
    assert manager.has_perm("programme.handle_consultation")
    entry = LogEntry.objects.get()
    assert entry.get_edited_object() == programme_models.Initiative.objects.get()
    assert AccessLog.objects.get().object_type == "programme.consultationrequest"
