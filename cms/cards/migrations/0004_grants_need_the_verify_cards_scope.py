"""Keys granted card checks before the ``verify_cards`` scope was required get that scope, so they keep working."""

from django.db import migrations


def grant_scope(apps, schema_editor):
    ApiKey = apps.get_model("partners_api", "ApiKey")
    for key in ApiKey.objects.filter(card_check_grant__isnull=False).exclude(scopes__contains=["verify_cards"]):
        key.scopes = [*key.scopes, "verify_cards"]
        key.save(update_fields=["scopes"])


class Migration(migrations.Migration):
    dependencies = [
        ("cards", "0003_card_daily_stats"),
        ("partners_api", "0003_apikey_scopes_partner_rate_limit"),
    ]

    operations = [migrations.RunPython(grant_scope, migrations.RunPython.noop)]
