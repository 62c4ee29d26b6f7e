"""``manage.py seed_demo``: fill an empty database with realistic French sample content (see ``cms.core.demo``)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.core.demo.seed import ADMIN_USERNAME, seed_demo
from cms.core.management.summary import summary_only


class Command(BaseCommand):
    help = "Crée le contenu de démonstration (partenaires, offres, organisations, missions, pages éditoriales)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Supprime puis recrée le contenu de démonstration.")
        parser.add_argument("--missions", type=int, default=500, help="Nombre de missions (500 par défaut).")
        parser.add_argument("--organisations", type=int, default=30, help="Nombre d'organisations (30 par défaut).")
        parser.add_argument(
            "--base-url", default=None, help="Adresse du serveur, pour les liens affichés (BASE_URL par défaut)."
        )

    def handle(self, *args, reset: bool, missions: int, organisations: int, base_url: str | None, **options) -> None:
        with summary_only(options["verbosity"]):
            report = seed_demo(n_missions=missions, n_organisations=organisations, reset=reset)
        base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
        if report.skipped:
            self.stdout.write(
                self.style.WARNING(
                    "Le contenu de démonstration existe déjà : rien n'a été créé (--reset pour le recréer)."
                )
            )
        else:
            summary = ", ".join(f"{name} : {count}" for name, count in report.counts.items())
            self.stdout.write(self.style.SUCCESS(f"Contenu de démonstration créé ({summary})."))
        if report.admin_password:
            self.stdout.write(f"Compte administrateur : {report.admin_username} / {report.admin_password}")
        else:
            self.stdout.write(f"Compte administrateur : {ADMIN_USERNAME} (existant, mot de passe inchangé)")
        for account in report.accounts:
            if account.password:
                self.stdout.write(f"Compte {account.role} : {account.username} / {account.password}")
            else:
                self.stdout.write(f"Compte {account.role} : {account.username} (existant, mot de passe inchangé)")
        for who, contact in report.card_sign_ins:
            self.stdout.write(f"Carte jeune engagé, {who} : {contact}")
        if report.card_sign_ins:
            self.stdout.write(
                "  connexion sans mot de passe : requestSignInCode(contact) puis verifySignInCode avec le code "
                "affiché dans la console du serveur (audience REFERENT pour la référente)"
            )
        self.stdout.write(f"Administration : {base_url}/admin/")
        self.stdout.write(f"API GraphQL : {base_url}/graphql/")
