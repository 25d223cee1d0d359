from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.management.commands._period import PeriodCommand
from scoring.models import RankingRun
from scoring.services import period_get, run_execute, run_request


class Command(PeriodCommand):
    help = "Compute a ranking run for PERIOD: in the Celery worker, or here with --sync."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sync", action="store_true", help="compute here instead of in the worker"
        )

    def handle(self, *args, period: str, sync: bool, **options) -> None:
        target = period_get(period)
        if sync:
            # Create the run without sending it, then compute it in this process.
            with transaction.atomic():
                run = run_request(period=target, trigger=RankingRun.Trigger.COMMAND, send=False)
            run = run_execute(run.pk)
        else:
            run = run_request(period=target, trigger=RankingRun.Trigger.COMMAND)
            run.refresh_from_db()
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
