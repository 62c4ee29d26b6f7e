from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.syndication"
    label = "syndication"
    verbose_name = "Diffusion"

    def ready(self) -> None:
        from . import cors  # noqa: F401 - connects the CORS signal
