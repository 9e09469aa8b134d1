"""The item catalogue every installation starts with (administrators edit it afterwards).

Seeded after every `migrate` and test flush, idempotently: an item administrators changed is
left as they left it.
"""

from __future__ import annotations

from typing import Any

from phoihop.core.seeding import after_migrate

# code, name, category, canonical unit, other input units, report phrase
CATALOGUE: list[tuple[str, str, str, str, list[str], str]] = [
    ("heroin", "Heroin", "drugs", "gam", ["mg", "kg"], "gam heroin"),
    ("ma-tuy-da", "Ma túy đá", "drugs", "gam", ["mg", "kg"], "gam ma túy đá"),
    ("thuoc-phien", "Thuốc phiện", "drugs", "gam", ["kg"], "gam thuốc phiện"),
    ("can-sa", "Cần sa", "drugs", "gam", ["kg"], "gam cần sa"),
    ("ma-tuy-tong-hop", "Ma túy tổng hợp", "drugs", "viên", [], "viên ma túy tổng hợp"),
    ("phao-no", "Pháo nổ", "explosives", "kg", ["gam", "tấn"], "kg pháo nổ"),
    ("thuoc-no", "Thuốc nổ", "explosives", "kg", ["gam", "tấn"], "kg thuốc nổ"),
    ("day-chay-cham", "Dây cháy chậm", "explosives", "m", ["cm", "km"], "m dây cháy chậm"),
    ("kip-no", "Kíp nổ", "explosives", "kíp", [], "kíp nổ"),
    ("luu-dan", "Lựu đạn", "weapons", "quả", [], "quả lựu đạn"),
    ("sung", "Súng các loại", "weapons", "khẩu", [], "khẩu súng các loại"),
    ("dan", "Đạn các loại", "weapons", "viên", [], "viên đạn các loại"),
    ("dao-kiem", "Dao, kiếm", "weapons", "cái", [], "dao, kiếm"),
    ("cong-cu-ho-tro", "Công cụ hỗ trợ", "weapons", "cái", [], "công cụ hỗ trợ"),
    ("go", "Gỗ các loại", "forest", "m3", [], "m3 gỗ các loại"),
    ("dong-vat-hoang-da", "Động vật hoang dã", "forest", "kg", ["gam"], "kg động vật hoang dã"),
    ("thuoc-la", "Thuốc lá điếu", "goods", "bao", [], "bao thuốc lá"),
    ("xang-dau", "Xăng dầu", "fuel", "lít", ["ml", "m3"], "lít xăng dầu"),
    ("phuong-tien", "Phương tiện", "vehicles", "chiếc", [], "phương tiện"),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    CatalogueItem = apps.get_model("cases", "CatalogueItem")
    for order, (code, name, category, unit, others, phrase) in enumerate(CATALOGUE, start=1):
        CatalogueItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "category": category,
                "canonical_unit": unit,
                "allowed_units": others,
                "report_phrase": phrase,
                "order": order * 10,
            },
        )


seed_after_migrate = after_migrate(seed, "cases", "CatalogueItem")
