from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scoring.services import ScoringError, period_get, run_get, run_publish

PUBLISH = "scoring.publish_ranking"


class Command(BaseCommand):
    help = (
        "Publish run N of PERIOD as manager USERNAME would on the review page: the same "
        "checks, the same history, and the publication package is built."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("period", help="period code, e.g. 2026-H1")
        parser.add_argument("--run", type=int, required=True, help="run number")
        parser.add_argument("--by", required=True, help="username of the publishing manager")

    def handle(self, *args, period: str, run: int, by: str, **options) -> None:
        user = get_user_model().objects.filter(username=by).first()
        if user is None or not user.is_active:
            raise CommandError(_("There is no active user %(username)s.") % {"username": by})
        if not user.has_perm(PUBLISH):
            raise CommandError(_("%(username)s may not publish rankings.") % {"username": by})
        try:
            chosen = run_get(period=period_get(period), number=run)
            published = run_publish(run=chosen, user=user)
        except ScoringError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Run #%(number)s of %(code)s is published.")
            % {"number": published.number, "code": published.period.code}
        )
