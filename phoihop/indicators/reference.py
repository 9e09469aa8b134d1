"""What every installation starts with: entered indicators, one consistency rule, and the derived
indicators the modules register in code (administrators edit the entered ones afterwards).

Seeded after every `migrate` and test flush, idempotently: a row administrators changed (or
deleted) is left as they left it.
"""

from __future__ import annotations

from typing import Any

from phoihop.core.seeding import after_migrate

# code, name, unit, value kind, aggregation, order
ENTERED: list[tuple[str, str, str, str, str, int]] = [
    ("tt.tuan-tra", "Số lượt tuần tra, kiểm soát", "lượt", "count", "sum", 1010),
    (
        "tt.can-bo-tuan-tra",
        "Số lượt cán bộ, chiến sĩ tham gia tuần tra, kiểm soát",
        "lượt người",
        "count",
        "sum",
        1020,
    ),
    ("tt.tuyen-truyen", "Số buổi tuyên truyền, phổ biến pháp luật", "buổi", "count", "sum", 1030),
    ("tt.nguoi-nghe", "Số lượt người nghe tuyên truyền", "lượt người", "count", "sum", 1040),
    (
        "tt.doi-tuong-xu-ly",
        "Số đối tượng bắt giữ, xử lý (chưa nhập vụ việc vào hệ thống)",
        "đối tượng",
        "count",
        "sum",
        1050,
    ),
    (
        "tt.truy-na-bat",
        "Số đối tượng truy nã bắt giữ (chưa nhập vào hệ thống)",
        "đối tượng",
        "count",
        "sum",
        1060,
    ),
    ("tt.kinh-phi", "Kinh phí bảo đảm cho công tác phối hợp", "triệu đồng", "decimal", "sum", 1070),
    (
        "tt.ho-cam-ket",
        "Tỷ lệ hộ gia đình ký cam kết không vi phạm pháp luật",
        "%",
        "decimal",
        "average",
        1080,
    ),
]

# The consistency rules every installation starts with: (left, comparison, right).
RULES: list[tuple[str, str, str]] = [
    # Wanted persons arrested are among the subjects arrested or dealt with.
    ("tt.doi-tuong-xu-ly", "gte", "tt.truy-na-bat"),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    from phoihop.indicators.registry import sync_catalogue

    Indicator = apps.get_model("indicators", "Indicator")
    ConsistencyRule = apps.get_model("indicators", "ConsistencyRule")
    for code, name, unit, value_kind, aggregation, order in ENTERED:
        Indicator._base_manager.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": "entered",
                "value_kind": value_kind,
                "aggregation": aggregation,
                "order": order,
            },
        )
    for left, comparison, right in RULES:
        left_row = Indicator._base_manager.filter(code=left).first()
        right_row = Indicator._base_manager.filter(code=right).first()
        if left_row is None or right_row is None:
            continue
        ConsistencyRule._base_manager.get_or_create(
            left=left_row, right=right_row, form=None, defaults={"comparison": comparison}
        )
    sync_catalogue(apps)


seed_after_migrate = after_migrate(seed, "indicators", "Indicator", "ConsistencyRule")
