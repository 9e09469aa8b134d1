"""The catalogue quantity rule, shared by seized items and handed-in items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from phoihop.cases.catalogue import catalogue_item, catalogue_item_by_code, catalogue_quantity
from phoihop.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_it_converts_to_the_canonical_unit_and_keeps_what_was_typed() -> None:
    heroin = catalogue_item_by_code("heroin")
    answer = catalogue_quantity(heroin, "1.508,5", "kg")
    assert answer.canonical == Decimal("1508500")
    assert (answer.entered, answer.unit) == (Decimal("1508.5"), "kg")


def test_a_blank_unit_is_the_canonical_one_and_the_api_reads_plain_decimals() -> None:
    heroin = catalogue_item("heroin")
    answer = catalogue_quantity(heroin, "2.5", "", localized=False)
    assert (answer.canonical, answer.unit) == (Decimal("2.5"), "gam")


@pytest.mark.parametrize(
    ("code", "quantity", "unit", "field", "error"),
    [
        ("heroin", "1", "lít", "unit", "unit_not_allowed"),
        ("heroin", "0", "gam", "quantity", "zero_quantity"),
        ("heroin", "abc", "gam", "quantity", "invalid_quantity"),
        ("sung", "1,5", "khẩu", "quantity", "not_whole"),
    ],
)
def test_it_names_the_refused_field_inside_the_prefix(
    code: str, quantity: str, unit: str, field: str, error: str
) -> None:
    with pytest.raises(DomainError) as caught:
        catalogue_quantity(catalogue_item(code), quantity, unit, field_prefix="items.2")
    assert caught.value.code == error
    assert list(caught.value.fields) == [f"items.2.{field}"]


def test_an_unknown_item_is_refused_on_the_named_field() -> None:
    with pytest.raises(DomainError) as caught:
        catalogue_item_by_code("khong-co", field="items.0.item")
    assert caught.value.code == "unknown_item"
    assert list(caught.value.fields) == ["items.0.item"]
