"""The department and official pages that explain a score."""

from __future__ import annotations

from django.urls import reverse

from kindness.roles import Role
from scoring.selectors.explanations import breakdown_of
from tests.scoring.public_pages.helpers import EN


def test_department_page_explains_the_score_with_the_actual_numbers(client, published):
    row = published.h1.departments.get(code="OWN")
    response = client.get("/rankings/2025-H1/departments/OWN/", **EN)
    assert response.status_code == 200
    body = response.content.decode()
    v = row.breakdown["components"]["v"]
    assert v["n"] == 2 and v["mean"] == 87.5
    formula = f"(2 × 87.50 + 5 × {v['city_mean']:.2f}) ÷ (2 + 5) = {v['adjusted']:.2f}"
    assert formula in body
    assert f"0.3 × {v['adjusted']:.2f}" in body
    # The praise behind the bonus: its receipt number only, for the public.
    assert published.praise.receipt_no in body
    assert "Each adds 0.5 to the score, at most 5 in all: the bonus is +0.50." in body
    assert published.praise.text not in body and "홍길동" not in body
    assert "/staff/reports/" not in body
    # A first half has no deduction window.
    assert "This period has no deduction window, so" in body
    assert f"rounded half up to two decimals: <strong>{row.score}</strong>" in body
    assert (
        f"Rank {row.rank} of 3 departments in the city, and {row.bureau_rank} of 2 in 시민국."
        in body
    )


def test_second_half_deducts_unkindness_over_the_whole_year(client, published):
    row = published.h2.departments.get(code="OTHER")
    assert row.unkind_count == 1
    body = client.get("/rankings/2025-H2/departments/OTHER/", **EN).content.decode()
    assert "1 unkindness report was substantiated between 2025-01-01 and 2025-12-31." in body
    assert "the deduction is −2.00" in body
    assert published.unkind.receipt_no in body
    assert published.unkind.text not in body


def test_a_department_without_responses_takes_the_city_mean_marked_no_data(client, published):
    # OTHER has no happy-call in the second half.
    body = client.get("/rankings/2025-H2/departments/OTHER/", **EN).content.decode()
    assert "There were no happy-call survey responses in this period" in body
    assert "(no data)" in body


def test_staff_who_may_open_reports_get_links_to_the_case(role_client, published):
    url = reverse("complaints:case", args=[published.praise.receipt_no])
    manager = role_client(Role.MANAGER).get("/rankings/2025-H1/departments/OWN/")
    assert f'href="{url}"' in manager.content.decode()
    # A department head may open their own department's reports, not another's.
    head = role_client(Role.DEPARTMENT_HEAD, official=published.o1)
    assert f'href="{url}"' not in head.get("/rankings/2025-H1/departments/OWN/").content.decode()
    unkind_url = reverse("complaints:case", args=[published.unkind.receipt_no])
    assert (
        f'href="{unkind_url}"' in head.get("/rankings/2025-H2/departments/OTHER/").content.decode()
    )


def test_unknown_department_is_a_404_with_a_message(client, published):
    response = client.get("/rankings/2025-H1/departments/NOPE/", **EN)
    assert response.status_code == 404
    assert "No department with the code “NOPE” is ranked in 2025-H1." in response.content.decode()


def test_official_page_explains_the_individual_score(role_client, published):
    client = role_client(Role.DEPARTMENT_HEAD, official=published.a2)
    body = client.get("/rankings/2025-H1/officials/A1/", **EN).content.decode()
    row = published.h1.officials.get(employee_no="A1")
    t = breakdown_of(row)["components"]["t"]
    assert f"(3 × 80.00 + 5 × {t['city_mean']:.2f}) ÷ (3 + 5) = {t['adjusted']:.2f}" in body
    assert f"0.6 × {t['adjusted']:.2f}" in body
    assert "Each adds 1 to the score, at most 5 in all: the bonus is +1.00." in body
    assert published.praise.receipt_no in body
    assert f"Rank {row.rank} of" in body
    insufficient = client.get("/rankings/2025-H1/officials/A2/", **EN).content.decode()
    assert "Insufficient data: 1 scored response" in insufficient
    assert "at least 3 are needed for a rank" in insufficient


def test_pages_render_in_korean_by_default(client, published):
    response = client.get("/rankings/2025-H1/departments/OWN/")
    assert response.status_code == 200
    assert 'lang="ko"' in response.content.decode()
