"""The formulas of SPEC section 5, number by number, without a database."""

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring import bulk, rules
from scoring.rules import Aggregate

F = Fraction
DEPARTMENT_WEIGHTS = {"v": F(3, 10), "t": F(4, 10), "h": F(3, 10)}


def department_score(aggregates, city, *, praise=0, unkind=0):
    """The department formula with the default rule set: k 5, 0.5 per praise up to 5, 2 per
    unkindness report."""
    scorer = rules.Scorer(city, DEPARTMENT_WEIGHTS, F(5), F(1, 2), F(5), F(2))
    return scorer(aggregates, praise, unkind)


# --- shrinkage ---------------------------------------------------------------------------


def test_shrink_with_no_responses_takes_the_city_mean():
    assert rules.shrink(None, 0, F(70), F(5)) == 70


def test_shrink_pulls_a_small_sample_toward_the_city_mean():
    # Two perfect surveys in a city averaging 60: (2·100 + 5·60) / (2 + 5) = 500/7.
    adjusted = rules.shrink(F(100), 2, F(60), F(5))
    assert adjusted == F(500, 7)
    assert 60 < adjusted < 100
    assert adjusted - 60 < 100 - adjusted  # nearer the city mean than its own


def test_shrink_leaves_a_large_sample_close_to_its_own_mean():
    # 200 responses averaging 90 in a city averaging 60: (200·90 + 5·60) / 205 = 18300/205.
    adjusted = rules.shrink(F(90), 200, F(60), F(5))
    assert adjusted == F(18300, 205)
    assert 89 < adjusted < 90


def test_shrink_is_exact_with_fractional_means():
    # (3·(250/3) + 5·(475/6)) / 8 = (250 + 2375/6) / 8 = 3875/48.
    assert rules.shrink(F(250, 3), 3, F(475, 6), F(5)) == F(3875, 48)


def test_shrink_with_prior_weight_zero_keeps_the_own_mean():
    assert rules.shrink(F(42), 3, F(60), F(0)) == 42


def test_two_lucky_surveys_do_not_outrank_two_hundred_good_ones():
    lucky = rules.shrink(F(100), 2, F(60), F(5))  # 71.43
    steady = rules.shrink(F(85), 200, F(60), F(5))  # 84.39
    assert steady > lucky


def test_aggregate_mean_and_sum():
    a = Aggregate(F(150), 2) + Aggregate(F(50), 1)
    assert (a.total, a.n, a.mean) == (200, 3, F(200, 3))
    assert Aggregate().mean is None


# --- components, weights, no data --------------------------------------------------------

CITY = {"v": Aggregate(F(600), 10), "t": Aggregate(F(1400), 20), "h": Aggregate(F(2100), 30)}
# City means: V 60, T 70, H 70.


def test_department_score_number_by_number():
    own = {"v": Aggregate(F(400), 5), "t": Aggregate(F(400), 5), "h": Aggregate(F(300), 5)}
    result = department_score(own, CITY, praise=3, unkind=1)
    v, t, h = (result.component(name) for name in "vth")
    # V' = (5·80 + 5·60) / 10 = 70; T' = (400 + 350) / 10 = 75; H' = (300 + 350) / 10 = 65.
    assert (v.raw_mean, v.n, v.city_mean, v.adjusted, v.weight) == (80, 5, 60, 70, F(3, 10))
    assert (t.raw_mean, t.adjusted, t.weight) == (80, 75, F(2, 5))
    assert (h.raw_mean, h.adjusted, h.weight) == (60, 65, F(3, 10))
    # base = 0.3·70 + 0.4·75 + 0.3·65 = 21 + 30 + 19.5 = 70.5
    assert result.base == F(141, 2)
    # bonus 3 × 0.5 = 1.5; deduction 1 × 2 = 2; final 70.5 + 1.5 − 2 = 70
    assert (result.praise_count, result.bonus, result.unkind_count, result.deduction) == (
        3,
        F(3, 2),
        1,
        2,
    )
    assert result.final == 70
    assert result.rounded == Decimal("70.00")
    assert not any(c.no_data or c.left_out for c in result.components)


def test_a_component_without_responses_takes_the_city_mean_and_is_flagged_no_data():
    own = {"v": Aggregate(), "t": Aggregate(F(400), 5), "h": Aggregate(F(300), 5)}
    result = department_score(own, CITY)
    v = result.component("v")
    assert v.no_data and not v.left_out
    assert (v.raw_mean, v.n, v.adjusted, v.weight) == (None, 0, 60, F(3, 10))
    # 0.3·60 + 0.4·75 + 0.3·65 = 18 + 30 + 19.5
    assert result.final == F(135, 2)


def test_a_missing_aggregate_counts_as_no_responses():
    result = department_score({"t": Aggregate(F(400), 5)}, CITY)
    assert result.component("v").no_data and result.component("h").no_data
    # 0.3·60 + 0.4·75 + 0.3·70 = 18 + 30 + 21
    assert result.final == 69


def test_a_component_the_whole_city_lacks_is_left_out_and_the_other_weights_scale_to_one():
    city = {**CITY, "v": Aggregate()}
    own = {"v": Aggregate(), "t": Aggregate(F(400), 5), "h": Aggregate(F(300), 5)}
    result = department_score(own, city)
    v, t, h = (result.component(name) for name in "vth")
    assert v.left_out and v.no_data
    assert (v.city_mean, v.adjusted, v.weight, v.contribution) == (None, None, 0, 0)
    # 0.4 and 0.3 scaled by 1 / 0.7: 4/7 and 3/7.
    assert (t.weight, h.weight) == (F(4, 7), F(3, 7))
    assert t.weight + h.weight == 1
    # base = 4/7·75 + 3/7·65 = (300 + 195) / 7 = 495/7
    assert result.base == F(495, 7)
    assert result.rounded == Decimal("70.71")


def test_two_components_left_out_leave_the_third_with_all_the_weight():
    city = {"v": Aggregate(), "t": Aggregate(F(1400), 20), "h": Aggregate()}
    result = department_score({"t": Aggregate(F(400), 5)}, city)
    assert result.component("t").weight == 1
    assert result.final == 75


def test_scaled_weights_keep_the_present_weights_in_proportion():
    assert rules.scaled_weights(DEPARTMENT_WEIGHTS, ["t", "h"]) == {
        "v": 0,
        "t": F(4, 7),
        "h": F(3, 7),
    }
    assert rules.scaled_weights(DEPARTMENT_WEIGHTS, "vth") == DEPARTMENT_WEIGHTS


def test_no_data_when_the_city_has_no_response_for_any_component():
    with pytest.raises(rules.NoData):
        rules.scaled_weights(DEPARTMENT_WEIGHTS, [])
    empty = {name: Aggregate() for name in "vth"}
    with pytest.raises(rules.NoData):
        department_score({}, empty, praise=2)


def test_no_data_when_only_components_of_weight_zero_have_responses():
    with pytest.raises(rules.NoData):
        rules.scaled_weights({"v": F(0), "t": F(1)}, ["v"])


def test_individual_score_uses_its_own_weights_and_settings():
    city = {"t": Aggregate(F(720), 10), "h": Aggregate(F(325), 4)}  # means 72 and 81.25
    scorer = rules.Scorer(city, {"t": F(6, 10), "h": F(4, 10)}, F(5), F(1), F(5), F(3))
    result = scorer({"t": Aggregate(F(240), 3)}, praise_count=2, unkind_count=1)
    # T' = (240 + 5·72) / 8 = 75; H' = 81.25 (no data); base = 45 + 32.5 = 77.5;
    # + 2 × 1 − 1 × 3 = 76.5
    assert result.component("t").adjusted == 75
    assert result.component("h").adjusted == F(325, 4)
    assert result.base == F(155, 2)
    assert result.final == F(153, 2)


# --- bonus, deduction, clamp -------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, 0), (1, F(1, 2)), (9, F(9, 2)), (10, 5), (11, 5), (40, 5)],
)
def test_praise_bonus_is_half_a_point_each_up_to_five(count, expected):
    assert rules.capped_bonus(count, F(1, 2), F(5)) == expected


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 2), (3, 6), (60, 120)])
def test_unkindness_deduction_has_no_cap(count, expected):
    assert rules.deduction(count, F(2)) == expected


def test_bonus_and_deduction_accept_decimal_settings():
    assert rules.capped_bonus(3, Decimal("0.5"), Decimal("5")) == F(3, 2)
    assert rules.deduction(2, Decimal("2.5")) == 5


def test_clamp_keeps_scores_between_0_and_100():
    assert rules.clamp(F(-3)) == 0
    assert rules.clamp(F(101)) == 100
    assert rules.clamp(F(513, 10)) == F(513, 10)


def test_final_score_is_clamped_at_zero_after_a_large_deduction():
    own = {"v": Aggregate(F(100), 5), "t": Aggregate(F(100), 5), "h": Aggregate(F(100), 5)}
    result = department_score(own, CITY, unkind=40)
    assert result.deduction == 80
    assert result.base + result.bonus - result.deduction < 0
    assert result.final == 0 and result.rounded == Decimal("0.00")


def test_final_score_is_clamped_at_one_hundred_after_a_bonus():
    perfect = {name: Aggregate(F(100 * 1000), 1000) for name in "vth"}
    own = {name: Aggregate(F(100 * 50), 50) for name in "vth"}
    result = department_score(own, perfect, praise=10)
    assert result.base == 100 and result.bonus == 5
    assert result.final == 100 and result.rounded == Decimal("100.00")


def test_bonus_is_capped_inside_the_score():
    own = {name: Aggregate(F(300), 5) for name in "vth"}
    result = department_score(own, CITY, praise=14)
    assert (result.praise_count, result.bonus) == (14, 5)


# --- rounding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(76425, 1000), "76.43"),
        (Decimal("76.425"), "76.43"),
        (76.425, "76.43"),  # the float is 76.4249999999999971578...; read as 76.425
        ("76.425", "76.43"),
        (F(1, 200), "0.01"),
        (F(5, 1000), "0.01"),
        (Decimal("2.675"), "2.68"),
        (2.675, "2.68"),  # binary 2.67499999999999982236431605997495353221893310546875
        (F(99995, 1000), "100.00"),
        (F(7, 8), "0.88"),  # 0.875
        (F(3, 8), "0.38"),  # 0.375
    ],
)
def test_half_up_rounds_an_exact_half_cent_up(value, expected):
    assert rules.round_half_up(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(76424999, 1000000), "76.42"),
        (Decimal("76.4249"), "76.42"),
        (76.4249, "76.42"),
        (76.42499999999, "76.42"),  # close to a half, but these are the float's own digits
        (F(764249999999, 10**10), "76.42"),
        (F(1, 201), "0.00"),
        (Decimal("2.6749999"), "2.67"),
    ],
)
def test_half_up_rounds_values_just_below_a_half_down(value, expected):
    assert rules.round_half_up(value) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(-76425, 1000), "-76.43"),
        (F(-764249, 10000), "-76.42"),
        (-0.005, "-0.01"),
        (F(-1, 3), "-0.33"),
    ],
)
def test_half_up_rounds_negatives_half_away_from_zero(value, expected):
    assert rules.round_half_up(value) == Decimal(expected)


def test_rounding_has_exactly_two_decimals():
    for value in (0, 100, F(1, 2), 7):
        assert rules.round_half_up(value).as_tuple().exponent == -2
    assert str(rules.round_half_up(0)) == "0.00"
    assert str(rules.round_half_up(100)) == "100.00"
    assert rules.round_half_up(None) is None


def test_rounding_to_other_places():
    assert rules.round_half_up(F(1, 8), 1) == Decimal("0.1")  # 0.125 → 0.1
    assert rules.round_half_up(F(15, 100), 1) == Decimal("0.2")
    assert rules.round_half_up(F(5, 2), 0) == Decimal("3")


def test_repeating_decimals_are_rounded_exactly():
    assert rules.round_half_up(F(250, 3)) == Decimal("83.33")
    assert rules.round_half_up(F(200, 3)) == Decimal("66.67")
    assert rules.round_half_up(F(495, 7)) == Decimal("70.71")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (83.33333333333333, F(250, 3)),
        (58.333333333333336, F(175, 3)),
        (100 / 7, F(100, 7)),
        (0.3, F(3, 10)),
        (0.1 + 0.2, F(3, 10)),  # an ulp off three tenths
        (62.5, F(125, 2)),
        (0.0, F(0)),
        (76.42499999999, F(7642499999999, 10**11)),
        (0.1234567, F(1234567, 10**7)),
    ],
)
def test_exact_reads_a_float_as_the_number_it_stands_for(value, expected):
    assert rules.exact(value) == expected


def test_exact_reads_decimals_ints_strings_and_fractions_exactly():
    assert rules.exact(Decimal("0.3")) == F(3, 10)
    assert rules.exact(7) == 7
    assert rules.exact("76.425") == F(3057, 40)
    half = F(1, 2)
    assert rules.exact(half) is half


def test_score_rounds_the_exact_final_score_half_up():
    # One component of weight 1, k 0, four responses averaging exactly 76.425: the final
    # score lands on a half cent and rounds up.
    responses = {"t": Aggregate(F(3057, 40) * 4, 4)}
    result = rules.Scorer(responses, {"t": F(1)}, F(0), F(1), F(5), F(3))(responses, 0, 0)
    assert result.final == F(76425, 1000)
    assert result.rounded == Decimal("76.43")


def test_mean_of_no_responses_is_none():
    assert rules.mean(F(0), 0) is None
    assert rules.mean(F(10), 4) == F(5, 2)


# --- ranking -----------------------------------------------------------------------------


def ranked(entries):
    """[(code, rank)] in listing order."""
    return [(entries[i][2], r) for i, r in rules.rank(entries)]


def test_competition_ranking_shares_a_rank_and_skips_the_next():
    entries = [
        (Decimal("70.00"), "다과", "D3"),
        (Decimal("80.00"), "가과", "D1"),
        (Decimal("75.50"), "나과", "D2"),
        (Decimal("75.50"), "라과", "D4"),
        (Decimal("60.00"), "마과", "D5"),
    ]
    assert ranked(entries) == [("D1", 1), ("D2", 2), ("D4", 2), ("D3", 4), ("D5", 5)]


def test_three_way_tie_skips_two_ranks():
    entries = [(Decimal("50.00"), n, c) for n, c in (("c", "3"), ("a", "1"), ("b", "2"))]
    entries.append((Decimal("49.99"), "z", "9"))
    entries.append((Decimal("50.01"), "y", "0"))
    assert ranked(entries) == [("0", 1), ("1", 2), ("2", 2), ("3", 2), ("9", 5)]


def test_ranking_is_on_the_rounded_score_given():
    # 70.004 and 69.995 both round to 70.00: the caller passes rounded scores, and equal
    # rounded scores tie even though the full-precision values differ.
    entries = [
        (rules.round_half_up(F(70004, 1000)), "나", "B"),
        (rules.round_half_up(F(69995, 1000)), "가", "A"),
    ]
    assert ranked(entries) == [("A", 1), ("B", 1)]


def test_ties_are_listed_by_korean_name_in_code_point_order():
    # 가 U+AC00 < 김 U+AE40 < 나 U+B098 < 이 U+C774 < 홍 U+D64D
    names = ["홍길동", "이순신", "김철수", "가나다", "나영희"]
    entries = [(Decimal("88.00"), name, f"E{i}") for i, name in enumerate(names)]
    order = [entries[i][1] for i, _rank in rules.rank(entries)]
    assert order == ["가나다", "김철수", "나영희", "이순신", "홍길동"]
    assert {r for _i, r in rules.rank(entries)} == {1}


def test_ties_with_the_same_name_are_listed_by_code_in_code_point_order():
    # Code point order, not natural order: "D10" < "D9", and upper case before lower case.
    entries = [
        (Decimal("71.00"), "민원과", "D9"),
        (Decimal("71.00"), "민원과", "d1"),
        (Decimal("71.00"), "민원과", "D10"),
        (Decimal("71.00"), "민원과", "D1"),
    ]
    assert ranked(entries) == [("D1", 1), ("D10", 1), ("D9", 1), ("d1", 1)]


def test_latin_and_korean_names_compare_by_code_point():
    # Latin letters (U+0041...) come before Hangul syllables (U+AC00...).
    entries = [
        (Decimal("50.00"), "가과", "K1"),
        (Decimal("50.00"), "Zeta", "Z1"),
        (Decimal("50.00"), "Alpha", "A1"),
    ]
    assert ranked(entries) == [("A1", 1), ("Z1", 1), ("K1", 1)]


def test_ranking_nothing_gives_nothing():
    assert rules.rank([]) == []


# --- bureau ranks, the eligibility cut, listing order ------------------------------------


def entry(score, name, code):
    return rules.Entry(Decimal(score), name, code)


def test_ranks_by_group_rank_each_department_within_its_own_bureau():
    entries = [
        entry("80.00", "가", "A"),
        entry("90.00", "나", "B"),
        entry("85.00", "다", "C"),
        entry("85.00", "라", "D"),
    ]
    # Bureau 1: A and C; bureau 2: B and D.
    assert rules.ranks_by_group(entries, [1, 2, 1, 2]) == [2, 1, 1, 2]


def test_ranks_by_group_share_a_rank_on_a_tie_within_the_bureau():
    entries = [entry("70.00", "가", "A"), entry("70.00", "나", "B"), entry("60.00", "다", "C")]
    assert rules.ranks_by_group(entries, ["x", "x", "x"]) == [1, 1, 3]


@pytest.mark.parametrize(("responses", "eligible"), [(0, False), (2, False), (3, True), (9, True)])
def test_an_official_needs_the_minimum_of_scored_responses_for_a_rank(responses, eligible):
    assert rules.rank_eligible(responses, 3) is eligible


def test_officials_below_the_minimum_keep_no_rank_and_do_not_take_a_place():
    entries = [entry("95.00", "가", "1"), entry("80.00", "나", "2"), entry("70.00", "다", "3")]
    # The best score has too few responses: the others rank 1 and 2, not 2 and 3.
    assert rules.ranks_of_eligible(entries, [False, True, True]) == [None, 1, 2]


def test_listing_order_puts_ranked_entries_by_rank_then_the_unranked_by_name():
    entries = [
        entry("50.00", "하", "1"),
        entry("95.00", "나", "2"),
        entry("80.00", "가", "3"),
        entry("80.00", "가", "0"),
    ]
    ranks = [None, 1, 2, 2]
    assert rules.listing_order(entries, ranks) == [1, 3, 2, 0]


# --- many owners at once, in integers ----------------------------------------------------


def _sums(per_owner_scores: dict, unowned: list = ()) -> bulk.Sums:
    """Sums over the common denominator of every score, as the read builds them."""
    every = [s for scores in per_owner_scores.values() for s in scores] + list(unowned)
    d = math.lcm(*(F(s).denominator for s in every)) if every else 1
    per = {
        owner: (sum(int(F(s) * d) for s in scores), len(scores))
        for owner, scores in per_owner_scores.items()
        if scores
    }
    return bulk.Sums(
        d,
        per,
        sum(int(F(s) * d) for s in every),
        len(every),
        sum(int(F(s) * d) ** 2 for s in every),
    )


def _same(exact: rules.Score, bulk: bulk.BulkScore) -> None:
    assert bulk.rounded == exact.rounded
    assert bulk.final == exact.final and bulk.final_float == float(exact.final)
    assert bulk.base == exact.base and bulk.base_float == float(exact.base)
    assert bulk.bonus_rounded == rules.round_half_up(exact.bonus)
    assert bulk.deduction_rounded == rules.round_half_up(exact.deduction)
    for e, b in zip(exact.components, bulk.components, strict=True):
        assert (b.name, b.n, b.raw_mean, b.adjusted) == (e.name, e.n, e.raw_mean, e.adjusted)
        assert b.mean_float == (None if e.raw_mean is None else float(e.raw_mean))
        assert b.adjusted_float == (None if e.adjusted is None else float(e.adjusted))
        assert b.adjusted_rounded == rules.round_half_up(e.adjusted)
        assert (b.no_data, b.left_out, b.weight) == (e.no_data, e.left_out, e.weight)


def test_bulk_scores_equal_the_exact_scores_for_many_random_owners():
    rng = random.Random(16)
    values = [F(s) for s in range(0, 101, 5)] + [F(250, 3), F(76425, 1000), F(1, 7), F(200, 3)]
    for _city in range(25):
        names = ["v", "t", "h"]
        per_component = {
            name: {
                owner: [rng.choice(values) for _ in range(rng.choice([0, 1, 2, 3, 7, 40]))]
                for owner in range(30)
            }
            for name in names
        }
        unowned = {name: [rng.choice(values)] for name in names}
        if rng.random() < 0.3:
            per_component["v"], unowned["v"] = {}, []  # the whole city lacks V: left out
        sums = {name: _sums(per_component[name], unowned[name]) for name in names}
        city = {name: sums[name].city for name in names}
        if not any(city[name].n for name in names):
            continue
        weights = {"v": F(3, 10), "t": F(rng.choice([0, 4, 5]), 10), "h": F(3, 10)}
        k = rng.choice([F(0), F(5), F(5, 2), F(1, 3)])
        scorer = rules.Scorer(city, weights, k, F(1, 2), F(5), F(2))
        bulk_scorer = bulk.BulkScorer(scorer, sums)
        for owner in range(31):  # owner 30 has no responses at all
            praise, unkind = rng.choice([0, 0, 1, 3, 12]), rng.choice([0, 0, 1, 60])
            own = {name: sums[name].aggregate(owner) for name in names}
            _same(scorer(own, praise, unkind), bulk_scorer(owner, praise, unkind))


def test_bulk_score_on_a_half_cent_rounds_up_exactly():
    # One component, k = 0: the score is the owner's mean, 76.425 exactly (a float holds
    # 76.42499999999...), and rounds up to 76.43.
    sums = {"t": _sums({1: [F(76425, 1000)]})}
    scorer = rules.Scorer({"t": sums["t"].city}, {"t": F(1)}, F(0), F(0), F(0), F(0))
    result = bulk.BulkScorer(scorer, sums)(1, 0, 0)
    assert result.final == F(76425, 1000)
    assert result.rounded == Decimal("76.43")
    assert result.components[0].adjusted_rounded == Decimal("76.43")


def test_bulk_score_clamps_like_the_exact_score():
    sums = {"t": _sums({1: [F(99)], 2: [F(1)]})}
    scorer = rules.Scorer({"t": sums["t"].city}, {"t": F(1)}, F(0), F(1, 2), F(5), F(2))
    bulk_scorer = bulk.BulkScorer(scorer, sums)
    assert bulk_scorer(1, 10, 0).rounded == Decimal("100.00")
    assert bulk_scorer(1, 10, 0).final == 100
    assert bulk_scorer(2, 0, 3).rounded == Decimal("0.00")
    assert bulk_scorer(2, 0, 3).final_float == 0.0
