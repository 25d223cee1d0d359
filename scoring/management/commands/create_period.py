import datetime

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from scoring.management.commands._period import PeriodCommand
from scoring.services import period_create


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None


class Command(PeriodCommand):
    help = (
        "Create an evaluation period with the current rule set. PERIOD is 2026-H1 (Jan 1 - Jun 30), "
        "2026-H2 (Jul 1 - Dec 31, deductions over the whole year) or 2026 (the year); "
        "other codes are custom periods and need --start and --end."
    )

    period_help = "period code"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--start", help="first day (YYYY-MM-DD)")
        parser.add_argument("--end", help="last day (YYYY-MM-DD)")
        parser.add_argument("--deduction-start", help="first day of the deduction window")
        parser.add_argument("--deduction-end", help="last day of the deduction window")

    def handle(
        self,
        *args,
        period: str,
        start=None,
        end=None,
        deduction_start=None,
        deduction_end=None,
        **options,
    ) -> None:
        created = period_create(
            code=period,
            starts_on=_date(start) if start else None,
            ends_on=_date(end) if end else None,
            deduction_starts_on=_date(deduction_start) if deduction_start else None,
            deduction_ends_on=_date(deduction_end) if deduction_end else None,
        )
        window = (
            f"{created.deduction_starts_on} – {created.deduction_ends_on}"
            if created.has_deduction_window
            else _("none")
        )
        self.stdout.write(
            _(
                "Created period %(code)s (%(kind)s): %(start)s – %(end)s, deduction window %(window)s, rules v%(version)s."
            )
            % {
                "code": created.code,
                "kind": created.get_kind_display(),
                "start": created.starts_on,
                "end": created.ends_on,
                "window": window,
                "version": created.rule_set.version,
            }
        )
