"""Managers change the scoring rules without the admin (SPEC sections 1 and 5): new rule set
versions on /staff/rankings/rule-sets/, and the rule set of a period on its page until a
ranking of it is published. A saved version never changes and a computed run keeps the
rules stored on it, so a published ranking never moves."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from kindness.roles import Role
from scoring import rulesets, services
from scoring.models import Period, RankingRun, RuleSet
from tests.factories import PeriodFactory
from tests.scoring.staff_pages.helpers import computed, import_city, url

D = Decimal
ANON = None
MANAGER, AUDITOR = Role.MANAGER, Role.AUDITOR
HEAD, OFFICER = Role.DEPARTMENT_HEAD, Role.REPORT_OFFICER
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
RULE_SETS = url("rule-sets/")

# A full "New version" form: other weights, and numbers that a float would not keep exactly.
NEW_VERSION = {
    "based_on": "1",
    "name": "2026 rules",
    "weight_v": "0.25",
    "weight_t": "0.45",
    "weight_h": "0.3",
    "prior_k": "7.5",
    "praise_bonus": "0.125",
    "praise_cap": "4",
    "unkind_deduction": "2.5",
    "award_count": "5",
    "official_weight_t": "0.7",
    "official_weight_h": "0.3",
    "official_praise_bonus": "1.5",
    "official_praise_cap": "6",
    "official_unkind_deduction": "3.333",
    "minimum_responses": "4",
    "encourage_count": "12",
    "bootstrap_replicates": "500",
}


def settings_of(rule_set: RuleSet) -> dict:
    return {name: getattr(rule_set, name) for name in ("name", *rulesets.SETTINGS)}


def versions() -> list[int]:
    return sorted(RuleSet.objects.values_list("version", flat=True))


# --- new versions ------------------------------------------------------------------------


def test_the_form_is_filled_from_the_newest_version_grouped_with_what_each_setting_does(
    role_client, db
):
    rulesets.rule_set_version_create(
        based_on=RuleSet.current(), changes={"name": "Newer", "prior_k": D("8")}
    )

    with translation.override("en"):
        response = role_client(MANAGER).get(RULE_SETS, **EN)
        form = response.context["form"]
        page = response.content.decode()

    assert response.status_code == 200
    assert form.initial["based_on"] == 2
    assert form.initial["prior_k"] == "8" and form.initial["weight_t"] == "0.4"
    assert form.initial["name"] == "Newer"
    groups = [[f.name for f in fields] for _title, fields in form.groups()]
    assert groups == [
        list(rulesets.DEPARTMENT_SETTINGS),
        list(rulesets.INDIVIDUAL_SETTINGS),
        list(rulesets.CERTAINTY_SETTINGS),
    ]
    assert "<legend>Department score</legend>" in page
    assert "<legend>Individual score</legend>" in page
    # Every setting says what it does and its default from SPEC section 5.
    defaults = {
        "weight_v": "0.3",
        "weight_t": "0.4",
        "prior_k": "5",
        "praise_cap": "5",
        "unkind_deduction": "2",
        "official_unkind_deduction": "3",
        "minimum_responses": "3",
        "encourage_count": "10",
        "award_count": "3",
        "bootstrap_replicates": "1000",
    }
    for name, default in defaults.items():
        assert f"Default: {default}." in str(form.fields[name].help_text)
    assert all(len(str(form.fields[name].help_text)) > 30 for name in rulesets.SETTINGS)
    assert 'id="rule-set-create"' in page and 'aria-describedby="id_prior_k_helptext"' in page


def test_a_manager_saves_a_new_version_with_the_numbers_exactly_as_typed(role_client, db):
    first = settings_of(RuleSet.current())
    manager = role_client(MANAGER)

    response = manager.post(RULE_SETS, NEW_VERSION)

    assert response.status_code == 302
    assert response["Location"] == f"{RULE_SETS}#rule-set-2"
    new = RuleSet.objects.get(version=2)
    assert settings_of(new) == {
        "name": "2026 rules",
        "weight_v": D("0.25"),
        "weight_t": D("0.45"),
        "weight_h": D("0.3"),
        "prior_k": D("7.5"),
        "praise_bonus": D("0.125"),
        "praise_cap": D("4"),
        "unkind_deduction": D("2.5"),
        "award_count": 5,
        "official_weight_t": D("0.7"),
        "official_weight_h": D("0.3"),
        "official_praise_bonus": D("1.5"),
        "official_praise_cap": D("6"),
        "official_unkind_deduction": D("3.333"),
        "minimum_responses": 4,
        "encourage_count": 12,
        "bootstrap_replicates": 500,
    }
    assert new.as_dict()["official_unkind_deduction"] == "3.333"
    assert settings_of(RuleSet.objects.get(version=1)) == first  # no version changes

    # The next save, from version 2, makes version 3.
    assert manager.post(RULE_SETS, NEW_VERSION | {"based_on": "2", "name": "v3"}).status_code == 302
    assert versions() == [1, 2, 3]
    assert RuleSet.current().name == "v3"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight_v": "0.5"}, "weight_h", "must sum to 1 (they sum to 1.25)"),
        ({"official_weight_h": "0.2"}, "official_weight_h", "must sum to 1 (they sum to 0.9)"),
        ({"weight_v": "-0.25", "weight_t": "1"}, "weight_v", "cannot be negative"),
        ({"praise_bonus": "-1"}, "praise_bonus", "cannot be negative"),
        ({"award_count": "-1"}, "award_count", "greater than or equal to 0"),
        ({"prior_k": "0.0001"}, "prior_k", "no more than 3 decimal places"),
        ({"weight_t": "many"}, "weight_t", "Enter a number"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_unusable_settings_are_refused_on_their_field_and_nothing_is_written(
    role_client, db, changes, field, message
):
    response = role_client(MANAGER).post(RULE_SETS, NEW_VERSION | changes, **EN)

    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert versions() == [1]


def test_two_saves_from_the_same_version_get_distinct_numbers_and_the_second_is_warned(
    role_client, db
):
    manager = role_client(MANAGER)

    first = manager.post(RULE_SETS, NEW_VERSION | {"name": "first"})
    second = manager.post(RULE_SETS, NEW_VERSION | {"name": "second"}, follow=True, **EN)

    assert first.status_code == 302 and second.status_code == 200
    assert list(RuleSet.objects.filter(version__gt=1).values_list("version", "name")) == [
        (3, "second"),
        (2, "first"),
    ]
    page = second.content.decode()
    assert "version 2 was saved while you were editing" in page


def _competing_saves(times: int):
    """A connection hook standing in for another manager: right after this transaction has
    read the highest version number, the other manager's version takes the next one."""
    taken = []
    inside = []

    def hook(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if len(taken) < times and not inside and "MAX(" in sql and "scoring_ruleset" in sql:
            inside.append(True)  # the other manager's own queries pass straight through
            taken.append(rulesets.rule_set_next_version())
            RuleSet.objects.create(version=taken[-1], name=f"theirs {len(taken)}")
            inside.clear()
        return result

    return hook, taken


def test_a_version_number_taken_at_the_same_moment_is_retried_with_the_next(role_client, db):
    hook, taken = _competing_saves(1)
    manager = role_client(MANAGER)

    with connection.execute_wrapper(hook):
        response = manager.post(RULE_SETS, NEW_VERSION)

    assert response.status_code == 302
    assert taken == [2]
    assert RuleSet.objects.get(name="2026 rules").version == 3
    assert versions() == [1, 2, 3]


def test_saving_gives_up_with_a_message_when_every_number_is_taken_at_once(db):
    hook, taken = _competing_saves(rulesets.ATTEMPTS)

    with connection.execute_wrapper(hook), pytest.raises(services.ScoringError) as refused:
        rulesets.rule_set_version_create(based_on=RuleSet.current(), changes={"name": "mine"})

    assert str(refused.value)
    assert len(taken) == rulesets.ATTEMPTS
    assert not RuleSet.objects.filter(name="mine").exists()


def test_the_service_refuses_unusable_settings_itself(db):
    with translation.override("en"), pytest.raises(services.ScoringError) as refused:
        rulesets.rule_set_version_create(based_on=RuleSet.current(), changes={"weight_v": D("0.4")})

    assert "sum to 1.1" in str(refused.value)
    assert versions() == [1]


@pytest.mark.parametrize("based_on", ["", "7", "x", "99999999999999999999999"])
def test_a_form_based_on_an_unknown_version_is_a_400(role_client, db, based_on):
    response = role_client(MANAGER).post(RULE_SETS, NEW_VERSION | {"based_on": based_on})

    assert response.status_code == 400
    assert 'id="rule-set-create-errors"' in response.content.decode()
    assert versions() == [1]


@pytest.mark.parametrize("role", [AUDITOR, HEAD, OFFICER, ANON])
def test_only_managers_save_versions(role_client, db, role):
    response = role_client(role).post(RULE_SETS, NEW_VERSION)

    assert response.status_code == (302 if role is ANON else 403)
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")
    assert versions() == [1]


def test_an_auditor_reads_the_versions_without_a_form(role_client, db):
    response = role_client(AUDITOR).get(RULE_SETS)

    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'id="rule-set-create"' not in response.content.decode()
    (rule_set,) = response.context["rule_sets"]
    assert [len(settings) for _title, settings in rule_set.groups] == [
        len(rulesets.DEPARTMENT_SETTINGS),
        len(rulesets.INDIVIDUAL_SETTINGS),
        len(rulesets.CERTAINTY_SETTINGS),
    ]


def test_the_versions_are_listed_newest_first(role_client, db):
    for name in ("second", "third"):
        rulesets.rule_set_version_create(based_on=RuleSet.current(), changes={"name": name})
    response = role_client(AUDITOR).get(RULE_SETS, **EN)
    assert [rs.version for rs in response.context["rule_sets"]] == [3, 2, 1]
    body = response.content.decode()
    assert (
        body.index('id="rule-set-3"')
        < body.index('id="rule-set-2"')
        < body.index('id="rule-set-1"')
    )


def test_korean_version_messages_use_no_particle_after_a_number(db):
    with translation.override("ko"):
        for text in (
            translation.gettext(
                "Version %(version)s was saved. It applies to periods created from now on; "
                "choose it on a period's page for a period whose ranking is not published "
                "yet."
            ),
            translation.gettext("Rule set v%(version)s cannot be used: %(reason)s"),
        ):
            assert "%(version)s을(를)" not in text and "%(version)s이(가)" not in text


# --- the rule set of a period ------------------------------------------------------------


@pytest.fixture
def city(db, tmp_path) -> Period:
    """The small city of the staff pages' tests, ranked over 2025-H1 with version 1."""
    import_city(tmp_path)
    return PeriodFactory(code="2025-H1")


@pytest.fixture
def v2(db) -> RuleSet:
    """Visitor surveys count most, and praise counts four times as much."""
    return rulesets.rule_set_version_create(
        based_on=RuleSet.current(),
        changes={
            "name": "Visitors first",
            "weight_v": D("0.6"),
            "weight_t": D("0.2"),
            "weight_h": D("0.2"),
            "praise_bonus": D("2"),
        },
    )


def switch(client, version, **extra):
    return client.post(url("2025-H1/rule-set/"), {"rule_set": str(version)}, **extra)


def test_a_manager_switches_an_unpublished_period_to_another_version(role_client, city, v2):
    manager = role_client(MANAGER)
    page = manager.get(url("2025-H1/"))
    assert page.context["rule_set_form"].initial == {"rule_set": 1}

    response = switch(manager, 2)

    assert response.status_code == 302
    city.refresh_from_db()
    assert city.rule_set == v2
    assert switch(manager, 2).status_code == 302  # safe to repeat
    assert switch(manager, 1).status_code == 302  # and to switch back
    city.refresh_from_db()
    assert city.rule_set.version == 1


def test_a_computed_run_keeps_its_rules_and_the_next_run_uses_the_new_version(
    role_client, city, v2, django_capture_on_commit_callbacks
):
    first = computed(city)
    scores = list(first.departments.values_list("code", "score"))
    manager = role_client(MANAGER)

    assert switch(manager, 2).status_code == 302
    city.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # computed in process
        second = services.run_request(period=city, trigger=RankingRun.Trigger.MANAGER)
    second.refresh_from_db()

    first.refresh_from_db()
    assert first.rules["version"] == 1 and first.rules["weight_v"] == "0.3"
    assert list(first.departments.values_list("code", "score")) == scores
    assert second.status == RankingRun.Status.COMPLETED
    assert second.rules == v2.as_dict()
    assert second.rules["weight_v"] == "0.6" and second.rule_set == v2
    row = second.departments.get(code="S01")  # it has the praise
    assert row.breakdown["components"]["v"]["weight"] == 0.6
    assert row.bonus == D("2.00")
    assert row.score != first.departments.get(code="S01").score


@pytest.mark.parametrize("status", [RankingRun.Status.PUBLISHED, RankingRun.Status.SUPERSEDED])
def test_a_period_once_published_keeps_its_rule_set(role_client, city, v2, status):
    run = computed(city)
    RankingRun.objects.filter(pk=run.pk).update(status=status)
    manager = role_client(MANAGER)

    response = switch(manager, 2, **EN)

    assert response.status_code == 409
    assert "Create a new period" in response.content.decode()
    city.refresh_from_db()
    assert city.rule_set.version == 1
    page = manager.get(url("2025-H1/"))
    assert page.context["rule_set_form"] is None
    assert 'id="rule-set-frozen"' in page.content.decode()


def test_the_service_refuses_the_switch_after_publication(role_client, city, v2):
    run = computed(city)
    services.run_publish(run=run, user=None)

    with pytest.raises(services.ScoringError):
        rulesets.period_rule_set_switch(period=city, rule_set=v2)

    assert Period.objects.get(pk=city.pk).rule_set.version == 1


@pytest.mark.parametrize("version", ["", "9", "x", "99999999999999999999999"])
def test_switching_to_an_unknown_version_is_a_400(role_client, city, version):
    response = switch(role_client(MANAGER), version)

    assert response.status_code == 400
    assert response.context["rule_set_form"].errors["rule_set"]
    city.refresh_from_db()
    assert city.rule_set.version == 1


@pytest.mark.parametrize("role", [AUDITOR, HEAD, OFFICER, ANON])
def test_only_managers_switch_a_period(role_client, city, v2, role):
    response = switch(role_client(role), 2)

    assert response.status_code == (302 if role is ANON else 403)
    if role is ANON:
        assert response["Location"].startswith("/accounts/login/")
    city.refresh_from_db()
    assert city.rule_set.version == 1


def test_the_switch_is_post_only_and_auditors_see_no_form(role_client, city):
    assert role_client(MANAGER).get(url("2025-H1/rule-set/")).status_code == 405
    page = role_client(AUDITOR).get(url("2025-H1/"))
    assert page.context["rule_set_form"] is None
    assert 'id="rule-set-form"' not in page.content.decode()


def test_a_new_period_is_scored_with_the_newest_version(role_client, db, v2):
    assert role_client(MANAGER).post(url(), {"code": "2026-H1"}).status_code == 302
    assert Period.objects.get(code="2026-H1").rule_set == v2


def test_a_version_with_too_few_bootstrap_replicates_is_refused_with_the_reason(role_client, db):
    response = role_client(MANAGER).post(RULE_SETS, NEW_VERSION | {"bootstrap_replicates": "5"})

    assert response.status_code == 400
    assert response.context["form"].errors["bootstrap_replicates"]
    assert versions() == [1]
