from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from scoring import exports
from scoring.management.commands._period import PeriodCommand, add_run_argument
from scoring.services import period_get, run_get, run_latest_completed


class Command(PeriodCommand):
    help = (
        "Write a ranking run of PERIOD as CSV (standard output or --output) or XLSX (--output "
        "required). Without --run: the period's latest completed run, published or not."
    )

    period_help = "period code"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        add_run_argument(parser)
        parser.add_argument("--output", help="file to write")

    def handle(self, *args, period: str, format: str, run=None, output=None, **options) -> None:
        target = period_get(period)
        if run is None:
            chosen = run_latest_completed(target)
        else:
            chosen = run_get(period=target, number=run)
        if chosen is None:
            raise CommandError(_("Period %(code)s has no computed run yet.") % {"code": period})
        if not chosen.is_done:
            raise CommandError(
                _("Run #%(number)s of %(code)s is %(status)s; only a computed run can be exported.")
                % {"number": run, "code": period, "status": chosen.get_status_display()}
            )
        if format == "xlsx":
            if not output:
                raise CommandError(_("--output is required for XLSX."))
            data = exports.to_xlsx(chosen)
        else:
            text = exports.to_csv(chosen)
            if not output:
                self.stdout.write(text, ending="")
                return
            data = text.encode("utf-8")
        try:
            with open(output, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc.strerror}
            ) from None
