"""`import_petitions` (SPEC sections 4 and 7): handled civil petitions from the city's
petition system. Like the roster, a known petition number with other values updates the
petition; the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.imports import DepartmentLookup, Importer, Row, Table, register
from kindness.models import Department, Official
from surveys.imports.common import OfficialsByNumber
from surveys.models import Channel, HappyCall, Petition


@dataclass(frozen=True)
class PetitionRow:
    petition_no: str
    title: str
    department: Department | None
    official: Official | None
    petitioner_name: str
    petitioner_phone: str
    received_on: dt.date | None
    completed_on: dt.date | None
    channel: str | None
    petitioner_email: str | None = None  # None: the file has no such column

    def values(self) -> dict[str, Any]:
        """The petition's fields as stored (foreign keys by id)."""
        email = {} if self.petitioner_email is None else {"petitioner_email": self.petitioner_email}
        return email | {
            "title": self.title,
            "department_id": self.department.pk,
            "official_id": self.official.pk if self.official else None,
            "petitioner_name": self.petitioner_name,
            "petitioner_phone": self.petitioner_phone,
            "received_on": self.received_on,
            "completed_on": self.completed_on,
            "channel": self.channel,
        }


PETITION_FIELDS = [
    "title",
    "department",
    "official",
    "petitioner_name",
    "petitioner_phone",
    "received_on",
    "completed_on",
    "channel",
    "petitioner_email",
]


def petition_new(item: PetitionRow) -> Petition:
    """The unsaved petition of a valid row; the importer and the demo city write through it."""
    return Petition(petition_no=item.petition_no, **item.values())


@register
class PetitionImporter(Importer):
    kind = "petitions"
    label = gettext_lazy("Petitions (handled civil petitions)")
    columns = (
        "petition_no",
        "title",
        "department",
        "official_employee_no",
        "petitioner_name",
        "petitioner_phone",
        "received_on",
        "completed_on",
        "channel",
    )
    optional_columns = ("petitioner_email",)
    unique_columns = ("petition_no",)

    def prepare(self, table: Table) -> None:
        self.has_email = "petitioner_email" in table.headers
        self.departments = DepartmentLookup()
        self.officials = OfficialsByNumber(table, "official_employee_no")
        numbers = [values["petition_no"] for _line, values in table.rows]
        self.stored = {p.petition_no: p for p in Petition.objects.filter(petition_no__in=numbers)}

    def clean(self, row: Row) -> PetitionRow:
        received_on = row.date("received_on")
        completed_on = row.date("completed_on")
        if received_on and completed_on and completed_on < received_on:
            row.error(
                "completed_on",
                _("The petition was completed before it was received (%(date)s).")
                % {"date": received_on.isoformat()},
            )
        return PetitionRow(
            petition_no=row.text("petition_no", required=True, max_length=40),
            title=row.text("title", required=True, max_length=300),
            department=self.departments.clean(row),
            official=self.officials.clean(row, "official_employee_no"),
            petitioner_name=row.text("petitioner_name", max_length=100),
            petitioner_phone=row.text("petitioner_phone", max_length=30),
            received_on=received_on,
            completed_on=completed_on,
            channel=row.choice("channel", Channel.values),
            petitioner_email=self._email(row) if self.has_email else None,
        )

    @staticmethod
    def _email(row: Row) -> str:
        value = row.text("petitioner_email", max_length=254)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                row.error(
                    "petitioner_email",
                    _('"%(value)s" is not an e-mail address.') % {"value": value},
                )
        return value

    def write(self, cleaned: list[PetitionRow]) -> dict[str, int]:
        new, changed, moved = [], [], []
        for item in cleaned:
            wanted = item.values()
            petition = self.stored.get(item.petition_no)
            if petition is None:
                new.append(petition_new(item))
                self.note(item, "created", item.petition_no, detail=item.department.code)
                continue
            if petition.erased_at is not None:
                # Erased (SPEC section 8): a re-import leaves it as it is.
                continue
            differs = [name for name, value in wanted.items() if getattr(petition, name) != value]
            if not differs:
                continue
            # The preview names the changed columns; petitioners' data is not repeated there.
            self.note(
                item,
                "transferred" if {"department_id", "official_id"} & set(differs) else "updated",
                item.petition_no,
                detail=", ".join(name.removesuffix("_id") for name in differs),
            )
            if {"department_id", "official_id"} & set(differs):
                moved.append(petition)
            for name in differs:
                setattr(petition, name, wanted[name])
            changed.append(petition)
        Petition.objects.bulk_create(new, batch_size=1000)
        if changed:
            Petition.objects.bulk_update(changed, fields=PETITION_FIELDS, batch_size=500)
        # SPEC section 5: a happy-call counts for its petition's handling department and
        # official, so a corrected petition carries its call with it. Reports already raised
        # from the call are cases of their own and keep what they were filed with.
        for petition in moved:
            HappyCall.objects.filter(petition=petition).update(
                department_id=petition.department_id, official_id=petition.official_id
            )
        return {
            "created": len(new),
            "updated": len(changed),
            "unchanged": len(cleaned) - len(new) - len(changed),
        }
