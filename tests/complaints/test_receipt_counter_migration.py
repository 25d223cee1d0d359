"""Upgrading to the core's number sequences (migrations kindness 0007, complaints 0004):
the receipt counters of a database made before them move to prefix "R", and the
consultation numbers already given seed the "C" sequences, so no number is given twice."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from kindness.models import NumberSequence
from programme.consultations import services as consultations
from programme.models import ConsultationRequest

BEFORE = [("complaints", "0003_praise_board_index"), ("kindness", "0006_programme_records")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_upgrading_moves_each_years_last_receipt_number_to_the_core():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    Counter = old.get_model("complaints", "ReceiptCounter")
    Counter.objects.bulk_create([Counter(year=2025, last=260), Counter(year=2026, last=17)])
    try:
        migrate(latest)
        assert dict(NumberSequence.objects.filter(prefix="R").values_list("year", "last")) == {
            2025: 260,
            2026: 17,
        }
        assert "complaints_receiptcounter" not in connection.introspection.table_names()
    finally:
        migrate(latest)


@pytest.mark.django_db
def test_consultation_numbers_already_given_start_their_sequences():
    year = timezone.localdate().year
    first = consultations.consultation_request_submit(
        topic="퇴직금 계산",
        preferred_on=timezone.localdate() + dt.timedelta(days=1),
        name="홍길동",
        phone="010-1234-5678",
        email="",
    )
    ConsultationRequest.objects.filter(pk=first.pk).update(receipt_no=f"C-{year}-000041")
    NumberSequence.objects.filter(prefix="C").delete()
    migration = importlib.import_module("kindness.migrations.0008_number_sequence")

    migration.seed_consultation_sequences(global_apps, SimpleNamespace(connection=connection))

    assert NumberSequence.objects.get(prefix="C", year=year).last == 41
