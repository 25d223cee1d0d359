"""The Open311 GeoReport v2 door of the report centre (SPEC section 9), in JSON: discovery,
services, the service definitions, filing a report with an API key, the requests list with
its filters, one request, tokens, every error of the issue in the standard's error list,
keys issued and revoked in admin, the limit per key, and the privacy of GET (SPEC section 8).
The XML documents are checked against the standard's examples in test_open311_xml.py."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from complaints import services
from complaints.models import ApiKey, Report, ReportEvent
from complaints.open311 import keys
from kindness.roles import Role
from tests.factories import BureauFactory, DepartmentFactory, OfficialFactory, ReportFactory

V2 = "/open311/v2"
REQUESTS = f"{V2}/requests.json"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department(db):
    return DepartmentFactory(
        code="D100", name="민원여권과", bureau=BureauFactory(name="시민소통국")
    )


@pytest.fixture
def api_key(db) -> str:
    return keys.api_key_issue(api_key=ApiKey(name="시민앱", owner="앱 운영사"), by=None)


def params(department, /, **changes) -> dict:
    data = {
        "service_code": "praise",
        "attribute[department]": department.code,
        "attribute[official_name]": "김친절",
        "attribute[incident_on]": timezone.localdate().isoformat(),
        "attribute[channel]": "visit",
        "attribute[consent]": "yes",
        "first_name": "길동",
        "last_name": "홍",
        "phone": "01012345678",
        "email": "hong@example.com",
        "description": "여권 발급을 끝까지 친절하게 도와주셨습니다.",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post(client, api_key, department, fmt="json", **changes):
    data = params(department, **changes)
    if api_key is not None:
        data["api_key"] = api_key
    return client.post(f"{V2}/requests.{fmt}", data)


def body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def error_list(response, status: int) -> list[str]:
    """The standard's error list: [{code, description}], the code matching the status."""
    assert response.status_code == status, response.content.decode()
    errors = body(response)
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) == {"code", "description"}
        assert error["code"] == status
        assert error["description"]
    return [e["description"] for e in errors]


def filed(response) -> Report:
    assert response.status_code == 200, response.content.decode()
    (answer,) = body(response)
    return Report.objects.get(receipt_no=answer["service_request_id"])


# ---------------------------------------------------------------------------- discovery, services


def test_discovery_names_the_endpoint_its_formats_the_key_service_and_both_deviations(client):
    response = client.get(f"{V2}/discovery.json", HTTP_ACCEPT_LANGUAGE="en")

    document = body(response)
    assert response.status_code == 200
    assert list(document) == ["changeset", "contact", "key_service", "endpoints"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$", document["changeset"])
    assert "http://testserver/open311/" in document["key_service"]
    assert "not required" in document["contact"] and "never the text" in document["contact"]
    (endpoint,) = document["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": document["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }


def test_services_are_praise_and_unkindness_realtime_with_a_definition(client, db):
    services_ = body(client.get(f"{V2}/services.json"))

    assert [s["service_code"] for s in services_] == ["praise", "unkind"]
    for service in services_:
        assert list(service) == [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ]
        assert service["metadata"] is True and service["type"] == "realtime"
        assert service["service_name"] and service["keywords"] and service["group"]


def test_service_names_are_translated(client, db):
    korean = body(client.get(f"{V2}/services.json"))
    english = body(client.get(f"{V2}/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    assert english[0]["service_name"] == "Praise an official"
    assert english[1]["service_name"] == "Report unkindness"
    assert "Phone is required" in english[1]["description"]
    assert [s["service_code"] for s in korean] == [s["service_code"] for s in english]


def test_the_definition_carries_department_official_date_channel_consent_and_duplicate(
    client, department
):
    DepartmentFactory(code="OLD", name="폐지된과", active=False)

    definition = body(client.get(f"{V2}/services/unkind.json"))

    assert definition["service_code"] == "unkind"
    attributes = definition["attributes"]
    assert [a["code"] for a in attributes] == [
        "department",
        "official_name",
        "incident_on",
        "channel",
        "consent",
        "confirm_duplicate",
    ]
    assert [a["order"] for a in attributes] == [1, 2, 3, 4, 5, 6]
    by_code = {a["code"]: a for a in attributes}
    assert {code for code, a in by_code.items() if a["required"]} == {
        "department",
        "incident_on",
        "channel",
        "consent",
    }
    assert by_code["department"]["datatype"] == "singlevaluelist"
    assert {"key": "D100", "name": "민원여권과 (시민소통국)"} in by_code["department"]["values"]
    assert "OLD" not in [v["key"] for v in by_code["department"]["values"]]
    assert by_code["incident_on"]["datatype"] == "datetime"
    assert by_code["official_name"]["datatype"] == "string"
    assert [v["key"] for v in by_code["channel"]["values"]] == ["visit", "phone", "field", "online"]
    assert [v["key"] for v in by_code["consent"]["values"]] == ["yes"]
    assert [v["key"] for v in by_code["confirm_duplicate"]["values"]] == ["yes"]
    for attribute in attributes:
        assert attribute["variable"] is True
        assert list(attribute) == [
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        ]


def test_an_unknown_service_definition_is_404(client, db):
    (description,) = error_list(client.get(f"{V2}/services/pothole.json"), 404)
    assert "pothole" in description


# ---------------------------------------------------------------------------- POST requests


def test_a_report_filed_with_a_key_is_stored_like_the_web_forms_with_its_receipt_number(
    client, department, api_key
):
    response = post(client, api_key, department)

    (answer,) = body(response)
    assert response.status_code == 200
    assert list(answer) == ["service_request_id", "service_notice", "account_id"]
    assert re.match(r"^R-\d{4}-\d{6}$", answer["service_request_id"])
    assert answer["service_request_id"] in answer["service_notice"]
    assert answer["account_id"] is None
    report = Report.objects.get(receipt_no=answer["service_request_id"])
    assert report.source == Report.Source.OPEN311
    assert (report.kind, report.department, report.channel) == ("praise", department, "visit")
    assert report.official_name == "김친절"
    assert report.reporter_name == "홍길동"
    assert report.reporter_phone == "010-1234-5678"  # the web form's normal form
    assert report.reporter_email == "hong@example.com"
    assert report.consent_at is not None
    # Followed in the app through GET requests/<id>: no tracking secret nobody would see.
    assert report.secret_hash == ""
    assert report.events.filter(action=ReportEvent.Action.RECEIVED).exists()
    assert ApiKey.objects.get().last_used_at is not None


def test_an_incident_time_with_an_offset_counts_by_its_date_in_seoul(client, department, api_key):
    seoul_today = timezone.localdate()
    late_utc = (
        dt.datetime.combine(seoul_today, dt.time(0, 30))
        .replace(tzinfo=dt.timezone(dt.timedelta(hours=9)))
        .astimezone(dt.UTC)
    )

    report = filed(
        post(
            client,
            api_key,
            department,
            **{
                "attribute[incident_on]": late_utc.isoformat().replace("+00:00", "Z"),
            },
        )
    )

    assert report.incident_on == seoul_today


def test_a_location_is_optional_and_stored_when_sent(client, department, api_key):
    without = filed(post(client, api_key, department))
    with_location = filed(
        post(
            client,
            api_key,
            department,
            phone="010-2222-3333",
            **{
                "lat": "35.539561234",
                "long": "129.311512",
                "address_string": "울산광역시청 민원실",
                "address_id": "A-77",
                "media_url": "https://example.com/photo.jpg",
            },
        )
    )

    assert without.lat is None and without.address_string == ""
    assert float(with_location.lat) == pytest.approx(35.539561)
    assert float(with_location.long) == pytest.approx(129.311512)
    assert with_location.address_string == "울산광역시청 민원실"
    assert with_location.address_id == "A-77"
    assert with_location.media_url == "https://example.com/photo.jpg"


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"lat": "91", "long": "127"}, "lat"),
        ({"lat": "37.5", "long": "east"}, "long"),
        ({"lat": "37.5"}, "lat"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"address_string": "가" * 251}, "address_string"),
    ],
)
def test_a_wrong_location_is_400_and_nothing_is_stored(client, department, api_key, changes, param):
    descriptions = error_list(post(client, api_key, department, **changes), 400)
    assert any(param in d for d in descriptions)
    assert not Report.objects.exists()


def test_missing_service_code_is_400(client, department, api_key):
    (description,) = error_list(post(client, api_key, department, service_code=None), 400)
    assert description.startswith("service_code:")


def test_an_unknown_service_code_is_404(client, department, api_key):
    (description,) = error_list(post(client, api_key, department, service_code="pothole"), 404)
    assert "pothole" in description


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"attribute[department]": None}, "attribute[department]"),
        ({"attribute[department]": "NOPE"}, "attribute[department]"),
        ({"attribute[channel]": None}, "attribute[channel]"),
        ({"attribute[incident_on]": None}, "attribute[incident_on]"),
        ({"attribute[incident_on]": "last tuesday"}, "attribute[incident_on]"),
        ({"attribute[incident_on]": "2026-02-30"}, "attribute[incident_on]"),
        ({"attribute[consent]": None}, "attribute[consent]"),
        ({"attribute[consent]": "no"}, "attribute[consent]"),
        ({"first_name": None, "last_name": None}, "first_name, last_name"),
        ({"description": None}, "description"),
        ({"description": "짧아요"}, "description"),
        ({"description": "가" * 4001}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "12345"}, "phone"),
    ],
)
def test_bad_or_missing_parameters_are_400_naming_the_parameter(
    client, department, api_key, changes, param
):
    descriptions = error_list(post(client, api_key, department, **changes), 400)
    assert any(d.startswith(f"{param}:") for d in descriptions), descriptions
    assert not Report.objects.exists()


def test_every_problem_is_listed_at_once(client, department, api_key):
    descriptions = error_list(
        post(client, api_key, department, description="짧아요", **{"attribute[channel]": "fax"}),
        400,
    )
    assert {d.split(":")[0] for d in descriptions} == {"description", "attribute[channel]"}


def test_a_description_of_exactly_4000_characters_is_taken(client, department, api_key):
    report = filed(post(client, api_key, department, description="가" * 4000))
    assert len(report.text) == 4000


def test_the_web_forms_date_bounds_apply(client, department, api_key):
    today = timezone.localdate()
    future = error_list(
        post(
            client,
            api_key,
            department,
            **{
                "attribute[incident_on]": (today + dt.timedelta(days=1)).isoformat(),
            },
        ),
        400,
    )
    too_old = error_list(
        post(
            client,
            api_key,
            department,
            **{
                "attribute[incident_on]": (today - dt.timedelta(days=400)).isoformat(),
            },
        ),
        400,
    )
    assert future[0].startswith("attribute[incident_on]:")
    assert too_old[0].startswith("attribute[incident_on]:")


def test_unkindness_needs_a_phone_as_on_the_web_form(client, department, api_key):
    descriptions = error_list(
        post(client, api_key, department, service_code="unkind", phone=None), 400
    )
    assert [d.split(":")[0] for d in descriptions] == ["phone"]
    report = filed(post(client, api_key, department, service_code="unkind"))
    assert report.kind == "unkind" and report.reporter_phone == "010-1234-5678"


def test_praise_needs_no_phone(client, department, api_key):
    report = filed(post(client, api_key, department, phone=None, email=None))
    assert report.reporter_phone == "" and report.reporter_email == ""


def test_a_likely_duplicate_is_stored_and_marked_and_the_answer_tells_nothing(
    client, department, api_key
):
    def answer_without_number(response) -> dict:
        (answer,) = body(response)
        number = answer["service_request_id"]
        return {k: str(v).replace(number, "") for k, v in answer.items()}

    first = filed(post(client, api_key, department))
    unrelated = post(client, api_key, DepartmentFactory(), phone="010-5555-6666")

    again = post(client, api_key, department)
    confirmed = filed(post(client, api_key, department, **{"attribute[confirm_duplicate]": "yes"}))

    duplicate = filed(again)
    # The same answer as for a report that duplicates nothing, but for its number.
    assert again.status_code == unrelated.status_code == 200
    assert answer_without_number(again) == answer_without_number(unrelated)
    assert duplicate.duplicate_of == first and confirmed.duplicate_of == duplicate
    assert filed(unrelated).duplicate_of is None and first.duplicate_of is None


def test_errors_are_in_english_when_asked(client, department, api_key):
    response = client.post(
        REQUESTS,
        {**params(department, description="short"), "api_key": api_key},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (description,) = error_list(response, 400)
    assert description == ("description: Ensure this value has at least 10 characters (it has 5).")


# ---------------------------------------------------------------------------- keys


def test_filing_without_a_key_is_403_and_stores_nothing(client, department):
    (description,) = error_list(post(client, None, department), 403)
    assert "api_key" in description
    assert not Report.objects.exists()


@pytest.mark.parametrize("wrong", ["nonsense", "abcd1234.wrong-secret", "."])
def test_a_wrong_key_is_403(client, department, api_key, wrong):
    error_list(post(client, wrong, department), 403)
    assert not Report.objects.exists()


def test_a_key_differing_only_in_its_secret_is_refused(client, department, api_key):
    prefix, _dot, secret = api_key.partition(".")
    error_list(post(client, f"{prefix}.{secret[:-1]}x", department), 403)


def test_a_key_in_the_query_string_only_is_not_taken(client, department, api_key):
    response = client.post(f"{REQUESTS}?api_key={api_key}", params(department))
    error_list(response, 403)


def test_a_revoked_key_is_403(client, department, api_key):
    keys.api_key_revoke(api_key=ApiKey.objects.get())

    (description,) = error_list(post(client, api_key, department), 403)

    assert not Report.objects.exists()
    assert description


def test_revoking_twice_keeps_the_first_date(db, api_key):
    row = ApiKey.objects.get()
    first = keys.api_key_revoke(api_key=row).revoked_at
    again = keys.api_key_revoke(api_key=row).revoked_at
    assert first is not None and again == first


def test_only_the_keys_hash_is_stored(db, api_key):
    row = ApiKey.objects.get()
    assert api_key not in {row.key_hash, row.prefix}
    assert row.key_hash == keys.key_hash(api_key)
    assert api_key.startswith(row.prefix + ".")


@pytest.fixture
def admin_client(role_client):
    return role_client(Role.ADMIN)


def test_admin_issues_a_key_shown_once_that_then_files_reports(admin_client, department):
    response = admin_client.post(
        "/admin/complaints/apikey/add/",
        {"name": "민원 앱", "owner": "앱 회사, dev@example.com"},
        follow=True,
    )

    page = response.content.decode()
    row = ApiKey.objects.get()
    (shown,) = re.findall(rf"{row.prefix}\.[A-Za-z0-9_-]+", page)
    assert row.created_by == admin_client.user
    assert row.key_hash not in page
    again = admin_client.get(f"/admin/complaints/apikey/{row.pk}/change/").content.decode()
    assert shown not in again and row.key_hash not in again
    assert shown not in admin_client.get("/admin/complaints/apikey/").content.decode()
    filed(post(admin_client, shown, department))


def test_admin_revokes_a_key_on_its_page_and_it_is_refused(admin_client, department, api_key):
    row = ApiKey.objects.get()

    admin_client.post(
        f"/admin/complaints/apikey/{row.pk}/change/",
        {"name": row.name, "owner": row.owner, "revoke": "on"},
    )

    row.refresh_from_db()
    assert row.revoked_at is not None
    error_list(post(admin_client, api_key, department), 403)


def test_admin_revokes_keys_with_the_list_action(admin_client, department, api_key):
    other = keys.api_key_issue(api_key=ApiKey(name="다른 앱", owner="다른 회사"), by=None)

    admin_client.post(
        "/admin/complaints/apikey/",
        {"action": "revoke_keys", "_selected_action": [k.pk for k in ApiKey.objects.all()]},
    )

    assert not ApiKey.objects.filter(revoked_at__isnull=True).exists()
    error_list(post(admin_client, api_key, department), 403)
    error_list(post(admin_client, other, department), 403)


def test_keys_are_revoked_never_deleted_in_admin(admin_client, api_key):
    row = ApiKey.objects.get()
    assert (
        admin_client.post(f"/admin/complaints/apikey/{row.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ApiKey.objects.filter(pk=row.pk).exists()


def test_staff_without_the_admin_role_cannot_issue_keys(role_client, db):
    client = role_client(Role.REPORT_OFFICER)
    client.post("/admin/complaints/apikey/add/", {"name": "x", "owner": "y"})
    assert not ApiKey.objects.exists()


# ---------------------------------------------------------------------------- throttling


def test_each_key_is_limited_to_its_rate(client, department, api_key, settings):
    settings.OPEN311_KEY_RATE = "2/m"
    other = keys.api_key_issue(api_key=ApiKey(name="다른 앱", owner="다른 회사"), by=None)

    first = post(client, api_key, department, phone="010-0000-0001")
    second = post(client, api_key, department, phone="010-0000-0002")
    third = post(client, api_key, department, phone="010-0000-0003")

    assert (first.status_code, second.status_code) == (200, 200)
    (description,) = error_list(third, 429)
    assert int(third["Retry-After"]) > 0
    assert description
    assert Report.objects.count() == 2
    filed(post(client, other, department, phone="010-0000-0004"))


def test_reading_needs_no_key_and_is_not_limited_per_key(client, db, settings):
    settings.OPEN311_KEY_RATE = "1/m"
    for _ in range(3):
        assert client.get(REQUESTS).status_code == 200


# ---------------------------------------------------------------------------- jurisdiction


def test_our_jurisdiction_is_accepted_and_another_is_404(client, department, api_key, settings):
    settings.OPEN311_JURISDICTION_ID = "kindness.example.go.kr"

    assert (
        client.get(f"{V2}/services.json", {"jurisdiction_id": "kindness.example.go.kr"}).status_code
        == 200
    )
    assert (
        client.get(
            f"{V2}/services.json", {"jurisdiction_id": "www.kindness.example.go.kr"}
        ).status_code
        == 200
    )
    (description,) = error_list(
        client.get(f"{V2}/requests.json", {"jurisdiction_id": "sfgov.org"}), 404
    )
    assert description.startswith("jurisdiction_id:")
    error_list(post(client, api_key, department, jurisdiction_id="sfgov.org"), 404)
    assert not Report.objects.exists()
    filed(post(client, api_key, department, jurisdiction_id="kindness.example.go.kr"))


def test_the_jurisdiction_defaults_to_the_site_host(client, db):
    assert client.get(f"{V2}/services.json", {"jurisdiction_id": "testserver"}).status_code == 200
    error_list(client.get(f"{V2}/services.json", {"jurisdiction_id": "elsewhere.org"}), 404)


# ---------------------------------------------------------------------------- GET requests


def _at(report: Report, moment: dt.datetime) -> Report:
    Report.objects.filter(pk=report.pk).update(created_at=moment, updated_at=moment)
    report.refresh_from_db()
    return report


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content.decode()
    return [r["service_request_id"] for r in body(response)]


def test_the_list_defaults_to_the_last_90_days_newest_first(client, db):
    now = timezone.now()
    old = _at(ReportFactory(kind="praise"), now - dt.timedelta(days=91))
    older = _at(ReportFactory(kind="praise"), now - dt.timedelta(days=10))
    newer = _at(ReportFactory(kind="praise"), now - dt.timedelta(days=1))

    assert ids(client.get(REQUESTS)) == [newer.receipt_no, older.receipt_no]
    assert old.receipt_no not in ids(client.get(REQUESTS))


def test_the_list_stops_at_1000_requests(client, db):
    department = DepartmentFactory()
    Report.objects.bulk_create(
        Report(
            receipt_no=f"R-2001-{n:06d}",
            kind="praise",
            department=department,
            incident_on=timezone.localdate(),
            channel="visit",
            text="친절했습니다 정말로요.",
        )
        for n in range(1, 1003)
    )
    assert len(ids(client.get(REQUESTS))) == 1000


def test_the_list_filters_by_code_status_and_dates(client, db):
    now = timezone.now()
    praise_open = _at(ReportFactory(kind="praise"), now - dt.timedelta(days=5))
    praise_closed = _at(ReportFactory(kind="praise", status="shared"), now - dt.timedelta(days=4))
    unkind_open = _at(
        ReportFactory(kind="unkind", status="substantiated"), now - dt.timedelta(days=3)
    )
    unkind_closed = _at(ReportFactory(kind="unkind", status="closed"), now - dt.timedelta(days=2))

    assert set(ids(client.get(REQUESTS, {"service_code": "praise"}))) == {
        praise_open.receipt_no,
        praise_closed.receipt_no,
    }
    assert set(ids(client.get(REQUESTS, {"status": "open"}))) == {
        praise_open.receipt_no,
        unkind_open.receipt_no,
    }
    assert set(ids(client.get(REQUESTS, {"status": "closed", "service_code": "unkind"}))) == {
        unkind_closed.receipt_no,
    }
    assert len(ids(client.get(REQUESTS, {"status": "open,closed"}))) == 4
    assert len(ids(client.get(REQUESTS, {"service_code": "praise,unkind"}))) == 4
    window = {
        "start_date": (now - dt.timedelta(days=4, hours=1)).isoformat(),
        "end_date": (now - dt.timedelta(days=2, hours=12))
        .astimezone(dt.UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert ids(client.get(REQUESTS, window)) == [unkind_open.receipt_no, praise_closed.receipt_no]


def test_a_start_date_alone_covers_90_days_from_it(client, db):
    now = timezone.now()
    early = _at(ReportFactory(kind="praise"), now - dt.timedelta(days=200))
    start = (now - dt.timedelta(days=201)).isoformat()
    assert ids(client.get(REQUESTS, {"start_date": start})) == [early.receipt_no]


def test_a_list_of_ids_overrides_the_other_filters(client, db):
    old = _at(ReportFactory(kind="praise"), timezone.now() - dt.timedelta(days=300))
    recent = ReportFactory(kind="praise")
    other = ReportFactory(kind="unkind")

    found = ids(
        client.get(
            REQUESTS,
            {
                "service_request_id": f"{old.receipt_no}, {other.receipt_no.lower()},R-1999-000001",
                "service_code": "praise",
                "status": "closed",
            },
        )
    )

    assert set(found) == {old.receipt_no, other.receipt_no}
    assert recent.receipt_no not in found


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00"}, "start_date"),  # no offset
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2025-12-01T00:00:00Z"}, "end_date"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
        ({"start_date": "9999-12-31T00:00:00+09:00"}, "start_date"),
        ({"status": "pending"}, "status"),
        ({"service_code": "pothole"}, "service_code"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, db, query, param):
    descriptions = error_list(client.get(REQUESTS, query), 400)
    assert any(param in d for d in descriptions), descriptions


def test_one_request_is_a_list_of_one(client, db):
    report = ReportFactory(kind="praise", status="verified", public_outcome="확인되었습니다.")

    response = client.get(f"{V2}/requests/{report.receipt_no}.json")

    (record,) = body(response)
    assert response.status_code == 200
    assert list(record) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert record["service_request_id"] == report.receipt_no
    assert record["status"] == "closed" and record["status_notes"] == "확인되었습니다."
    assert record["service_code"] == "praise"
    assert record["agency_responsible"] == report.department.name
    assert record["requested_datetime"].endswith("+09:00")
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$", record["updated_datetime"])


def test_an_unknown_request_is_404(client, db):
    (description,) = error_list(client.get(f"{V2}/requests/R-1999-000001.json"), 404)
    assert "R-1999-000001" in description


def test_tokens_are_404_since_intake_is_immediate(client, db):
    (description,) = error_list(client.get(f"{V2}/tokens/12345.json"), 404)
    assert "12345" in description


# ---------------------------------------------------------------------------- other errors


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/requests.json"),
        ("delete", "/requests.json"),
        ("post", "/services.json"),
        ("post", "/discovery.json"),
        ("patch", "/services/praise.json"),
        ("delete", "/requests/R-2000-000001.json"),
        ("post", "/tokens/1.json"),
        ("options", "/requests.json"),
    ],
)
def test_a_wrong_method_is_405_in_the_error_list(client, db, method, path):
    response = getattr(client, method)(V2 + path)
    error_list(response, 405)


def test_an_unknown_address_under_v2_is_404_in_the_error_list(client, db):
    error_list(client.get(f"{V2}/nothing.json"), 404)
    error_list(client.post(f"{V2}/requests/a/b.json"), 404)


def test_a_json_body_is_415_in_the_error_list(client, department, api_key):
    response = client.post(
        REQUESTS,
        json.dumps({**params(department), "api_key": api_key}),
        content_type="application/json",
    )
    error_list(response, 415)
    assert not Report.objects.exists()


def test_a_multipart_body_is_taken_and_files_are_ignored(client, department, api_key):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**params(department), "api_key": api_key, "media": SimpleUploadedFile("a.jpg", b"x")}
    report = filed(client.post(REQUESTS, data))  # the test client sends multipart
    assert not report.attachments.exists()


def test_the_accept_header_does_not_change_the_format(client, db):
    response = client.get(f"{V2}/services.json", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    body(response)


# ---------------------------------------------------------------------------- privacy


def _everything(client, report) -> str:
    """Every GET answer about the report, in both formats."""
    texts = []
    for fmt in ("json", "xml"):
        texts.append(client.get(f"{V2}/requests.{fmt}").content.decode())
        texts.append(client.get(f"{V2}/requests/{report.receipt_no}.{fmt}").content.decode())
        texts.append(
            client.get(
                f"{V2}/requests.{fmt}", {"service_request_id": report.receipt_no}
            ).content.decode()
        )
    assert all(report.receipt_no in t for t in texts)
    return "\n".join(texts)


def test_get_never_shows_reporters_data_nor_the_location_they_sent(client, department, api_key):
    report = filed(
        post(
            client,
            api_key,
            department,
            service_code="unkind",
            **{
                "lat": "35.5",
                "long": "129.3",
                "address_string": "우리집 앞",
                "address_id": "HOME-1",
                "media_url": "https://example.com/me.jpg",
            },
        )
    )
    # Decided, so that the list shows it too (undecided unkindness is never listed).
    Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBSTANTIATED)

    output = _everything(client, report)

    for personal in (
        "홍길동",
        "길동",
        "010-1234-5678",
        "01012345678",
        "hong@example.com",
        "우리집 앞",
        "HOME-1",
        "me.jpg",
        "35.5",
        "129.3",
    ):
        assert personal not in output


def test_get_never_shows_the_text_of_an_unkindness_report_even_when_closed(client, db):
    report = ReportFactory(
        kind="unkind",
        status="closed",
        text="창구 직원이 반말로 응대하고 서류를 던졌습니다.",
        published_summary="반말 응대 사례",
        public_outcome="조치가 끝났습니다.",
    )

    output = _everything(client, report)

    assert "반말" not in output and "서류를 던졌" not in output
    (record,) = body(client.get(f"{V2}/requests/{report.receipt_no}.json"))
    assert record["description"] is None
    assert record["status"] == "closed" and record["status_notes"] == "조치가 끝났습니다."


def test_get_shows_praise_text_only_once_shared_and_then_the_boards_text(client, db):
    report = ReportFactory(
        kind="praise",
        status="verified",
        text="원래 적은 칭찬 글입니다, 주민 이름 포함 홍길동.",
    )

    before = _everything(client, report)
    Report.objects.filter(pk=report.pk).update(
        status="shared", public_text="여권 발급을 친절하게 도와주셨습니다."
    )
    after = _everything(client, report)

    assert "원래 적은" not in before and "여권 발급을" not in before
    assert "여권 발급을 친절하게 도와주셨습니다." in after
    assert "원래 적은" not in after and "홍길동" not in after


# ---------------------------------------------------------------------------- the same case staff see


def test_praise_filed_through_the_api_is_in_the_inbox_and_staff_carry_it_to_the_board(
    client, role_client, department, api_key
):
    report = filed(post(client, api_key, department))
    officer = role_client(Role.REPORT_OFFICER)

    inbox = officer.get("/staff/reports/")
    assert report.receipt_no in inbox.content.decode()
    assert officer.get(f"/staff/reports/{report.receipt_no}/").status_code == 200
    (record,) = body(client.get(f"{V2}/requests/{report.receipt_no}.json"))
    assert record["status"] == "open" and record["description"] is None

    services.report_verify(report=report, by=officer.user)
    services.report_share(
        report=report, by=officer.user, public_text="여권 업무를 친절하게 안내해 주셨습니다."
    )

    report.refresh_from_db()
    (record,) = body(client.get(f"{V2}/requests/{report.receipt_no}.json"))
    assert record["status"] == "closed"
    assert record["status_notes"] == report.public_outcome and report.public_outcome
    assert record["description"] == "여권 업무를 친절하게 안내해 주셨습니다."
    assert record["updated_datetime"] == timezone.localtime(report.ended_at).isoformat(
        timespec="seconds"
    )


def test_unkindness_filed_through_the_api_is_carried_to_its_close_and_get_follows(
    client, role_client, make_user, department, api_key
):
    report = filed(post(client, api_key, department, service_code="unkind"))
    officer = role_client(Role.REPORT_OFFICER)
    assert report.receipt_no in officer.get("/staff/reports/").content.decode()
    head = make_user(Role.DEPARTMENT_HEAD, official=OfficialFactory(department=department))

    def status_of():
        (record,) = body(client.get(f"{V2}/requests/{report.receipt_no}.json"))
        return record["status"], record["status_notes"]

    services.report_start_review(report=report, by=officer.user)
    assert status_of()[0] == "open"
    services.report_substantiate(
        report=report, by=officer.user, reason="목격자 진술", summary="창구 반말 응대 사례"
    )
    report.refresh_from_db()
    assert status_of() == ("open", report.public_outcome)
    services.report_record_measure(report=report, by=head, text="부서 친절 교육을 실시했습니다.")
    services.report_record_apology(
        report=report, by=head, called_on=timezone.localdate(), caller="과장", outcome="사과함"
    )

    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
    assert status_of() == ("closed", report.public_outcome)
    (found,) = [
        r
        for r in body(client.get(REQUESTS, {"status": "closed"}))
        if r["service_request_id"] == report.receipt_no
    ]
    assert found["description"] is None


def test_ids_that_cannot_be_receipt_numbers_match_nothing_and_are_no_error(client, db):
    ReportFactory()
    assert ids(client.get(REQUESTS, {"service_request_id": "\x00,<x>"})) == []
    error_list(client.get(f"{V2}/requests/%00.json"), 404)
    error_list(post(client, "\x00.x", DepartmentFactory()), 403)


def test_clients_post_without_a_csrf_token(department, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    filed(post(strict, api_key, department))


def test_an_unexpected_failure_is_a_500_in_the_error_list_not_a_page(rf):
    from complaints.open311.api import exception_handler

    response = exception_handler(RuntimeError("boom"), {})

    assert response.status_code == 500
    assert response.data == [{"code": 500, "description": response.data[0]["description"]}]
    assert "boom" not in response.data[0]["description"]


def test_a_405_names_the_allowed_methods(client, db):
    response = client.put(REQUESTS)
    error_list(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert client.head(f"{V2}/services.json").status_code == 200
