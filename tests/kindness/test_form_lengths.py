"""Every form field's length fits the column it is stored in (SPEC section 8: never a
server error): a text longer than its column is a form error, not a database error on
PostgreSQL after the resident pressed send."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.utils import timezone

PROJECT_APPS = ("kindness", "complaints", "surveys", "scoring", "programme", "demo")


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class the project defines (its modules imported first)."""
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".management." in info.name or ".migrations" in info.name:
                continue
            importlib.import_module(info.name)
    return sorted(
        (f for f in _all_subclasses(forms.BaseForm) if f.__module__.split(".")[0] in PROJECT_APPS),
        key=lambda f: (f.__module__, f.__qualname__),
    )


# The plain forms whose fields are stored in a model's fields of the same name (a ModelForm
# says its model itself). By class name, so that moving a module does not lose an entry.
FORM_MODELS = {
    "ReportForm": "complaints.Report",
    "ConsultationRequestForm": "programme.ConsultationRequest",
    "ExpertForm": "programme.Expert",
    "SlotForm": "programme.ConsultationSlot",
    "SessionForm": "programme.TrainingSession",
    "InitiativeForm": "programme.Initiative",
    "PeriodCreateForm": "scoring.Period",
    "HappyCallForm": "surveys.HappyCall",
}


def form_model(form_class) -> type[models.Model] | None:
    if issubclass(form_class, forms.ModelForm):
        return getattr(form_class._meta, "model", None)
    for cls in form_class.__mro__:
        if cls.__name__ in FORM_MODELS:
            return apps.get_model(FORM_MODELS[cls.__name__])
    return None


def test_every_mapped_form_exists():
    names = {cls.__name__ for form in project_forms() for cls in form.__mro__}
    assert set(FORM_MODELS) <= names


def test_every_form_text_field_fits_its_column():
    too_long, checked = [], 0
    for form_class in project_forms():
        model = form_model(form_class)
        if model is None:
            continue
        for name, field in form_class.base_fields.items():
            try:
                column = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a form-only field (consent, honeypot)
                continue
            if not isinstance(field, forms.CharField) or not isinstance(column, models.CharField):
                continue
            checked += 1
            if field.max_length is None or field.max_length > column.max_length:
                too_long.append(
                    (form_class.__qualname__, name, field.max_length, column.max_length)
                )
    assert checked > 20
    assert too_long == []


def long_email(length: int) -> str:
    """A valid address of exactly `length` characters (labels of at most 63)."""
    rest = length - len("@kr")
    local = 60 + (1 if (rest - 60) % 51 == 1 else 0)
    labels, r = divmod(rest - local, 51)
    domain = ("b" * 50 + ".") * labels + ("c" * (r - 1) + "." if r else "")
    email = "a" * local + "@" + domain + "kr"
    assert len(email) == length
    return email


@pytest.mark.django_db
@pytest.mark.parametrize("length", [255, 320])
def test_a_long_e_mail_address_is_a_form_error_on_the_report_form(client, length):
    from tests.factories import DepartmentFactory

    department = DepartmentFactory()
    email = long_email(length)
    response = client.post(
        "/reports/new/",
        {
            "kind": "praise",
            "department": department.pk,
            "incident_on": timezone.localdate().isoformat(),
            "channel": "visit",
            "text": "친절하게 안내해 주셨습니다. 고맙습니다.",
            "reporter_name": "홍길동",
            "reporter_email": email,
            "consent": "on",
        },
    )
    assert response.status_code == 400
    assert "reporter_email" in response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.parametrize("length", [255, 320])
def test_a_long_e_mail_address_is_a_400_naming_it_on_open311(client, length):
    from complaints.models import ApiKey, Report
    from complaints.open311 import keys
    from tests.complaints.test_open311 import error_list, post
    from tests.factories import DepartmentFactory

    key = keys.api_key_issue(api_key=ApiKey(name="앱", owner="운영사"), by=None)
    response = post(client, key, DepartmentFactory(code="D100"), email=long_email(length))
    assert any("email" in e for e in error_list(response, 400))
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("length", [255, 320])
def test_a_long_e_mail_address_is_a_form_error_on_the_consultation_form(client, length):
    from programme.models import ConsultationRequest
    from tests.programme.consultations.helpers import NEW, form_data

    response = client.post(NEW, form_data(email=long_email(length)))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not ConsultationRequest.objects.exists()
