"""The catalogue of laws every installation starts with (administrators edit it afterwards).

Seeded after every `migrate` and test flush, idempotently: a law administrators changed or
retired is left as they left it.
"""

from __future__ import annotations

from typing import Any

from phoihop.core.seeding import after_migrate

# code, name
LAWS: list[tuple[str, str]] = [
    ("can-cuoc", "Luật Căn cước"),
    (
        "luc-luong-bao-ve-antt-co-so",
        "Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở",
    ),
    ("trat-tu-atgt-duong-bo", "Luật Trật tự, an toàn giao thông đường bộ"),
    ("phong-chay-chua-chay", "Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ"),
    ("nghia-vu-quan-su", "Luật Nghĩa vụ quân sự"),
    ("bien-phong", "Luật Biên phòng Việt Nam"),
    ("vu-khi-vat-lieu-no", "Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ"),
    ("phong-chong-ma-tuy", "Luật Phòng, chống ma túy"),
    ("dan-quan-tu-ve", "Luật Dân quân tự vệ"),
    ("cu-tru", "Luật Cư trú"),
    ("phong-chong-mua-ban-nguoi", "Luật Phòng, chống mua bán người"),
    ("bien-viet-nam", "Luật Biển Việt Nam"),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    Law = apps.get_model("mobilisation", "Law")
    for order, (code, name) in enumerate(LAWS, start=1):
        Law.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


seed_after_migrate = after_migrate(seed, "mobilisation", "Law")
