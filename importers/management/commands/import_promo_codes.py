"""``manage.py import_promo_codes OFFER_ID FILE``: unique promo codes of a ``code`` offer from a CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.offers.models import OfferPage
from importers.promo_codes import PromoCodeImportError, import_promo_codes


class Command(BaseCommand):
    help = "Importe des codes promo (un par ligne, date d'expiration facultative) pour une offre."

    def add_arguments(self, parser):
        parser.add_argument("offer", type=int, help="identifiant de la page d'offre")
        parser.add_argument("file", type=Path)

    def handle(self, *args, offer, file, **options):
        page = OfferPage.objects.filter(pk=offer).first()
        if page is None:
            raise CommandError(f"Offre inconnue : {offer}")
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        with file.open("rb") as stream:
            try:
                report = import_promo_codes(page, stream)
            except PromoCodeImportError as exc:
                raise CommandError("Fichier refusé, aucun code importé :\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(f"{report.created} code(s) importé(s) ; {len(report.duplicates)} doublon(s) ignoré(s).")
