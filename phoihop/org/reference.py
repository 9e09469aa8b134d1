"""Reference data every installation has: the three forces, the roles and the unit levels.

`HEAD_TITLES`: the title of each standard force's head in a report's signature block, the
default of a province's forces (`org.forces`) until an administrator sets its own.

Seeded by the data migration and again after every `migrate` and every test flush (post_migrate),
so a database is never without them. Idempotent: existing rows are left as administrators
edited them.
"""

from __future__ import annotations

from typing import Any

FORCES = [
    ("CA", "Công an", "Công an", 1),
    ("QS", "Quân sự", "Quân sự", 2),
    ("BP", "Bộ đội Biên phòng", "Biên phòng", 3),
]
# A force not listed here (a partner agency) is given its head's title when it joins a province.
HEAD_TITLES = {"CA": "GIÁM ĐỐC", "QS": "CHỈ HUY TRƯỞNG", "BP": "CHỈ HUY TRƯỞNG"}
# A standard (non-partner) force added by an administrator without a title of its own.
DEFAULT_HEAD_TITLE = "CHỈ HUY TRƯỞNG"
ROLES = [
    ("officer", "Cán bộ"),
    ("commander", "Chỉ huy"),
    ("joint_staff", "Tham mưu tổng hợp"),
    ("administrator", "Quản trị viên"),
]
LEVELS = [
    ("tinh", "Cấp tỉnh", 1),
    ("khu_vuc", "Cấp khu vực", 2),
    ("huyen", "Cấp huyện (đến năm 2025)", 2),
    ("xa", "Cấp xã", 3),
]


def seed(apps: Any, schema_editor: Any = None) -> None:
    Force = apps.get_model("org", "Force")
    Role = apps.get_model("org", "Role")
    UnitLevel = apps.get_model("org", "UnitLevel")
    for code, name, short, order in FORCES:
        Force.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "order": order}
        )
    for code, name in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, rank in LEVELS:
        UnitLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


def seed_after_migrate(
    sender: Any, apps: Any = None, using: str = "default", **kwargs: Any
) -> None:
    from django.apps import apps as global_apps

    registry = apps or global_apps
    try:
        registry.get_model("org", "Force")
    except LookupError:  # migrating to a state before the org tables exist
        return
    seed(registry)
