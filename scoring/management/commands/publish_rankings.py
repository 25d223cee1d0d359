from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from scoring.management.commands._period import PeriodCommand, add_run_argument
from scoring.services import period_get, run_get, run_publish

PUBLISH = "scoring.publish_ranking"


class Command(PeriodCommand):
    help = (
        "Publish run N of PERIOD as manager USERNAME would on the review page: the same "
        "checks, the same history, and the publication package is built."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        add_run_argument(parser, required=True)
        parser.add_argument("--by", required=True, help="username of the publishing manager")

    def handle(self, *args, period: str, run: int, by: str, **options) -> None:
        user = get_user_model().objects.filter(username=by).first()
        if user is None or not user.is_active:
            raise CommandError(_("There is no active user %(username)s.") % {"username": by})
        if not user.has_perm(PUBLISH):
            raise CommandError(_("%(username)s may not publish rankings.") % {"username": by})
        chosen = run_get(period=period_get(period), number=run)
        published = run_publish(run=chosen, user=user)
        self.stdout.write(
            _("Run #%(number)s of %(code)s is published.")
            % {"number": published.number, "code": published.period.code}
        )
