"""The hotspot rule on constructed counts: a commune is compared with its own previous periods."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from phoihop.dashboards.hotspots import HotspotRule, baseline_of, find_hotspots, is_hotspot

RULE = HotspotRule(baseline_periods=4, factor=Decimal(2), minimum=3)


def test_a_commune_at_twice_its_own_mean_and_the_minimum_is_a_hotspot() -> None:
    # Baseline (1 + 2 + 1 + 0) / 4 = 1; 3 is ≥ 2 × 1 and ≥ 3.
    spots = find_hotspots({"son-kim": [3, 1, 2, 1, 0]}, RULE)
    assert [(s.key, s.value, s.baseline) for s in spots] == [("son-kim", 3, Decimal("1.00"))]


def test_a_busy_commune_as_busy_as_usual_is_not_a_hotspot() -> None:
    # 20 cases, but it always has about 15: 20 < 2 × 15.
    assert find_hotspots({"cua-khau": [20, 15, 14, 16, 15]}, RULE) == []


def test_below_the_minimum_nothing_is_a_hotspot_even_from_zero() -> None:
    assert find_hotspots({"a": [2, 0, 0, 0, 0]}, RULE) == []
    assert [s.key for s in find_hotspots({"a": [3, 0, 0, 0, 0]}, RULE)] == ["a"]


def test_the_factor_is_inclusive_and_just_below_it_is_not_a_hotspot() -> None:
    # Baseline 2,5: 5 = 2 × 2,5 is a hotspot, 4 is not.
    assert is_hotspot(5, [2, 3, 2, 3], RULE)
    assert not is_hotspot(4, [2, 3, 2, 3], RULE)


def test_missing_previous_periods_count_as_zero() -> None:
    # Only one previous period given (4): the baseline is 4 / 4 = 1, so 3 is a hotspot.
    spots = find_hotspots({"new": [3, 4]}, RULE)
    assert [(s.key, s.baseline) for s in spots] == [("new", Decimal("1.00"))]


def test_hotspots_come_out_with_the_largest_rise_first() -> None:
    spots = find_hotspots(
        {"small": [4, 1, 1, 1, 1], "big": [12, 2, 2, 2, 2], "none": [1, 1, 1, 1, 1]}, RULE
    )
    assert [s.key for s in spots] == ["big", "small"]


@override_settings(PHOIHOP_HOTSPOT={"baseline_periods": 2, "factor": "1.5", "minimum": 2})
def test_the_rule_is_read_from_the_settings_and_stated_in_vietnamese() -> None:
    rule = HotspotRule.from_settings()
    assert rule == HotspotRule(baseline_periods=2, factor=Decimal("1.5"), minimum=2)
    text = rule.text("vụ việc")
    assert "từ 2 vụ việc trở lên" in text
    assert "1,5 lần" in text and "2 kỳ liền trước" in text


@override_settings(PHOIHOP_HOTSPOT={"baseline_periods": 0})
def test_a_rule_that_cannot_work_is_refused() -> None:
    with pytest.raises(ValueError, match="baseline_periods"):
        HotspotRule.from_settings()


@given(
    current=st.integers(min_value=0, max_value=200),
    previous=st.lists(st.integers(min_value=0, max_value=200), min_size=4, max_size=4),
)
def test_the_rule_matches_its_statement_for_any_counts(current: int, previous: list[int]) -> None:
    spots = find_hotspots({"x": [current, *previous]}, RULE)
    stated = current >= 3 and current * 4 >= 2 * sum(previous)  # exact, no division
    assert bool(spots) == stated
    if spots:
        assert spots[0].baseline == baseline_of(previous)
