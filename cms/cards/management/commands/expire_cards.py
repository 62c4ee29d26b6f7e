from django.core.management.base import BaseCommand

from cms.cards.lifecycle import expire_due_cards


class Command(BaseCommand):
    help = "Expire les cartes dont le dispositif et le délai de grâce sont terminés (à lancer chaque jour)."

    def handle(self, *args, **options) -> None:
        count = expire_due_cards()
        self.stdout.write(f"{count} carte(s) expirée(s).")
