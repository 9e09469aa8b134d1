"""Unit conversion: exact in Decimal, round trips, totals independent of the input unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phoihop.cases.measures import MEASURES, QUANTITY_PLACES, convert, parse_quantity
from phoihop.core.errors import DomainError

DIMENSIONS: dict[str, list[str]] = {}
for code, m in MEASURES.items():
    DIMENSIONS.setdefault(m.dimension, []).append(code)
CONVERTIBLE = [units for units in DIMENSIONS.values() if len(units) > 1]


@st.composite
def same_dimension_pair(draw: st.DrawFn) -> tuple[str, str]:
    units = draw(st.sampled_from(CONVERTIBLE))
    return draw(st.sampled_from(units)), draw(st.sampled_from(units))


# Quantities with at most three decimals and up to a billion: anything a seizure report holds.
quantities = st.decimals(
    min_value=Decimal("0.001"), max_value=Decimal("1000000000"), places=3, allow_nan=False
)


@settings(max_examples=300, deadline=None)
@given(pair=same_dimension_pair(), quantity=quantities)
def test_conversion_round_trips_exactly(pair: tuple[str, str], quantity: Decimal) -> None:
    source, target = pair
    exact = quantity * MEASURES[source].factor / MEASURES[target].factor
    if exact != exact.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        # More places than are stored: refused, never rounded.
        with pytest.raises(DomainError):
            convert(quantity, source, target)
        return
    there = convert(quantity, source, target)
    assert there == exact
    assert convert(there, target, source) == quantity


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(
        st.tuples(st.sampled_from(["mg", "gam", "kg"]), st.integers(min_value=1, max_value=10**7)),
        min_size=1,
        max_size=12,
    )
)
def test_totals_do_not_depend_on_the_input_unit(parts: list[tuple[str, int]]) -> None:
    """The same masses (whole milligrams) entered in mg, gam or kg sum to the same grams."""
    as_entered = sum(
        (convert(Decimal(mg) / (MEASURES[u].factor * 1000), u, "gam") for u, mg in parts),
        Decimal(0),
    )
    all_in_grams = sum((convert(Decimal(mg) / 1000, "gam", "gam") for _u, mg in parts), Decimal(0))
    assert as_entered == all_in_grams == Decimal(sum(mg for _u, mg in parts)) / 1000


def test_units_of_different_dimensions_do_not_convert() -> None:
    with pytest.raises(DomainError) as exc:
        convert(Decimal(1), "kg", "lít")
    assert exc.value.code == "unit_not_allowed"
    with pytest.raises(DomainError):
        convert(Decimal(1), "viên", "khẩu")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("11,09", Decimal("11.09")),
        ("1.508", Decimal(1508)),
        ("1.508,5", Decimal("1508.5")),
        ("2.5", Decimal("2.5")),
        (" 94,2 ", Decimal("94.2")),
        (2.4, Decimal("2.4")),
        (50, Decimal(50)),
    ],
)
def test_quantities_are_read_the_vietnamese_way(typed: object, expected: Decimal) -> None:
    assert parse_quantity(typed) == expected


def test_the_api_reads_plain_decimals() -> None:
    assert parse_quantity("1.508", localized=False) == Decimal("1.508")


@pytest.mark.parametrize("typed", ["-1", "abc", "", None, "1,2,3", True, "NaN", "Infinity"])
def test_bad_quantities_are_refused(typed: object) -> None:
    with pytest.raises(DomainError) as exc:
        parse_quantity(typed)
    assert "quantity" in exc.value.fields
