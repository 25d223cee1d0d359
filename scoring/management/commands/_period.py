"""What the scoring commands share (a module whose name starts with "_" is no command)."""

from django.core.management.base import BaseCommand, CommandError

from scoring.services import ScoringError


class PeriodCommand(BaseCommand):
    """A command on one evaluation period, its code the first argument. A service's
    refusal (`ScoringError`) ends the command as a `CommandError` with the same message."""

    period_help = "period code, e.g. 2026-H1"

    def add_arguments(self, parser) -> None:
        parser.add_argument("period", help=self.period_help)

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ScoringError as error:
            raise CommandError(str(error)) from None


def add_run_argument(parser, *, required: bool = False) -> None:
    """The run's number within the period."""
    parser.add_argument("--run", type=int, required=required, help="run number")
