"""What keeps execution cheap (``graphql_api/core/execution.py``) keeps answers the same.

Fields that only read the model resolve as strawberry "basic" fields (no ``Info``, no extension chain); the value
they return must be the model's, whether the query loaded it or not.
"""

from __future__ import annotations

import pytest
from strawberry.extensions import SchemaExtension

from cms.missions.models import Mission
from graphql_api.schema import schema
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory


def schema_field(type_name: str, field_name: str):
    definition = schema.get_type_by_name(type_name)
    return next(f for f in definition.fields if schema.config.name_converter.get_graphql_name(f) == field_name)


@pytest.mark.parametrize("field_name", ["title", "startDate", "remote", "descriptionHtml"])
def test_columns_resolve_as_basic_fields(field_name):
    assert schema_field("Mission", field_name).is_basic_field


@pytest.mark.parametrize("field_name", ["organisation", "programme", "domain"])
def test_foreign_keys_resolve_as_basic_fields(field_name):
    assert schema_field("Mission", field_name).is_basic_field


def test_the_database_id_resolves_as_a_basic_field():
    assert schema_field("Mission", "databaseId").is_basic_field


def test_fields_with_a_resolver_keep_the_full_resolution_path():
    assert not schema_field("Mission", "compensation").is_basic_field


def test_lists_of_related_objects_keep_the_full_resolution_path():
    assert not schema_field("Mission", "addresses").is_basic_field


def test_a_column_the_query_did_not_load_is_still_resolved(db):
    mission = MissionFactory(title="Planter des haies")
    deferred = Mission.objects.only("pk").get(pk=mission.pk)

    assert schema_field("Mission", "title").get_result(deferred, None, [], {}) == "Planter des haies"


def test_a_foreign_key_the_query_did_not_join_is_still_resolved(db):
    mission = MissionFactory()
    not_joined = Mission.objects.only("pk", "organization_id").get(pk=mission.pk)

    assert schema_field("Mission", "organisation").get_result(not_joined, None, [], {}) == mission.organization


def test_the_database_id_of_a_page_is_its_primary_key(run_query, offers_index):
    offer = OfferPageFactory()

    result = run_query("query Offer($slug: String!) { offer(slug: $slug) { databaseId } }", {"slug": offer.slug})

    assert result.data == {"offer": {"databaseId": offer.pk}}


def test_no_schema_extension_wraps_the_resolution_of_every_field():
    wrapping = [
        type(ext).__name__ for ext in schema.get_extensions() if type(ext).resolve is not SchemaExtension.resolve
    ]

    assert wrapping == []
