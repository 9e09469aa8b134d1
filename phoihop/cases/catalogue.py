"""The item catalogue's quantity rule, written once for every record that names catalogue items
(seized items of cases, handed-in items of surrender campaigns).

Public and pure (reads the catalogue, writes nothing):

- `catalogue_item_by_code(code: str, *, field: str = "item") -> CatalogueItem` — an active item
  by its code, else `unknown_item` on `field`;
- `catalogue_item(value: CatalogueItem | str, *, field: str = "item") -> CatalogueItem` — an
  item as given, or looked up by its code;
- `catalogue_quantity(item: CatalogueItem, quantity: Any, unit: str, *, field_prefix: str = "",
  localized: bool = True) -> CatalogueQuantity` — the quantity as entered, checked and converted:
  the unit must be one the item is entered in (blank: the item's canonical unit), the quantity a
  positive number (`localized` reads `1.508` and `11,09` the Vietnamese way, as pages and imports
  do; the API sends plain decimals), whole for counting words (viên, khẩu…), and exactly
  convertible. The answer's `canonical` is the quantity in the item's canonical unit (what is
  summed), `entered` and `unit` what the user typed. A refusal names `unit` or `quantity`, inside
  `field_prefix` when given (`field_prefix="items.2"` → `items.2.quantity`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from phoihop.cases.measures import check_whole, convert, measure, parse_quantity
from phoihop.cases.models import CatalogueItem
from phoihop.core.errors import DomainError, invalid, prefixed


class CatalogueQuantity(NamedTuple):
    canonical: Decimal
    entered: Decimal
    unit: str


def catalogue_item_by_code(code: str, *, field: str = "item") -> CatalogueItem:
    """An active catalogue item by its code, or `unknown_item` on `field`."""
    item = CatalogueItem.objects.filter(code=str(code).strip()).first()
    if item is None or not item.is_active:
        raise invalid(
            field,
            _("Mặt hàng “%(code)s” không có trong danh mục tang vật.") % {"code": code},
            code="unknown_item",
        )
    return item


def catalogue_item(value: CatalogueItem | str, *, field: str = "item") -> CatalogueItem:
    """`value` itself when it is an item, else the item of that code."""
    if isinstance(value, CatalogueItem):
        return value
    return catalogue_item_by_code(value, field=field)


def _quantity(
    item: CatalogueItem, quantity: Any, unit: str, *, localized: bool
) -> CatalogueQuantity:
    entered_unit = (unit or item.canonical_unit).strip()
    measure(entered_unit)
    if entered_unit not in item.input_units:
        raise invalid(
            "unit",
            _("Mặt hàng %(item)s không nhập theo đơn vị “%(unit)s” (được dùng: %(allowed)s).")
            % {"item": item.name, "unit": entered_unit, "allowed": ", ".join(item.input_units)},
            code="unit_not_allowed",
        )
    entered = parse_quantity(quantity, localized=localized)
    if entered == 0:
        raise invalid("quantity", _("Số lượng phải lớn hơn 0."), code="zero_quantity")
    check_whole(entered, entered_unit)
    canonical = convert(entered, entered_unit, item.canonical_unit)
    return CatalogueQuantity(canonical=canonical, entered=entered, unit=entered_unit)


def catalogue_quantity(
    item: CatalogueItem,
    quantity: Any,
    unit: str,
    *,
    field_prefix: str = "",
    localized: bool = True,
) -> CatalogueQuantity:
    """`quantity` of `item` typed in `unit`, checked and in the canonical unit (module doc)."""
    try:
        return _quantity(item, quantity, unit, localized=localized)
    except DomainError as exc:
        if field_prefix:
            raise prefixed(exc, field_prefix) from exc
        raise
