"""Reference data every installation starts with: the three forces, roles and unit levels."""

from django.db import migrations

from phoihop.org.reference import seed


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
