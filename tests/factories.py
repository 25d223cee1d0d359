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
