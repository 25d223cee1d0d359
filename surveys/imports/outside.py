"""`import_visit_surveys` and `import_phone_surveys` (SPEC sections 4 and 7): the outside
agency's visitor-reception and telephone (mystery-call) surveys. Survey rows are facts: a
known id with the same values is left alone, with other values it is a row error, since
corrections are made in the web interface, where they are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.imports import SEOUL, DepartmentLookup, Importer, Row, RowError, Table, register
from kindness.models import Department, Official
from surveys import rules
from surveys.imports.common import OfficialsByNumber, compare_stored
from surveys.models import PhoneScorecard, PhoneSurvey, VisitSurvey


@dataclass(frozen=True)
class VisitRow:
    survey_id: str
    department: Department | None
    surveyed_on: dt.date | None
    greeting: int | None
    attitude: int | None
    explanation: int | None
    waiting: int | None
    overall: int | None

    def answers(self) -> list[int | None]:
        return [getattr(self, item) for item in VisitSurvey.ITEMS]


def visit_survey_new(item: VisitRow) -> VisitSurvey:
    """The unsaved visitor-reception survey of a valid row, with its response score; the
    importer and the demo city both write through it."""
    return VisitSurvey(
        survey_id=item.survey_id,
        department=item.department,
        surveyed_on=item.surveyed_on,
        **{column: getattr(item, column) for column in VisitSurvey.ITEMS},
        response_score=rules.response_score(item.answers()),
    )


@register
class VisitSurveyImporter(Importer):
    kind = "visit_surveys"
    label = gettext_lazy("Visitor-reception surveys")
    columns = ("survey_id", "department", "surveyed_on", *VisitSurvey.ITEMS)
    unique_columns = ("survey_id",)

    def prepare(self, table: Table) -> None:
        self.departments = DepartmentLookup()
        ids = [values["survey_id"] for _line, values in table.rows]
        self.stored = {
            s.survey_id: s
            for s in VisitSurvey.objects.filter(survey_id__in=ids).select_related("department")
        }

    def clean(self, row: Row) -> VisitRow:
        item = VisitRow(
            survey_id=row.text("survey_id", required=True, max_length=40),
            department=self.departments.clean(row),
            surveyed_on=row.date("surveyed_on"),
            **{column: row.rating(column) for column in VisitSurvey.ITEMS},
        )
        stored = self.stored.get(item.survey_id)
        if row.ok and stored is not None:
            columns = ("department", "surveyed_on", *VisitSurvey.ITEMS)
            compare_stored(
                row,
                item.survey_id,
                {c: getattr(stored, c) for c in columns},
                {c: getattr(item, c) for c in columns},
            )
        return item

    def write(self, cleaned: list[VisitRow]) -> dict[str, int]:
        new = [visit_survey_new(item) for item in cleaned if item.survey_id not in self.stored]
        for item in cleaned:
            if item.survey_id not in self.stored:
                self.note(item, "created", item.survey_id, detail=item.department.code)
        VisitSurvey.objects.bulk_create(new, batch_size=1000)
        return {"created": len(new), "unchanged": len(cleaned) - len(new)}


# ---------------------------------------------------------------------------- telephone surveys

# What was measured on an answered call; all blank when nobody answered.
PHONE_MEASURES = rules.PHONE_MEASURES
# File column -> field, of what a known call id must repeat.
PHONE_COMPARED = {
    "target_employee_no": "target",
    "answered_by_employee_no": "answered_by",
    "called_at": "called_at",
    **{name: name for name in PHONE_MEASURES},
}
# Field limits of the model, so an absurd number is a row error, not a database error.
SMALL_MAX = 32767
LONGEST_CALL_S = 24 * 60 * 60


@dataclass(frozen=True)
class PhoneRow(rules.PhoneMeasures):
    """One telephone survey call: who was called, who answered, when, and the measures
    (keyword-only). The demo city plans its calls as these rows too."""

    call_id: str
    target: Official | None
    answered_by: Official | None
    called_at: dt.datetime | None

    @property
    def answered(self) -> bool:
        return self.answered_by is not None

    def call(self) -> rules.PhoneCall:
        return rules.PhoneCall(
            answered=self.answered, **{name: getattr(self, name) for name in PHONE_MEASURES}
        )


def scorecard_rules(card: PhoneScorecard) -> rules.Scorecard:
    """The pure rules' scorecard with the points and limits stored on the model."""
    return rules.Scorecard(**{f.name: getattr(card, f.name) for f in fields(rules.Scorecard)})


def phone_survey_new(
    item: PhoneRow, *, scorecard: PhoneScorecard, card: rules.Scorecard
) -> PhoneSurvey:
    """The unsaved telephone survey of a valid row, scored with `scorecard` (`card`: its pure
    rules, see scorecard_rules); the importer and the demo city both write through it."""
    outcome = rules.phone_outcome(
        target=item.target.pk,
        answered_by=item.answered_by.pk if item.answered_by else None,
        call=item.call(),
        card=card,
    )
    return PhoneSurvey(
        call_id=item.call_id,
        target=item.target,
        answered_by=item.answered_by,
        # SPEC section 5: an imported call counts for its target's department when
        # imported; a later transfer does not move it.
        department_id=item.target.department_id,
        called_at=item.called_at,
        called_on=item.called_at.astimezone(SEOUL).date(),
        **{name: getattr(item, name) for name in PHONE_MEASURES},
        scorecard=scorecard,
        **asdict(outcome),
    )


@register
class PhoneSurveyImporter(Importer):
    kind = "phone_surveys"
    label = gettext_lazy("Telephone (mystery-call) surveys")
    columns = (
        "call_id",
        "target_employee_no",
        "answered_by_employee_no",
        "called_at",
        *PHONE_MEASURES,
    )
    unique_columns = ("call_id",)

    def prepare(self, table: Table) -> None:
        self.officials = OfficialsByNumber(table, "target_employee_no", "answered_by_employee_no")
        ids = [values["call_id"] for _line, values in table.rows]
        self.stored = {
            s.call_id: s
            for s in PhoneSurvey.objects.filter(call_id__in=ids).select_related(
                "target", "answered_by"
            )
        }
        self.scorecard = PhoneScorecard.objects.filter(active=True).order_by("-version").first()

    def clean(self, row: Row) -> PhoneRow:
        call_id = row.text("call_id", required=True, max_length=40)
        target = self.officials.clean(row, "target_employee_no", required=True)
        answered = bool(row.values["answered_by_employee_no"])
        answered_by = self.officials.clean(row, "answered_by_employee_no")
        called_at = row.datetime("called_at")
        if answered:
            measures = {
                "rings": row.integer("rings", minimum=0, maximum=SMALL_MAX),
                "duration_s": row.integer("duration_s", minimum=0, maximum=LONGEST_CALL_S),
                "hangup_wait_s": row.integer("hangup_wait_s", minimum=0, maximum=SMALL_MAX),
                "greeting_with_name": row.yes_no("greeting_with_name"),
                "tone": row.rating("tone", required=True),
                "accuracy": row.rating("accuracy", required=True),
                "closing_greeting": row.yes_no("closing_greeting"),
            }
        else:
            measures = {}
            for column in PHONE_MEASURES:
                if row.values[column]:
                    row.error(
                        column,
                        _(
                            "Nobody answered this call (answered_by_employee_no is blank), "
                            "so this must be blank."
                        ),
                    )
        item = PhoneRow(
            call_id=call_id,
            target=target,
            answered_by=answered_by,
            called_at=called_at,
            **measures,
        )
        stored = self.stored.get(call_id)
        if row.ok and stored is not None:
            compare_stored(
                row,
                call_id,
                {column: getattr(stored, name) for column, name in PHONE_COMPARED.items()},
                {column: getattr(item, name) for column, name in PHONE_COMPARED.items()},
            )
        return item

    def check(self, cleaned: list[tuple[int, PhoneRow]], errors: list[RowError]) -> None:
        super().check(cleaned, errors)
        if self.scorecard is None:
            errors.append(
                RowError(
                    0,
                    "",
                    _("No telephone scorecard is in use; activate one in the admin first."),
                )
            )

    def write(self, cleaned: list[PhoneRow]) -> dict[str, int]:
        card = scorecard_rules(self.scorecard)
        new = [
            phone_survey_new(item, scorecard=self.scorecard, card=card)
            for item in cleaned
            if item.call_id not in self.stored
        ]
        for item in cleaned:
            if item.call_id not in self.stored:
                self.note(item, "created", item.call_id, detail=item.target.employee_no)
        PhoneSurvey.objects.bulk_create(new, batch_size=1000)
        return {"created": len(new), "unchanged": len(cleaned) - len(new)}
