import pytest

from kindness.roles import Role
from surveys.models import PhoneScorecard, Questionnaire

pytestmark = pytest.mark.django_db

# Programme settings: the admin role's (SPEC section 1).
MODELS = ["questionnaire", "phonescorecard"]
# Programme records: a programme role is needed as well.
RECORDS = ["callcentreagent", "visitsurvey", "phonesurvey"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_each_survey_model(role_client, model):
    client = role_client(Role.ADMIN)
    assert client.get(f"/admin/surveys/{model}/").status_code == 200
    assert client.get(f"/admin/surveys/{model}/", {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", RECORDS)
def test_survey_records_need_a_programme_role_in_admin(role_client, make_user, client, model):
    assert role_client(Role.ADMIN).get(f"/admin/surveys/{model}/").status_code == 403
    client.force_login(make_user(Role.ADMIN, Role.MANAGER))
    assert client.get(f"/admin/surveys/{model}/", {"q": "x"}).status_code == 200


@pytest.mark.parametrize("model", ["petition", "happycall"])
def test_no_admin_page_shows_petitions_or_calls_even_to_a_superuser(make_user, client, model):
    client.force_login(make_user(Role.ADMIN, Role.MANAGER, is_superuser=True))
    assert client.get(f"/admin/surveys/{model}/").status_code == 404


def test_unused_questionnaire_and_scorecard_can_be_edited_in_admin(role_client):
    client = role_client(Role.ADMIN)
    questionnaire = Questionnaire.objects.get(code="happy-call", version=1)
    scorecard = PhoneScorecard.objects.get(version=1)
    page = client.get(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/")
    assert b'name="title"' in page.content
    page = client.get(f"/admin/surveys/phonescorecard/{scorecard.pk}/change/")
    assert b'name="rings_points"' in page.content


def test_a_scorecard_that_scored_calls_is_frozen(role_client):
    from django.utils import timezone

    from surveys.models import PhoneSurvey
    from tests.factories import OfficialFactory

    scorecard = PhoneScorecard.objects.get(version=1)
    official = OfficialFactory()
    PhoneSurvey.objects.create(
        call_id="C1",
        target=official,
        department=official.department,
        called_at=timezone.now(),
        called_on=timezone.localdate(),
        scorecard=scorecard,
        score=0,
        answered=False,
        covered=False,
    )
    page = role_client(Role.ADMIN).get(f"/admin/surveys/phonescorecard/{scorecard.pk}/change/")
    assert page.status_code == 200
    assert b'name="rings_points"' not in page.content
