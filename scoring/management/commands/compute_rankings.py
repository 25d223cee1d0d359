from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import RankingRun
from scoring.services import ScoringError, period_get, run_execute, run_request


class Command(BaseCommand):
    help = "Compute a ranking run for PERIOD: in the Celery worker, or here with --sync."

    def add_arguments(self, parser) -> None:
        parser.add_argument("period", help="period code, e.g. 2026-H1")
        parser.add_argument(
            "--sync", action="store_true", help="compute here instead of in the worker"
        )

    def handle(self, *args, period: str, sync: bool, **options) -> None:
        try:
            target = period_get(period)
            if sync:
                # Create the run without sending it, then compute it in this process.
                with transaction.atomic():
                    run = run_request(period=target, trigger=RankingRun.Trigger.COMMAND, send=False)
                run = run_execute(run.pk)
            else:
                run = run_request(period=target, trigger=RankingRun.Trigger.COMMAND)
                run.refresh_from_db()
        except ScoringError as error:
            raise CommandError(str(error)) from None
        if run.status == RankingRun.Status.FAILED:
            raise CommandError(
                _("Run #%(number)s of %(code)s failed: %(error)s")
                % {"number": run.number, "code": run.period.code, "error": run.error}
            )
        if not run.is_done:
            self.stdout.write(
                _(
                    "Run #%(number)s of %(code)s is queued for the worker; follow it on the rankings pages."
                )
                % {"number": run.number, "code": run.period.code}
            )
            return
        self.stdout.write(
            _(
                "Run #%(number)s of %(code)s computed: %(departments)s departments, %(officials)s officials (%(ranked)s ranked), in %(seconds).2f s."
            )
            % {
                "number": run.number,
                "code": run.period.code,
                "departments": run.departments.count(),
                "officials": run.officials.count(),
                "ranked": run.officials.filter(rank__isnull=False).count(),
                "seconds": run.duration or 0,
            }
        )
        for note in run.notes:
            self.stdout.write(note)
        for row in run.departments.filter(award=True).order_by("position"):
            self.stdout.write(f"  {row.rank}. {row.name} ({row.code}) {row.score}")
