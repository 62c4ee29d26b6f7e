"""``manage.py create_api_key NAME SOURCE [--organization ID]``: create a partner API key and print its secret once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.organisations.models import Organization
from cms.partners_api.models import ApiKey


class Command(BaseCommand):
    help = "Crée une clé d'API partenaire (affichée une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="nom de la clé")
        parser.add_argument("source", help="source des missions que la clé peut écrire")
        parser.add_argument("--organization", type=int, help="identifiant de l'organisation rattachée")

    def handle(self, *args, name: str, source: str, organization: int | None = None, **options):
        org = None
        if organization is not None:
            org = Organization.objects.filter(pk=organization).first()
            if org is None:
                raise CommandError(f"Organisation {organization} introuvable.")
        try:
            key, secret = ApiKey.create_key(name=name, source=source, organization=org)
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        self.stderr.write(f"Clé « {key.name} » créée pour la source « {key.source} ». Elle ne sera plus affichée :")
        self.stdout.write(secret)
