from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "cms.cards"
    label = "cards"
    verbose_name = "Carte jeune engagé"
    default_auto_field = "django.db.models.BigAutoField"
