"""Every field of a model type that reads the model takes the project's field class (``ModelField``).

``strawberry_django.type(…, field_cls=ModelField)`` covers the fields it creates from annotations; a field declared
with ``strawberry_django.field(…)`` gets strawberry-django's own class unless it says otherwise, and nothing else
would fail: it would just skip the fast path (``graphql_api/core/execution.py``). This test walks the schema.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from strawberry_django.utils.typing import get_django_definition

from graphql_api.core.execution import ModelField
from graphql_api.schema import schema


def reads_a_model_field(model, field) -> bool:
    name = getattr(field, "django_name", None) or field.python_name
    if name == "pk":
        return True
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def test_every_field_reading_a_model_field_without_a_resolver_is_a_model_field():
    offending = []
    for concrete in schema.schema_converter.type_map.values():
        definition = concrete.definition
        django_definition = get_django_definition(getattr(definition, "origin", None))
        if django_definition is None or django_definition.model is None or definition.is_input:
            continue
        for field in definition.fields:
            if field.base_resolver is None and reads_a_model_field(django_definition.model, field):
                if not isinstance(field, ModelField):
                    offending.append(f"{definition.name}.{field.python_name}")

    assert offending == [], f"declare with strawberry_django.field(field_cls=ModelField, …): {offending}"
