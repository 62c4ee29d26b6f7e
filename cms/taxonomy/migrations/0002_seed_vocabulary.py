from decimal import Decimal

from django.db import migrations

from cms.taxonomy.vocabulary import DOMAINS, NEEDS, OFFER_CATEGORIES, PROGRAMMES


def seed(apps, schema_editor):
    Domain = apps.get_model("taxonomy", "Domain")
    Programme = apps.get_model("taxonomy", "Programme")
    OfferCategory = apps.get_model("taxonomy", "OfferCategory")
    Need = apps.get_model("taxonomy", "Need")
    for position, (slug, label) in enumerate(DOMAINS):
        Domain.objects.update_or_create(slug=slug, defaults={"label": label, "position": position})
    for position, data in enumerate(PROGRAMMES):
        values = {**data, "position": position}
        slug = values.pop("slug")
        if values["monthly_allowance"] is not None:
            values["monthly_allowance"] = Decimal(values["monthly_allowance"])
        Programme.objects.update_or_create(slug=slug, defaults=values)
    for position, (slug, label, icon) in enumerate(OFFER_CATEGORIES):
        OfferCategory.objects.update_or_create(slug=slug, defaults={"label": label, "icon": icon, "position": position})
    for position, (slug, label) in enumerate(NEEDS):
        Need.objects.update_or_create(slug=slug, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
