"""`manage.py seed_demo [--seed N] [--force]`: load the demo city and print its logins."""

from __future__ import annotations

import random
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from demo import logins as demo_logins
from demo import organisation as demo_organisation
from demo import programme as programme_demo
from demo import rankings as demo_rankings
from demo import reports as demo_reports
from demo import surveys as demo_surveys
from kindness.roles import Role


class Command(BaseCommand):
    help = (
        "Load a demo city (bureaus, departments, teams, officials, a year of reports, petitions, "
        "happy-calls and surveys) and one login per role with a known password. Deterministic "
        "for a given --seed; safe to run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed; the same seed gives the same city"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (the demo passwords are public: never in production)",
        )

    def handle(self, *args, seed: int, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "seed_demo creates logins whose passwords are printed and published, so it "
                    "runs only with DEBUG on. Use --force to run it anyway (never in production)."
                )
            )
        rng = random.Random(seed)
        # All or nothing: a failure half-way leaves the database as it was.
        try:
            with transaction.atomic():
                organisation = demo_organisation.seed_organisation(rng)
                logins = demo_logins.seed_users(rng, organisation=organisation)
                reports = demo_reports.seed_reports(rng, organisation=organisation)
                # A stream of its own: the surveys must not depend on whether the reports
                # were seeded (and drew from `rng`) in this run.
                surveys = demo_surveys.seed_surveys(
                    random.Random(f"surveys-{seed}"), organisation=organisation, logins=logins
                )
                # Computed from everything above, so /rankings/ is populated at once.
                rankings = demo_rankings.seed_rankings(logins=logins)
                # The programme records of SPEC section 6, each from a stream of its own;
                # training comes after the surveys: its handout uses their cases.
                initiative_seed = programme_demo.seed_initiatives(
                    random.Random(f"initiatives-{seed}"), organisation=organisation, logins=logins
                )
                training_seed = programme_demo.seed_training(
                    random.Random(f"training-{seed}"), organisation=organisation, logins=logins
                )
                consultation_seed = programme_demo.seed_consultations(
                    random.Random(f"consultations-{seed}"), organisation=organisation, logins=logins
                )
                api_key = demo_reports.seed_api_key()
        except ValidationError as exc:
            # A demo password refused by AUTH_PASSWORD_VALIDATORS: nothing was written.
            raise CommandError(
                _("A demo password does not pass the password validators: %(errors)s")
                % {"errors": " ".join(exc.messages)}
            ) from exc

        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo city ready (seed %(seed)s): %(bureaus)s bureaus, %(departments)s "
                    "departments, %(teams)s teams, %(officials)s officials."
                )
                % {
                    "seed": seed,
                    "bureaus": len(organisation.bureaus),
                    "departments": len(organisation.departments),
                    "teams": len(organisation.teams),
                    "officials": len(organisation.officials),
                }
            )
        )
        self._report_summary(reports)
        self._survey_summary(surveys)
        self._ranking_summary(rankings)
        self.stdout.write(
            _(
                "Programme records: %(initiatives)s kindness initiatives, %(sessions)s training "
                "sessions with %(attendances)s attendances, %(requests)s consultation requests "
                "(/consultations/new/ takes new ones)."
            )
            % {
                "initiatives": initiative_seed.created + initiative_seed.existing,
                "sessions": training_seed.sessions,
                "attendances": training_seed.attendances,
                "requests": consultation_seed.requests,
            }
        )
        if api_key:
            self.stdout.write(
                _(
                    "Open311: file a report with POST /open311/v2/requests.json and "
                    "api_key=%(key)s (see /open311/ for the services)."
                )
                % {"key": api_key}
            )
        self.stdout.write("")
        self.stdout.write(_("Demo logins (development only: these passwords are public):"))
        rows = [(_("Role"), _("Username"), _("Password"), _("Sees"))]
        for login in logins:
            rows.append((str(login.role.label), login.username, login.password, self._scope(login)))
        for line in _table(rows):
            self.stdout.write(line)

    def _report_summary(self, reports: demo_reports.ReportSeed) -> None:
        if not reports.created:
            self.stdout.write(
                _("Reports: the demo's %(n)s reports are already there; none added.")
                % {"n": reports.existing}
            )
            return
        self.stdout.write(
            _("Reports: %(n)s filed over the last twelve months, in every state of the workflow.")
            % {"n": reports.created}
        )
        if reports.tracking:
            self.stdout.write(
                _("Try /reports/track/ with receipt number %(no)s and secret %(secret)s.")
                % {"no": reports.tracking[0], "secret": reports.tracking[1]}
            )

    def _survey_summary(self, surveys: demo_surveys.SurveySeed) -> None:
        if not surveys.created:
            self.stdout.write(_("Petitions and surveys: the demo's are already there; none added."))
            return
        self.stdout.write(
            _(
                "Petitions and surveys: %(petitions)s petitions, %(calls)s happy-calls answered, "
                "%(visits)s visitor-reception and %(phones)s telephone surveys over the last "
                "twelve months; %(queued)s calls wait at the call desk."
            )
            % {
                "petitions": surveys.petitions,
                "calls": surveys.happy_calls,
                "visits": surveys.visit_surveys,
                "phones": surveys.phone_surveys,
                "queued": surveys.queued,
            }
        )

    def _ranking_summary(self, rankings: demo_rankings.RankingSeed) -> None:
        if not rankings.created:
            self.stdout.write(
                _("Rankings: the periods %(codes)s are already there; none added.")
                % {"codes": ", ".join(rankings.existing)}
            )
            return
        for seeded in rankings.periods:
            if seeded.provisional:
                line = _(
                    "Rankings %(code)s: run #%(published)s published; provisional run "
                    "#%(provisional)s computed for a manager to review."
                )
            else:
                line = _("Rankings %(code)s: run #%(published)s published.")
            self.stdout.write(
                line
                % {
                    "code": seeded.code,
                    "published": seeded.published,
                    "provisional": seeded.provisional,
                }
            )

    @staticmethod
    def _scope(login: demo_logins.DemoLogin) -> str:
        if login.official is None:
            return _("the whole city")
        department = login.official.department
        if login.role == Role.BUREAU_HEAD:
            return _("%(bureau)s (bureau chief %(name)s)") % {
                "bureau": department.bureau.name,
                "name": login.official.name,
            }
        return _("%(department)s %(code)s (department head %(name)s)") % {
            "department": department.name,
            "code": department.code,
            "name": login.official.name,
        }


def _width(text: str) -> int:
    """Columns a terminal gives `text`: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()

    return [line(rows[0]), "  ".join("-" * w for w in widths), *map(line, rows[1:])]
