"""What keeps execution cheap (``graphql_api/core/execution.py``) keeps answers the same.

Fields that only read the model resolve as strawberry "basic" fields (no ``Info``, no extension chain); the value
they return must be the model's, whether the query loaded it or not.
"""

from __future__ import annotations

import enum

import pytest
import strawberry
from django.db.models import Prefetch
from strawberry.extensions import SchemaExtension
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry_django.optimizer import mark_optimized_by_prefetching

from cms.missions.models import Mission
from cms.offers.models import OfferPage, OfferStore
from graphql_api.core.execution import LeafExecutionContext, _basic_leaves, prefetched_rows
from graphql_api.schema import schema
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory, OfferStoreFactory


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


def test_rows_the_optimizer_prefetched_are_read_without_the_relations_manager(offers_index):
    offer = OfferPageFactory()
    OfferStoreFactory(offer=offer)
    stores = OfferStore.objects.all()
    mark_optimized_by_prefetching(stores)
    prefetched = OfferPage.objects.prefetch_related(Prefetch("stores", queryset=stores)).get(pk=offer.pk)

    assert schema_field("Offer", "stores")._prefetch_cache_name == "stores"
    assert prefetched_rows(prefetched, "stores") is prefetched._prefetched_objects_cache["stores"]._result_cache


def test_rows_prefetched_outside_the_optimizer_go_through_the_field_s_queryset(offers_index):
    offer = OfferPageFactory()
    prefetched = OfferPage.objects.prefetch_related("stores").get(pk=offer.pk)

    assert prefetched_rows(prefetched, "stores") is None


def test_unsaved_rows_of_a_previewed_draft_go_through_the_relation_s_manager(offers_index):
    offer = OfferPageFactory()
    stores = OfferStore.objects.all()
    mark_optimized_by_prefetching(stores)
    prefetched = OfferPage.objects.prefetch_related(Prefetch("stores", queryset=stores)).get(pk=offer.pk)
    prefetched.stores = [OfferStore(name="Magasin du brouillon")]

    assert prefetched_rows(prefetched, "stores") is None


def test_the_database_id_of_a_page_is_its_primary_key(run_query, offers_index):
    offer = OfferPageFactory()

    result = run_query("query Offer($slug: String!) { offer(slug: $slug) { databaseId } }", {"slug": offer.slug})

    assert result.data == {"offer": {"databaseId": offer.pk}}


def test_no_schema_extension_wraps_the_resolution_of_every_field():
    wrapping = [
        type(ext).__name__ for ext in schema.get_extensions() if type(ext).resolve is not SchemaExtension.resolve
    ]

    assert wrapping == []


# LeafExecutionContext: basic scalar/enum fields skip the resolve info and the generic completion.


def test_basic_scalar_and_enum_fields_take_the_short_path():
    leaves = _basic_leaves(schema._schema)

    assert {("Mission", "title"), ("Mission", "remote"), ("Mission", "databaseId"), ("Offer", "kind")} <= set(leaves)


@pytest.mark.parametrize(
    ("type_name", "field_name"),
    [("Mission", "compensation"), ("Mission", "addresses"), ("Mission", "organisation"), ("Mission", "id")],
)
def test_fields_with_a_resolver_a_list_or_an_object_type_take_graphql_cores_path(type_name, field_name):
    assert (type_name, field_name) not in _basic_leaves(schema._schema)


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"


@strawberry.type
class Thing:
    name: str
    nickname: str | None
    count: int
    colour: Colour


@strawberry.type
class ThingQuery:
    @strawberry.field
    def things(self) -> list[Thing | None]:  # an item that fails is null, not the whole list
        return [
            Thing(name="ok", nickname=None, count=1, colour=Colour.RED),
            Thing(name=None, nickname="x", count=2, colour=Colour.RED),  # null in a non-null field
            Thing(name="big", nickname=None, count=2**40, colour=Colour.RED),  # not a GraphQL Int
            Thing(name="odd", nickname=None, count=3, colour="purple"),  # not a Colour
        ]


THINGS = "{ things { name nickname count colour } }"


def run_things(execution_context_class):
    things_schema = strawberry.Schema(query=ThingQuery, execution_context_class=execution_context_class)
    result = things_schema.execute_sync(THINGS)
    return result.data, sorted((tuple(error.path), error.message) for error in result.errors or [])


def test_the_short_path_answers_and_fails_exactly_like_graphql_core():
    data, errors = run_things(LeafExecutionContext)

    assert (data, errors) == run_things(StrawberryGraphQLCoreExecutionContext)
    assert data["things"] == [{"name": "ok", "nickname": None, "count": 1, "colour": "RED"}, None, None, None]
    assert [path for path, _ in errors] == [("things", 1, "name"), ("things", 2, "count"), ("things", 3, "colour")]


def test_the_schema_runs_with_the_short_path():
    assert schema.execution_context_class is LeafExecutionContext


def test_a_full_offer_is_the_same_through_both_executors(run_query, offers_index, monkeypatch):
    offer = OfferPageFactory()
    query = """query Offer($slug: String!) { offer(slug: $slug) {
      databaseId title subtitle kind channel discountType discountValue validFrom validUntil nationwide
      estimatedSaving usageRule usageIntervalDays linkUrl partner { title website } categories { slug label }
      needs { slug label } stores { name city postcode latitude longitude } } }"""

    short = run_query(query, {"slug": offer.slug})
    monkeypatch.setattr(schema, "execution_context_class", StrawberryGraphQLCoreExecutionContext)
    generic = run_query(query, {"slug": offer.slug})

    assert short.errors == generic.errors == []
    assert short.data == generic.data


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
