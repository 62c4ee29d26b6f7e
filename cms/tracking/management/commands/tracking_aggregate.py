import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from cms.cards.aggregates import aggregate_cards
from cms.syndication.usage import count_clicks_and_applications
from cms.tracking.aggregates import aggregate_recent
from cms.tracking.partitions import ensure_partitions


class Command(BaseCommand):
    help = (
        "Recalcule les statistiques quotidiennes du suivi (et les clics et candidatures par clé d'API) et de la "
        "carte (activations, économies, cartes actives), et prépare les partitions des mois à venir."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="Nombre de jours recalculés, aujourd'hui compris.")

    def handle(self, *args, days: int, **options):
        today = timezone.localdate()
        created = ensure_partitions(today)
        rows = aggregate_recent(today, max(days, 1))
        card_rows = aggregate_cards(today, max(days, 1))
        for offset in range(max(days, 1)):
            count_clicks_and_applications(today - dt.timedelta(days=offset))
        self.stdout.write(
            f"{rows} lignes de statistiques écrites, {card_rows} lignes d'activations ; "
            f"partitions créées : {', '.join(created) or 'aucune'}."
        )
