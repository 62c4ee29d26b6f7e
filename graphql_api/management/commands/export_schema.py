"""``manage.py export_schema``: writes the SDL front-end teams read (``frontend_contract/schema.graphql``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from graphql_api.schema import schema

DEFAULT_PATH = Path(settings.BASE_DIR) / "frontend_contract" / "schema.graphql"


def schema_sdl() -> str:
    return str(schema).rstrip("\n") + "\n"


class Command(BaseCommand):
    help = "Écrit le schéma GraphQL (SDL) dans frontend_contract/schema.graphql."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help="Fichier à écrire.")

    def handle(self, *args, path: Path, **options) -> None:
        path.write_text(schema_sdl(), encoding="utf-8")
        self.stdout.write(f"Schéma écrit dans {path}")
