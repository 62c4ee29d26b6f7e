from django.core.management.base import BaseCommand

from cms.cards.reminders import send_expiry_reminders, send_weekly_digests


class Command(BaseCommand):
    help = "Envoie les rappels d'expiration et la lettre hebdomadaire des offres (à lancer chaque jour)."

    def handle(self, *args, **options) -> None:
        reminders = send_expiry_reminders()
        digests = send_weekly_digests()
        self.stdout.write(f"{reminders} rappel(s) d'expiration, {digests} lettre(s) hebdomadaire(s) envoyé(s).")
