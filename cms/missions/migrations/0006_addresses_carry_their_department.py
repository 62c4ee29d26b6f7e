"""Addresses saved before the model applied ``address_department`` get their department from their postcode now, so
that whatever reads addresses (the search index) takes the stored code as it is."""

from django.db import migrations

from cms.core.geo import DEPARTMENTS, address_department

BATCH = 2000


def fill_departments(apps, schema_editor):
    MissionAddress = apps.get_model("missions", "MissionAddress")
    changed = []
    rows = MissionAddress.objects.exclude(department_code__in=list(DEPARTMENTS)).exclude(postcode="")
    for address in rows.only("pk", "postcode", "department_code", "department_name", "region").iterator(BATCH):
        department = address_department(address.department_code, address.postcode)
        if department is None:
            continue
        address.department_code = department.code
        address.department_name = address.department_name or department.name
        address.region = address.region or department.region
        changed.append(address)
        if len(changed) >= BATCH:
            MissionAddress.objects.bulk_update(changed, ["department_code", "department_name", "region"])
            changed = []
    MissionAddress.objects.bulk_update(changed, ["department_code", "department_name", "region"])


class Migration(migrations.Migration):
    dependencies = [("missions", "0005_fewer_write_indexes")]

    operations = [migrations.RunPython(fill_departments, migrations.RunPython.noop)]
