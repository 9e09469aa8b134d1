"""Reference data every installation starts with: the three forces, roles and unit levels."""

from django.db import migrations

FORCES = [
    ("CA", "Công an", "Công an", 1),
    ("QS", "Quân sự", "Quân sự", 2),
    ("BP", "Bộ đội Biên phòng", "Biên phòng", 3),
]
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


def seed(apps, schema_editor):
    Force = apps.get_model("org", "Force")
    Role = apps.get_model("org", "Role")
    UnitLevel = apps.get_model("org", "UnitLevel")
    for code, name, short, order in FORCES:
        Force.objects.get_or_create(code=code, defaults={"name": name, "short_name": short, "order": order})
    for code, name in ROLES:
        Role.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, rank in LEVELS:
        UnitLevel.objects.get_or_create(code=code, defaults={"name": name, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
