"""The zone kinds become catalogue rows: the five every installation starts with, and a row for
any other code a zone already names, so that no zone is left without its kind."""

from django.db import migrations

STARTING = [
    ("lockdown", "Khu vực phong tỏa", "khu phong tỏa", 10),
    ("quarantine", "Khu cách ly", "khu cách ly", 20),
    ("treatment", "Cơ sở điều trị", "cơ sở điều trị", 30),
    ("enhanced_treatment", "Cơ sở điều trị tăng cường", "cơ sở điều trị tăng cường", 40),
    ("key_target", "Mục tiêu trọng điểm", "mục tiêu trọng điểm", 50),
]


def forwards(apps, schema_editor):
    ZoneCategory = apps.get_model("operations", "ZoneCategory")
    ProtectedZone = apps.get_model("operations", "ProtectedZone")
    for code, name, phrase, order in STARTING:
        ZoneCategory.objects.get_or_create(
            code=code, defaults={"name": name, "report_phrase": phrase, "order": order}
        )
    named = set(ProtectedZone._base_manager.values_list("zone_kind", flat=True).distinct())
    known = set(ZoneCategory.objects.values_list("code", flat=True))
    for position, code in enumerate(sorted(named - known - {""}), start=1):
        ZoneCategory.objects.create(code=code, name=code, report_phrase=code, order=100 + position)


class Migration(migrations.Migration):
    dependencies = [("operations", "0002_figures_provinces_report")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
