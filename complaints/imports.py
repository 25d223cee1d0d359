"""`import_reports`: past praise and unkindness records migrated from the old system
(SPEC section 7).

Receipt numbers are kept as they are, and each year's sequence moves past the highest
imported number, so reports filed afterwards never take a migrated number. A receipt
number already stored with the same values is left alone (re-importing is a no-op); with
other values it is a row error: corrections are made in the web interface, where they are
audited. Imported reports carry no reporter data and count for the file's department
(SPEC section 5).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import MeritRecord, Report, ReportEvent
from kindness import numbering
from kindness.imports import DepartmentLookup, Importer, Row, Table, register, seoul_noon
from kindness.models import Department, Official, ProgrammeSettings

Status = Report.Status


# SPEC section 7: the first two statuses for both kinds, then those of each kind.
UNDECIDED = (Status.RECEIVED, Status.UNDER_REVIEW)
STATUSES_OF_KIND: dict[str, tuple[str, ...]] = {
    Report.Kind.PRAISE: (*UNDECIDED, Status.VERIFIED, Status.SHARED, Status.REJECTED),
    Report.Kind.UNKIND: (
        *UNDECIDED,
        Status.SUBSTANTIATED,
        Status.NOT_SUBSTANTIATED,
        Status.WITHDRAWN,
        Status.CLOSED,
    ),
}


@dataclass(frozen=True)
class ReportRow:
    receipt_no: str
    kind: str | None
    employee_no: str
    official: Official | None
    department: Department | None
    incident_on: dt.date | None
    status: str | None
    decided_on: dt.date | None
    text: str

    @property
    def year_and_number(self) -> tuple[int, int]:
        parsed = numbering.number_parse(self.receipt_no, prefix=numbering.RECEIPT)
        return parsed.year, parsed.number


@register
class ReportImporter(Importer):
    kind = "reports"
    label = gettext_lazy("Reports (past praise and unkindness records)")
    columns = (
        "receipt_no",
        "kind",
        "employee_no",
        "department",
        "incident_on",
        "status",
        "decided_on",
        "text",
    )
    unique_columns = ("receipt_no",)

    def prepare(self, table: Table) -> None:
        self.departments = DepartmentLookup()
        numbers = {values["employee_no"] for _line, values in table.rows if values["employee_no"]}
        self.officials = {
            o.employee_no: o for o in Official.objects.filter(employee_no__in=numbers)
        }
        parsed = (
            numbering.number_parse(values["receipt_no"], prefix=numbering.RECEIPT)
            for _line, values in table.rows
        )
        receipts = [str(number) for number in parsed if number is not None]
        self.stored = {
            r.receipt_no: r
            for r in Report.objects.filter(receipt_no__in=receipts).select_related(
                "official", "department"
            )
        }

    def clean(self, row: Row) -> ReportRow:
        receipt_no = row.text("receipt_no", required=True, max_length=20)
        if receipt_no:
            receipt_no = self._receipt_checked(row, receipt_no)
        kind = row.choice("kind", Report.Kind.values)
        allowed = STATUSES_OF_KIND.get(kind, Status.values)
        status = row.choice("status", allowed)
        decided_on = row.date("decided_on", required=status not in (None, *UNDECIDED))
        if status in UNDECIDED and decided_on is not None:
            row.error(
                "decided_on",
                _(
                    "A report that is received or under review has no decision date; leave it blank."
                ),
            )
        incident_on = row.date("incident_on")
        if incident_on and decided_on and decided_on < incident_on:
            row.error("decided_on", _("The decision date is before the incident date."))
        employee_no = row.text("employee_no", max_length=30)
        official = self.officials.get(employee_no) if employee_no else None
        if employee_no and official is None:
            row.error(
                "employee_no",
                _("No official has employee number %(no)s; import the roster first.")
                % {"no": employee_no},
            )
        item = ReportRow(
            receipt_no=receipt_no,
            kind=kind,
            employee_no=employee_no,
            official=official,
            department=self.departments.clean(row),
            incident_on=incident_on,
            status=status,
            decided_on=decided_on,
            text=row.text("text", required=True, max_length=4000, multiline=True),
        )
        if row.ok and item.receipt_no in self.stored:
            self._compare(row, item, self.stored[item.receipt_no])
        return item

    def _receipt_checked(self, row: Row, receipt_no: str) -> str:
        """The number in its stored, zero-padded form (SPEC section 7: `R-YYYY-N`, a year
        1900-2100 and not after this one, 1-6 digits), or "" after a row error."""
        parsed = numbering.number_parse(receipt_no, prefix=numbering.RECEIPT)
        if parsed is None:
            row.error(
                "receipt_no",
                _(
                    '"%(value)s" is not a receipt number like R-2025-000123 (a year from '
                    "1900 to 2100 and at most six digits)."
                )
                % {"value": receipt_no},
            )
            return ""
        if parsed.year > timezone.localdate().year:
            row.error(
                "receipt_no",
                _("%(value)s is not a possible receipt number.") % {"value": receipt_no},
            )
            return ""
        return str(parsed)

    def _compare(self, row: Row, item: ReportRow, stored: Report) -> None:
        """A known receipt number must come with the values stored under it."""
        stored_values = {
            "kind": stored.kind,
            "employee_no": stored.official.employee_no if stored.official else "",
            "department": stored.department.code,
            "incident_on": stored.incident_on,
            "status": stored.status,
            "decided_on": stored.decided_on,
            "text": stored.text,
        }
        file_values = {
            "kind": item.kind,
            "employee_no": item.employee_no,
            "department": item.department.code,
            "incident_on": item.incident_on,
            "status": item.status,
            "decided_on": item.decided_on,
            "text": item.text,
        }
        for column, value in stored_values.items():
            if file_values[column] != value:
                row.error(
                    column,
                    _(
                        '%(no)s is already stored with %(column)s "%(stored)s"; corrections '
                        "are made in the web interface, where they are audited."
                    )
                    % {
                        "no": item.receipt_no,
                        "column": column,
                        "stored": "" if value is None else value,
                    },
                )

    def write(self, cleaned: list[ReportRow]) -> dict[str, int]:
        new = [item for item in cleaned if item.receipt_no not in self.stored]
        for item in new:
            self.note(item, "created", item.receipt_no, detail=item.department.code)
        measure_days = dt.timedelta(days=ProgrammeSettings.load().measure_deadline_days)
        reports = [self._report(item, measure_days) for item in new]
        Report.objects.bulk_create(reports, batch_size=500)
        # Read back rather than rely on bulk_create setting primary keys on every backend.
        by_receipt = {
            r.receipt_no: r
            for r in Report.objects.filter(receipt_no__in=[item.receipt_no for item in new])
        }
        self._backdate_receipt(new, by_receipt)
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(
                    report=by_receipt[item.receipt_no],
                    action=ReportEvent.Action.IMPORTED,
                    to_status=item.status,
                    note=_("Migrated from the previous system."),
                )
                for item in new
            ],
            batch_size=500,
        )
        MeritRecord.objects.bulk_create(
            [
                self._merit(item, by_receipt[item.receipt_no])
                for item in new
                if item.official and item.status in (*Report.COUNTED_PRAISE, *Report.COUNTED_UNKIND)
            ],
            batch_size=500,
        )
        # SPEC section 7: each year's sequence moves past the highest imported number.
        highest: dict[int, int] = {}
        for item in cleaned:
            year, number = item.year_and_number
            highest[year] = max(highest.get(year, 0), number)
        for year, number in sorted(highest.items()):
            numbering.number_advance(prefix=numbering.RECEIPT, year=year, number=number)
        return {"created": len(new), "unchanged": len(cleaned) - len(new)}

    @staticmethod
    def _report(item: ReportRow, measure_days: dt.timedelta) -> Report:
        decided_at = seoul_noon(item.decided_on) if item.decided_on else None
        report = Report(
            receipt_no=item.receipt_no,
            kind=item.kind,
            status=item.status,
            source=Report.Source.IMPORT,
            department=item.department,
            official=item.official,
            official_name=item.official.name if item.official else "",
            incident_on=item.incident_on,
            # The old system did not record the channel: left blank rather than invented.
            channel="",
            text=item.text,
            decided_at=decided_at,
            decided_on=item.decided_on,
            # SPEC section 5: an imported report counts for the file's department.
            decided_department=item.department if item.decided_on else None,
            ended_at=decided_at if item.status in Report.ENDED else None,
        )
        if item.status == Status.SHARED:
            report.public_text = item.text
        if item.status == Status.SUBSTANTIATED:
            # Still open in the old system: the measure is due as for a case decided here.
            report.measure_due_on = item.decided_on + measure_days
        return report

    @staticmethod
    def _backdate_receipt(new: list[ReportRow], by_receipt: dict[str, Report]) -> None:
        """`created_at` is set on insert; give imported reports the day they were received
        as far as the file tells: the incident date, within the receipt number's year, never
        after the decision. One UPDATE per distinct day."""
        days: dict[dt.date, list[int]] = defaultdict(list)
        for item in new:
            year, _number = item.year_and_number
            day = max(item.incident_on, dt.date(year, 1, 1))
            if item.decided_on:
                day = min(day, item.decided_on)
            days[day].append(by_receipt[item.receipt_no].pk)
        for day, pks in days.items():
            Report.objects.filter(pk__in=pks).update(created_at=seoul_noon(day))

    @staticmethod
    def _merit(item: ReportRow, report: Report) -> MeritRecord:
        """The incentive or penalty the transition would have written (SPEC section 3)."""
        return MeritRecord(
            kind=MeritRecord.Kind.INCENTIVE
            if item.kind == Report.Kind.PRAISE
            else MeritRecord.Kind.PENALTY,
            official=item.official,
            report=report,
            department=item.department,
            on=item.decided_on,
        )
