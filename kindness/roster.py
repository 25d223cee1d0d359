"""The roster import (SPEC sections 2 and 7): the organisation and its officials.

New bureaus (by name), departments (by code) and teams are created; a known department code
with a new name or bureau is updated; a known employee number with a new department is a
transfer, recorded in the official's assignment history (events already stored keep their
own department). Officials absent from the file are left as they are: a roster may cover
only part of the city, and leaving is marked with `active = N`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.imports import Importer, Row, RowError, Table, register
from kindness.models import Bureau, Department, EmploymentType, Official, OfficialAssignment, Team
from kindness.services import official_assignment_record
from kindness.validation import department_code_problem


@dataclass(frozen=True)
class RosterRow:
    """One official's line of a roster file: its columns, in the file's order."""

    employee_no: str
    name: str
    bureau: str
    department_code: str
    department: str
    team: str
    position: str
    employment_type: str
    phone: str
    active: bool


@register
class RosterImporter(Importer):
    kind = "roster"
    label = gettext_lazy("Roster (organisation and officials)")
    columns = tuple(f.name for f in fields(RosterRow))
    unique_columns = ("employee_no",)

    def clean(self, row: Row) -> RosterRow:
        cleaned = RosterRow(
            employee_no=row.text("employee_no", required=True, max_length=30),
            name=row.text("name", required=True, max_length=100),
            bureau=row.text("bureau", required=True, max_length=100),
            department_code=row.text("department_code", required=True, max_length=20),
            department=row.text("department", required=True, max_length=100),
            team=row.text("team", max_length=100),
            position=row.text("position", max_length=100),
            employment_type=row.choice("employment_type", EmploymentType.values) or "",
            phone=row.text("phone", max_length=30),
            active=bool(row.yes_no("active")),
        )
        # A code stored before the rule of SPEC section 7 keeps working (it is listed by a
        # system check); a new one must follow it.
        code = cleaned.department_code
        if code and code not in self.departments and (problem := department_code_problem(code)):
            row.error("department_code", problem)
        return cleaned

    def check(self, cleaned: list[tuple[int, RosterRow]], errors: list[RowError]) -> None:
        super().check(cleaned, errors)
        # One department code must mean one department throughout the file.
        seen: dict[str, tuple[int, RosterRow]] = {}
        for line, item in cleaned:
            if not item.department_code:
                continue  # already reported as missing by the row itself
            first = seen.setdefault(item.department_code, (line, item))
            first_line, first_item = first
            if first_line == line:
                continue
            for column in ("department", "bureau"):
                if getattr(item, column) != getattr(first_item, column):
                    errors.append(
                        RowError(
                            line,
                            column,
                            _(
                                'Department code %(code)s has "%(this)s" here but '
                                '"%(first)s" on line %(line)s.'
                            )
                            % {
                                "code": item.department_code,
                                "this": getattr(item, column),
                                "first": getattr(first_item, column),
                                "line": first_line,
                            },
                        )
                    )

    def prepare(self, table: Table) -> None:
        self.bureaus = {b.name: b for b in Bureau.objects.all()}
        self.departments = {d.code: d for d in Department.objects.select_related("bureau")}
        self.department_codes = {d.pk: code for code, d in self.departments.items()}
        self.teams = {(t.department_id, t.name): t for t in Team.objects.all()}
        numbers = [values["employee_no"] for _line, values in table.rows]
        self.officials = {
            o.employee_no: o for o in Official.objects.filter(employee_no__in=numbers)
        }

    def write(self, cleaned: list[RosterRow]) -> dict[str, int]:
        counts = dict.fromkeys(
            (
                "created",
                "updated",
                "transferred",
                "unchanged",
                "bureaus_created",
                "departments_created",
                "departments_updated",
                "teams_created",
            ),
            0,
        )
        today = timezone.localdate()
        for item in cleaned:
            self._write_organisation(item, counts)
        new_officials = []
        for item in cleaned:
            department = self.departments[item.department_code]
            team = self.teams.get((department.pk, item.team)) if item.team else None
            fields = {
                "name": item.name,
                "position": item.position,
                "employment_type": item.employment_type,
                "department": department,
                "team": team,
                "phone": item.phone,
                "active": item.active,
            }
            official = self.officials.get(item.employee_no)
            if official is None:
                new_officials.append(Official(employee_no=item.employee_no, **fields))
                self.note(item, "created", item.employee_no, name=item.name, detail=department.code)
                continue
            # Compare foreign keys by id: loading each official's department would cost a
            # query per row.
            current = {
                **{
                    name: getattr(official, name)
                    for name in fields
                    if name not in ("department", "team")
                },
                "department": official.department_id,
                "team": official.team_id,
            }
            wanted = {**fields, "department": department.pk, "team": team.pk if team else None}
            changed = [name for name in fields if current[name] != wanted[name]]
            if not changed:
                counts["unchanged"] += 1
                continue
            self._note_official(item, official, changed)
            if {"department", "team"} & set(changed):
                if "department" in changed:
                    counts["transferred"] += 1
                official_assignment_record(
                    official=official,
                    department=department,
                    team=team,
                    on=today,
                    previous_department_id=official.department_id,
                )
            for name in changed:
                setattr(official, name, fields[name])
            official.save(update_fields=[*changed, "updated_at"])
            counts["updated"] += 1
        created = Official.objects.bulk_create(new_officials, batch_size=1000)
        counts["created"] = len(created)
        if created and created[0].pk is None:
            # Backends without RETURNING ids on bulk insert: read them back.
            by_no = dict(
                Official.objects.filter(
                    employee_no__in=[o.employee_no for o in created]
                ).values_list("employee_no", "pk")
            )
            for official in created:
                official.pk = by_no[official.employee_no]
        assignments = [
            OfficialAssignment(official=o, department=o.department, team=o.team, started_on=today)
            for o in created
        ]
        OfficialAssignment.objects.bulk_create(assignments, batch_size=1000)
        return counts

    def _note_official(self, item: RosterRow, official: Official, changed: list[str]) -> None:
        """One line for the preview: a transfer first, then a new name, else an update;
        the detail names every changed column (values only for department and name)."""
        parts = []
        if "department" in changed:
            old = self.department_codes.get(official.department_id, "")
            parts.append(f"department_code: {old} → {item.department_code}")
        if "name" in changed:
            parts.append(f"name: {official.name} → {item.name}")
        parts += [name for name in changed if name not in ("department", "name")]
        change = (
            "transferred"
            if "department" in changed
            else "renamed"
            if "name" in changed
            else "updated"
        )
        self.note(item, change, item.employee_no, name=item.name, detail="; ".join(parts))

    def _write_organisation(self, item: RosterRow, counts: dict[str, int]) -> None:
        bureau = self.bureaus.get(item.bureau)
        if bureau is None:
            bureau = self.bureaus[item.bureau] = Bureau.objects.create(name=item.bureau)
            counts["bureaus_created"] += 1
            self.note(item, "bureau_created", item.bureau, name=item.bureau)
        department = self.departments.get(item.department_code)
        if department is None:
            department = Department.objects.create(
                code=item.department_code, name=item.department, bureau=bureau
            )
            self.departments[item.department_code] = department
            counts["departments_created"] += 1
            self.note(item, "department_created", item.department_code, name=item.department)
        elif department.name != item.department or department.bureau_id != bureau.pk:
            detail = []
            if department.name != item.department:
                detail.append(f"department: {department.name} → {item.department}")
            if department.bureau_id != bureau.pk:
                detail.append(f"bureau: {department.bureau.name} → {bureau.name}")
            department.name = item.department
            department.bureau = bureau
            department.save(update_fields=["name", "bureau"])
            counts["departments_updated"] += 1
            self.note(
                item,
                "department_updated",
                item.department_code,
                name=item.department,
                detail="; ".join(detail),
            )
        if item.team and (department.pk, item.team) not in self.teams:
            self.teams[(department.pk, item.team)] = Team.objects.create(
                department=department, name=item.team
            )
            counts["teams_created"] += 1
            self.note(item, "team_created", item.team, name=department.name)
