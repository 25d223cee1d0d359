from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from kindness.models import Bureau, Department, EmploymentType, Official, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"행정{n}국")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"시험{n}과")
    bureau = factory.SubFactory(BureauFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"{n}팀")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    employee_no = factory.Sequence(lambda n: f"X{n:05d}")
    name = factory.Sequence(lambda n: f"공무원{n}")
    position = "주무관"
    employment_type = EmploymentType.REGULAR
    department = factory.SubFactory(DepartmentFactory)
    phone = "052-000-0000"
    active = True


class ReportFactory(factory.django.DjangoModelFactory):
    """A report as stored, without the intake service: receipt numbers of the year 2000, so
    they never meet the sequence report_submit gives out."""

    class Meta:
        model = "complaints.Report"

    receipt_no = factory.Sequence(lambda n: f"R-2000-{n + 1:06d}")
    kind = "unkind"
    status = "received"
    department = factory.SubFactory(DepartmentFactory)
    official_name = ""
    incident_on = factory.LazyFunction(timezone.localdate)
    channel = "phone"
    text = "전화 응대가 불친절했습니다. 설명 없이 끊었습니다."
    reporter_name = "홍길동"
    reporter_phone = "010-1234-5678"


class PetitionFactory(factory.django.DjangoModelFactory):
    """A handled petition as the petition import stores it: completed three days after it
    was received, handled by an official of its department."""

    class Meta:
        model = "surveys.Petition"

    petition_no = factory.Sequence(lambda n: f"P-{n + 1:07d}")
    title = factory.Sequence(lambda n: f"도로 보수 요청 {n}")
    department = factory.SubFactory(DepartmentFactory)
    official = factory.SubFactory(OfficialFactory, department=factory.SelfAttribute("..department"))
    petitioner_name = "김민원"
    petitioner_phone = factory.Sequence(lambda n: f"010-{n // 10000 % 10000:04d}-{n % 10000:04d}")
    completed_on = factory.LazyFunction(timezone.localdate)
    received_on = factory.LazyAttribute(lambda p: p.completed_on - timedelta(days=3))
    channel = "phone"


class HappyCallFactory(factory.django.DjangoModelFactory):
    """A happy-call of a petition, for its handling department and official; queued (pending)
    unless a status is given."""

    class Meta:
        model = "surveys.HappyCall"

    petition = factory.SubFactory(PetitionFactory)
    department = factory.SelfAttribute("petition.department")
    official = factory.SelfAttribute("petition.official")


class PeriodFactory(factory.django.DjangoModelFactory):
    """An evaluation period made as `create_period` makes it (default rule set, deduction
    window by kind), from its code."""

    class Meta:
        model = "scoring.Period"

    code = "2025-H1"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from scoring.services import period_create

        return period_create(**kwargs)


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A one-day kindness-mind session planned as `training_session_create` plans it (its
    date rules checked); give `ends_on` for a longer one."""

    class Meta:
        model = "programme.TrainingSession"

    kind = "mind"
    title = factory.Sequence(lambda n: f"친절마인드 교육 {n}")
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.SelfAttribute("starts_on")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from programme.training.services import training_session_create

        return training_session_create(by=kwargs.pop("created_by", None), **kwargs)
