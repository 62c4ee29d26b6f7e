"""``manage.py import_offers_csv PARTNER FILE [--publish]``: a partner's offers and stores from a CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from cms.offers.models import PartnerPage
from importers.offers_csv import OfferImportError, import_offers


class Command(BaseCommand):
    help = "Importe les offres (et leurs magasins) d'un partenaire depuis un fichier CSV."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="identifiant (slug) ou titre de la page partenaire")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="publier directement au lieu de créer des brouillons"
        )

    def handle(self, *args, partner, file, publish=False, **options):
        page = PartnerPage.objects.filter(Q(slug=partner) | Q(title=partner)).first()
        if page is None:
            raise CommandError(f"Partenaire inconnu : {partner}")
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        with file.open("rb") as stream:
            try:
                report = import_offers(page, stream, publish=publish)
            except OfferImportError as exc:
                raise CommandError("Fichier refusé, rien n'a été importé :\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"{report.offers} offre(s) et {report.stores} magasin(s) importés ; "
            f"{len(report.duplicates)} doublon(s) ignoré(s)."
        )
