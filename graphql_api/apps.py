from django.apps import AppConfig


class GraphqlApiConfig(AppConfig):
    name = "graphql_api"
    label = "graphql_api"
    verbose_name = "API GraphQL"

    def ready(self) -> None:
        from graphql_api.core import generations, persisted
        from graphql_api.core.answers import check_configuration as check_answer_cache
        from graphql_api.core.ratelimit import check_configuration

        check_configuration()
        check_answer_cache()
        generations.connect()
        persisted.registry()
