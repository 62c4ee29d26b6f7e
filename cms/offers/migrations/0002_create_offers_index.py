import uuid

from django.db import migrations


def create_offers_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("pages.HomePage")
    OffersIndexPage = apps.get_model("offers.OffersIndexPage")

    home = HomePage.objects.filter(depth=2).first()
    if home is None or OffersIndexPage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="offersindexpage", app_label="offers")
    OffersIndexPage.objects.create(
        title="Offres Carte jeune engagé",
        draft_title="Offres Carte jeune engagé",
        slug="offres",
        content_type=content_type,
        path=home.path + "0001",
        depth=3,
        numchild=0,
        url_path=home.url_path + "offres/",
        live=True,
        locale_id=home.locale_id,
        translation_key=uuid.uuid4(),
    )
    HomePage.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial"), ("pages", "0002_create_homepage")]

    operations = [migrations.RunPython(create_offers_index, migrations.RunPython.noop)]
