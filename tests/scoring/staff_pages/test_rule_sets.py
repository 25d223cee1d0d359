"""The rule sets page."""

from __future__ import annotations

from kindness.roles import Role
from tests.scoring.staff_pages.helpers import AUDITOR, MANAGER, url


def test_the_rule_sets_page_lists_each_version_its_settings_and_periods(role_client, run):
    response = role_client(AUDITOR).get(url("rule-sets/"))

    assert response.status_code == 200
    (rule_set,) = response.context["rule_sets"]
    assert rule_set.version == run.rules["version"]
    assert rule_set.run_count == 1
    settings = [value for _label, value in rule_set.settings]
    assert settings[:3] == ["0.3", "0.4", "0.3"]
    page = response.content.decode()
    assert f'href="{url("2025-H1/")}"' in page
    assert response.context["admin_url"] is None  # an auditor changes nothing


def test_a_manager_who_is_also_an_administrator_gets_the_link_to_change_rule_sets(
    make_user, client, role_client
):
    from django.contrib import admin

    from scoring.models import RuleSet

    # The admin role alone has no programme page (SPEC section 1).
    assert role_client(Role.ADMIN).get(url("rule-sets/")).status_code == 403
    client.force_login(make_user(Role.ADMIN, Role.MANAGER))
    response = client.get(url("rule-sets/"))

    assert response.status_code == 200
    assert response.context["may_change"] is True
    if admin.site.is_registered(RuleSet):
        assert response.context["admin_url"] == "/admin/scoring/ruleset/"


def test_a_manager_is_told_where_rule_sets_are_changed(role_client, db):
    response = role_client(MANAGER).get(url("rule-sets/"))

    assert response.context["may_change"] is True
    assert response.context["admin_url"] is None  # managers have no admin account
    assert 'class="notice"' in response.content.decode()
