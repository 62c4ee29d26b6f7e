"""``manage.py onboard_partner "Nom" [--website URL] [--colour #hex] [--user EMAIL]...``: see cms.offers.onboarding."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.core.management.summary import summary_only
from cms.offers.onboarding import onboard_partner


class Command(BaseCommand):
    help = "Crée (ou complète) la page, le groupe, la collection d'images et les comptes d'un partenaire."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="nom du partenaire, tel qu'affiché")
        parser.add_argument("--website", default="", help="site web du partenaire (http ou https)")
        parser.add_argument("--colour", default="", help="couleur de marque, par ex. #1a2b3c")
        parser.add_argument(
            "--user", dest="users", action="append", default=[], metavar="EMAIL", help="compte à rattacher (répétable)"
        )

    def handle(self, *args, name: str, website: str, colour: str, users: list[str], **options) -> None:
        try:
            with summary_only(options["verbosity"]):
                result = onboard_partner(name, website=website, colour=colour, user_emails=users)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        for change in result.changes:
            self.stdout.write(f"- {change}")
        summary = "prêt" if result.changes else "déjà en place, rien à changer"
        self.stdout.write(self.style.SUCCESS(f"Partenaire « {result.page.title} » {summary}."))
