"""The per-response arithmetic of SPEC section 4, number by number, without a database."""

from __future__ import annotations

import pytest

from surveys.rules import (
    Dispositions,
    PhoneCall,
    PhoneOutcome,
    Scorecard,
    compliant_333,
    contact_rate,
    phone_outcome,
    phone_score,
    refusal_rate,
    response_rate,
    response_score,
)

# A call that earns every point of the default scorecard.
PERFECT = dict(
    answered=True,
    rings=1,
    duration_s=120,
    hangup_wait_s=5,
    greeting_with_name=True,
    tone=5,
    accuracy=5,
    closing_greeting=True,
)


def call(**changes) -> PhoneCall:
    return PhoneCall(**{**PERFECT, **changes})


# ---------------------------------------------------------------------------- response score


def test_response_score_is_the_mean_of_v_minus_1_times_25_over_answered_items():
    # 5, 4, 3, 2 give 100, 75, 50, 25; the unanswered item counts nowhere.
    assert response_score([5, 4, None, 3, 2]) == pytest.approx(62.5)


def test_response_score_of_all_fives_is_100_and_of_all_ones_is_0():
    assert response_score([5] * 5) == 100
    assert response_score([1] * 5) == 0


def test_a_response_with_no_answered_item_has_no_score():
    assert response_score([None] * 5) is None
    assert response_score([]) is None


# ---------------------------------------------------------------------------- telephone score


def test_the_default_scorecard_totals_100_points():
    card = Scorecard()
    total = (
        card.rings_points
        + card.greeting_points
        + card.tone_points
        + card.accuracy_points
        + card.duration_points
        + card.closing_points
        + card.hangup_points
    )
    assert total == 100


def test_a_perfect_call_scores_100():
    assert phone_score(call()) == 100


def test_an_unanswered_call_scores_0():
    assert phone_score(PhoneCall(answered=False)) == 0


def test_tone_3_earns_half_of_its_20_points():
    # (3 - 1) / 4 x 20 = 10: the call loses the other 10.
    assert phone_score(call(tone=3)) == pytest.approx(90)


def test_accuracy_1_earns_none_of_its_20_points():
    assert phone_score(call(accuracy=1)) == pytest.approx(80)


def test_answering_on_the_third_ring_loses_the_15_ring_points():
    assert phone_score(call(rings=2)) == 100
    assert phone_score(call(rings=3)) == 85


def test_a_call_of_181_seconds_loses_the_10_duration_points():
    assert phone_score(call(duration_s=180)) == 100
    assert phone_score(call(duration_s=181)) == 90


def test_hanging_up_after_2_seconds_loses_the_10_hangup_points():
    assert phone_score(call(hangup_wait_s=3)) == 100
    assert phone_score(call(hangup_wait_s=2)) == 90


def test_no_greeting_with_name_and_no_closing_greeting_lose_15_and_10():
    assert phone_score(call(greeting_with_name=False)) == 85
    assert phone_score(call(closing_greeting=False)) == 90


def test_the_worst_answered_call_scores_0():
    worst = call(
        rings=9,
        duration_s=600,
        hangup_wait_s=0,
        greeting_with_name=False,
        tone=1,
        accuracy=1,
        closing_greeting=False,
    )
    assert phone_score(worst) == 0


def test_points_come_from_the_scorecard_given():
    card = Scorecard(rings_points=30, tone_points=10, max_rings=3)
    # Rings 3 now count as quick; tone 3 gives half of 10.
    assert phone_score(call(rings=3, tone=3), card) == pytest.approx(
        30 + 15 + 5 + 20 + 10 + 10 + 10
    )


# ---------------------------------------------------------------------------- 333


def test_2_rings_180_seconds_and_a_3_second_wait_is_333_compliant():
    assert compliant_333(call(rings=2, duration_s=180, hangup_wait_s=3)) is True


@pytest.mark.parametrize(
    "changes",
    [{"rings": 3}, {"duration_s": 181}, {"hangup_wait_s": 2}],
    ids=["third-ring", "181-seconds", "2-second-wait"],
)
def test_missing_any_of_the_three_breaks_333_compliance(changes):
    edge = {"rings": 2, "duration_s": 180, "hangup_wait_s": 3}
    assert compliant_333(call(**{**edge, **changes})) is False


def test_333_compliance_ignores_the_quality_items():
    assert compliant_333(call(tone=1, accuracy=1, greeting_with_name=False)) is True


def test_an_unanswered_call_is_not_in_the_333_share():
    assert compliant_333(PhoneCall(answered=False)) is None


# ---------------------------------------------------------------------------- stored outcome


def test_a_call_answered_by_its_target_is_answered_not_covered_with_its_score_and_333():
    outcome = phone_outcome(target=7, answered_by=7, call=PhoneCall(**PERFECT))
    assert outcome == PhoneOutcome(answered=True, covered=False, score=100, compliant_333=True)


def test_a_call_answered_by_a_colleague_is_covered_and_scored_the_same():
    outcome = phone_outcome(
        target=7, answered_by=8, call=PhoneCall(**{**PERFECT, "rings": 3}), card=Scorecard()
    )
    assert outcome == PhoneOutcome(answered=True, covered=True, score=85, compliant_333=False)


def test_a_call_nobody_answered_scores_0_is_not_covered_and_not_in_the_333_share():
    # Whether it was answered follows from who answered, whatever the measures say.
    outcome = phone_outcome(target=7, answered_by=None, call=PhoneCall(**PERFECT))
    assert outcome == PhoneOutcome(answered=False, covered=False, score=0, compliant_333=None)


# ---------------------------------------------------------------------------- AAPOR rates

# 10 petitions called: 6 completed, 1 refusal, 2 never reached, 1 other; 2 wrong numbers
# are not eligible and stay out of every denominator.
KNOWN = Dispositions(complete=6, refusal=1, non_contact=2, other=1, not_eligible=2)


def test_response_rate_rr1_is_completes_over_all_eligible_cases():
    assert response_rate(KNOWN) == pytest.approx(6 / 10)


def test_contact_rate_con1_is_reached_cases_over_all_eligible_cases():
    assert contact_rate(KNOWN) == pytest.approx(8 / 10)


def test_refusal_rate_ref1_is_refusals_over_all_eligible_cases():
    assert refusal_rate(KNOWN) == pytest.approx(1 / 10)


def test_cases_of_unknown_eligibility_count_in_every_denominator():
    d = Dispositions(complete=3, unknown=1)
    assert response_rate(d) == pytest.approx(3 / 4)
    assert contact_rate(d) == pytest.approx(3 / 4)
    assert refusal_rate(d) == 0


def test_rates_of_nothing_called_are_none_not_a_division_by_zero():
    empty = Dispositions(not_eligible=3)
    assert response_rate(empty) is None
    assert contact_rate(empty) is None
    assert refusal_rate(empty) is None
