from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "cms.tracking"
    label = "tracking"
    verbose_name = "Suivi et impact"
