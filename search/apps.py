from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Recherche"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Keeping the index true: connect to cms signals here so that cms never imports search.
        from search import indexing

        indexing.connect()
