"""The programme records in the admin, under their own app since issue 13."""

import pytest

from kindness.roles import Role
from programme.models import Initiative
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ["initiative", "trainingsession", "expert", "consultationslot"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_each_programme_model_under_the_programme_app(role_client, model):
    client = role_client(Role.ADMIN)
    assert client.get(f"/admin/programme/{model}/").status_code == 200
    assert client.get(f"/admin/programme/{model}/", {"q": "친절"}).status_code == 200


def test_admin_history_of_a_programme_row_is_kept_under_its_content_type(role_client):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    initiative = Initiative.objects.create(
        department=DepartmentFactory(), year=2026, title="친절 한마디"
    )
    LogEntry.objects.log_actions(
        user_id=UserFactory().pk, queryset=[initiative], action_flag=CHANGE, single_object=True
    )
    entry = LogEntry.objects.get()
    assert entry.content_type == ContentType.objects.get_by_natural_key("programme", "initiative")
    page = role_client(Role.ADMIN).get(f"/admin/programme/initiative/{initiative.pk}/history/")
    assert page.status_code == 200
