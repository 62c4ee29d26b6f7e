from django.apps import AppConfig


class PartnersApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms.partners_api"
    label = "partners_api"
    verbose_name = "API partenaires"
