"""``manage.py rotate_api_key PREFIX [--overlap-days N]``: issue a successor key, the old one valid N more days."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from cms.partners_api.models import DEFAULT_ROTATION_OVERLAP, ApiKey


class Command(BaseCommand):
    help = (
        "Renouvelle une clé d'API : nouvelle clé affichée une fois, l'ancienne reste valable pendant le recouvrement."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="début de la clé à renouveler (trmp_xxxxxxxx)")
        parser.add_argument("--overlap-days", type=int, default=DEFAULT_ROTATION_OVERLAP.days)

    def handle(self, *args, prefix: str, overlap_days: int, **options):
        key = ApiKey.objects.active().filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"Aucune clé active ne commence par « {prefix} ».")
        if overlap_days < 0:
            raise CommandError("Le recouvrement ne peut pas être négatif.")
        successor, secret = key.rotate(overlap=dt.timedelta(days=overlap_days))
        self.stderr.write(
            f"Nouvelle clé « {successor.name} » ; l'ancienne reste valable jusqu'au {key.expires_at:%d/%m/%Y %H:%M}. "
            "Elle ne sera plus affichée :"
        )
        self.stdout.write(secret)
