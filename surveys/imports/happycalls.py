"""`import_happycalls` (SPEC sections 4 and 7): answered satisfaction calls of petitions.

One happy-call per petition: a queued call the file answers is completed, not duplicated.
A known call id with other values is a row error. Flags open received reports in the
report centre, as the call desk does (surveys.flags)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindness.imports import SUMMARY_LABELS, Importer, Row, RowError, Table, register, seoul_noon
from surveys import rules
from surveys.flags import happy_call_raise_reports
from surveys.imports.common import compare_stored
from surveys.models import HappyCall, HappyCallAnswer, Petition, Questionnaire, SurveyLink

SUMMARY_LABELS.update(
    {
        "completed": gettext_lazy("queued happy-calls completed"),
        "reports_raised": gettext_lazy("reports raised from kindness and unkindness flags"),
    }
)

HAPPY_CALL_QUESTIONNAIRE = "happy-call"
HAPPY_CALL_ITEMS = ("speed", "clarity", "kindness", "result", "overall")


@dataclass(frozen=True)
class HappyCallRow:
    call_id: str
    petition_no: str
    petition: Petition | None
    answered_on: dt.date | None
    answers: dict[str, int | None]
    voc: str
    kind_case: bool | None
    unkind_case: bool | None
    mode: str = HappyCall.Mode.PHONE

    def values(self) -> dict[str, Any]:
        """The file's values by column, as compared with a stored call."""
        return {
            "petition_no": self.petition_no,
            "answered_on": self.answered_on,
            **self.answers,
            "voc": self.voc,
            "kind_case": self.kind_case,
            "unkind_case": self.unkind_case,
            "mode": self.mode,
        }


# What an imported answer sets on its call; the values come from `_call_values`.
CALL_FIELDS = [
    "call_id",
    "status",
    "closed_at",
    "department",
    "official",
    "questionnaire",
    "answered_on",
    "response_score",
    "kindness_answer",
    "voc",
    "kind_case",
    "unkind_case",
    "mode",
    "updated_at",
]


@register
class HappyCallImporter(Importer):
    kind = "happycalls"
    label = gettext_lazy("Happy-calls (answered satisfaction calls)")
    columns = (
        "call_id",
        "petition_no",
        "answered_on",
        *HAPPY_CALL_ITEMS,
        "voc",
        "kind_case",
        "unkind_case",
    )
    optional_columns = ("mode",)  # phone or web; blank: phone (SPEC section 7)
    unique_columns = ("call_id", "petition_no")

    def prepare(self, table: Table) -> None:
        numbers = {values["petition_no"] for _line, values in table.rows}
        self.petitions = {
            p.petition_no: p for p in Petition.objects.filter(petition_no__in=numbers)
        }
        # The calls already made for these petitions, locked until the import commits, so a
        # call desk completing one of them at the same moment waits and then finds it done.
        self.by_petition = {
            c.petition_id: c
            for c in HappyCall.objects.select_for_update().filter(
                petition_id__in=[p.pk for p in self.petitions.values()]
            )
        }
        ids = [values["call_id"] for _line, values in table.rows]
        self.stored = {
            c.call_id: c
            for c in HappyCall.objects.filter(call_id__in=ids)
            .select_related("petition")
            .prefetch_related("answers__item")
        }
        self.questionnaire = (
            Questionnaire.objects.filter(code=HAPPY_CALL_QUESTIONNAIRE, active=True)
            .order_by("-version")
            .first()
        )
        self.items = (
            {i.key: i for i in self.questionnaire.items.all()} if self.questionnaire else {}
        )

    def clean(self, row: Row) -> HappyCallRow:
        call_id = row.text("call_id", required=True, max_length=40)
        petition_no = row.text("petition_no", required=True, max_length=40)
        petition = self.petitions.get(petition_no)
        if petition_no and petition is None:
            row.error(
                "petition_no",
                _("No petition has number %(no)s; import the petitions first.")
                % {"no": petition_no},
            )
        answered_on = row.date("answered_on")
        if petition and answered_on and answered_on < petition.completed_on:
            row.error(
                "answered_on",
                _("The survey was answered before the petition was completed (%(date)s).")
                % {"date": petition.completed_on.isoformat()},
            )
        item = HappyCallRow(
            call_id=call_id,
            petition_no=petition_no,
            petition=petition,
            answered_on=answered_on,
            answers={key: row.rating(key) for key in HAPPY_CALL_ITEMS},
            voc=row.text("voc", max_length=4000, multiline=True),
            kind_case=row.yes_no("kind_case"),
            unkind_case=row.yes_no("unkind_case"),
            mode=row.choice("mode", HappyCall.Mode.values, required=False) or HappyCall.Mode.PHONE,
        )
        if not row.ok:
            return item
        stored = self.stored.get(call_id)
        if stored is not None:
            compare_stored(row, call_id, self._stored_values(stored), item.values())
            return item
        other = self.by_petition.get(petition.pk)
        if other is not None and other.call_id:
            row.error(
                "petition_no",
                _("Petition %(no)s already has happy-call %(call)s; a petition has one.")
                % {"no": petition_no, "call": other.call_id},
            )
        elif other is not None and other.status == HappyCall.Status.COMPLETED:
            row.error(
                "petition_no",
                _("The happy-call of petition %(no)s was already entered at the call desk.")
                % {"no": petition_no},
            )
        return item

    @staticmethod
    def _stored_values(call: HappyCall) -> dict[str, Any]:
        answers = {a.item.key: a.value for a in call.answers.all()}
        return {
            "petition_no": call.petition.petition_no,
            "answered_on": call.answered_on,
            **{key: answers.get(key) for key in HAPPY_CALL_ITEMS},
            "voc": call.voc,
            "kind_case": call.kind_case,
            "unkind_case": call.unkind_case,
            "mode": call.mode,
        }

    def check(self, cleaned: list[tuple[int, HappyCallRow]], errors: list[RowError]) -> None:
        super().check(cleaned, errors)
        missing = [key for key in HAPPY_CALL_ITEMS if key not in self.items]
        if missing:
            errors.append(
                RowError(
                    0,
                    "",
                    _(
                        "The happy-call questionnaire in use has no item %(keys)s; the file's "
                        "answers cannot be stored."
                    )
                    % {"keys": ", ".join(missing)},
                )
            )

    def write(self, cleaned: list[HappyCallRow]) -> dict[str, int]:
        new = [item for item in cleaned if item.call_id not in self.stored]
        created, completed = [], []
        for item in new:
            values = self._call_values(item)
            call = self.by_petition.get(item.petition.pk)
            self.note(
                item,
                "created" if call is None else "completed",
                item.call_id,
                detail=item.petition_no,
            )
            if call is None:
                created.append(HappyCall(petition=item.petition, **values))
                continue
            # A call the queue made and nobody finished: the file's answer completes it.
            for name, value in values.items():
                setattr(call, name, value)
            completed.append(call)
        HappyCall.objects.bulk_create(created, batch_size=1000)
        if completed:
            HappyCall.objects.bulk_update(completed, fields=CALL_FIELDS, batch_size=500)
            # An answer imported closes any survey link still out (SPEC section 4).
            SurveyLink.objects.filter(
                call__in=completed,
                status__in=[SurveyLink.Status.PENDING, SurveyLink.Status.OPEN],
            ).update(status=SurveyLink.Status.CLOSED, closed_at=timezone.now())
        # Read back rather than rely on bulk_create setting primary keys on every backend.
        calls = dict(
            HappyCall.objects.filter(call_id__in=[item.call_id for item in new]).values_list(
                "call_id", "pk"
            )
        )
        HappyCallAnswer.objects.filter(call_id__in=[c.pk for c in completed]).delete()
        HappyCallAnswer.objects.bulk_create(
            [
                HappyCallAnswer(
                    call_id=calls[item.call_id],
                    item=self.items[key],
                    value=item.answers.get(key),
                )
                for item in new
                for key in self.items
            ],
            batch_size=2000,
        )
        raised = 0
        for item in new:
            if item.kind_case or item.unkind_case:
                call = HappyCall(pk=calls[item.call_id])
                raised += len(happy_call_raise_reports(call=call))
        return {
            "created": len(created),
            "completed": len(completed),
            "unchanged": len(cleaned) - len(new),
            "reports_raised": raised,
        }

    def _call_values(self, item: HappyCallRow) -> dict[str, Any]:
        """The fields an imported answer sets on its call (the names of CALL_FIELDS)."""
        petition = item.petition
        return {
            "call_id": item.call_id,
            "status": HappyCall.Status.COMPLETED,
            "closed_at": seoul_noon(item.answered_on),
            # SPEC section 5: a happy-call counts for its petition's handling department
            # and, for individuals, its handling official.
            "department_id": petition.department_id,
            "official_id": petition.official_id,
            "questionnaire": self.questionnaire,
            "answered_on": item.answered_on,
            "response_score": rules.response_score(item.answers.values()),
            "kindness_answer": item.answers["kindness"],
            "voc": item.voc,
            "kind_case": item.kind_case,
            "unkind_case": item.unkind_case,
            "mode": item.mode,
            "updated_at": timezone.now(),
        }
