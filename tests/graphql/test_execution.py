"""What keeps execution cheap (``graphql_api/core/execution.py``) keeps answers the same.

Fields that only read the model resolve as strawberry "basic" fields (no ``Info``, no extension chain); the value
they return must be the model's, whether the query loaded it or not. All of it is the ``GRAPHQL_FAST_PATH`` layer.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.models import Prefetch
from strawberry.extensions import SchemaExtension
from strawberry.schema.name_converter import NameConverter
from strawberry_django.optimizer import mark_optimized_by_prefetching

from cms.missions.models import Mission, MissionAddress
from graphql_api.core.private_api import prefetched_rows
from graphql_api.schema import schema
from tests.factories.missions import MissionAddressFactory, MissionFactory
from tests.factories.offers import OfferPageFactory

pytestmark = pytest.mark.skipif(not settings.GRAPHQL_FAST_PATH, reason="the fast path is off (GRAPHQL_FAST_PATH)")


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


def test_a_joined_foreign_key_is_read_from_the_relation_cache(db, django_assert_num_queries):
    mission = MissionFactory()
    joined = Mission.objects.select_related("organization", "programme").get(pk=mission.pk)
    joined.programme = None  # a null relation is cached as None, and answered as such

    with django_assert_num_queries(0):
        assert schema_field("Mission", "organisation").get_result(joined, None, [], {}) == mission.organization
        assert schema_field("Mission", "programme").get_result(joined, None, [], {}) is None


def test_rows_the_optimizer_prefetched_are_read_without_the_relations_manager(db):
    mission = MissionFactory()
    MissionAddressFactory(mission=mission)
    addresses = MissionAddress.objects.all()
    mark_optimized_by_prefetching(addresses)
    prefetched = Mission.objects.prefetch_related(Prefetch("addresses", queryset=addresses)).get(pk=mission.pk)

    assert schema_field("Mission", "addresses")._prefetch_cache_name == "addresses"
    assert prefetched_rows(prefetched, "addresses") == list(prefetched.addresses.all())


def test_rows_prefetched_outside_the_optimizer_go_through_the_field_s_queryset(db):
    mission = MissionFactory()
    prefetched = Mission.objects.prefetch_related("addresses").get(pk=mission.pk)

    assert prefetched_rows(prefetched, "addresses") is None


def test_unsaved_rows_of_a_previewed_draft_go_through_the_relation_s_manager(db):
    mission = MissionFactory()
    addresses = MissionAddress.objects.all()
    mark_optimized_by_prefetching(addresses)
    prefetched = Mission.objects.prefetch_related(Prefetch("addresses", queryset=addresses)).get(pk=mission.pk)
    prefetched.addresses = [MissionAddress(city="Brouillon-sur-Mer")]

    assert prefetched_rows(prefetched, "addresses") is None


def test_the_database_id_of_a_page_is_its_primary_key(run_query, offers_index):
    offer = OfferPageFactory()

    result = run_query("query Offer($slug: String!) { offer(slug: $slug) { databaseId } }", {"slug": offer.slug})

    assert result.data == {"offer": {"databaseId": offer.pk}}


def test_no_schema_extension_wraps_the_resolution_of_every_field():
    wrapping = [
        type(ext).__name__ for ext in schema.get_extensions() if type(ext).resolve is not SchemaExtension.resolve
    ]

    assert wrapping == []


def test_remembered_field_names_are_strawberrys():
    converter = schema.config.name_converter
    plain = NameConverter()
    fields = [
        field
        for definition in schema.schema_converter.type_map.values()
        for field in getattr(definition.definition, "fields", ())
    ]

    assert fields
    for _ in range(2):  # computed, then remembered
        assert [converter.get_graphql_name(f) for f in fields] == [plain.get_graphql_name(f) for f in fields]
