from django.apps import AppConfig


class GraphqlApiConfig(AppConfig):
    name = "graphql_api"
    label = "graphql_api"
    verbose_name = "API GraphQL"

    def ready(self) -> None:
        from graphql_api.core.ratelimit import check_configuration

        check_configuration()
