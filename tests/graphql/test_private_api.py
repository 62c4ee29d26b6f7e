"""One test per private API item of ``graphql_api/core/private_api.py``: after an upgrade, a failure names the item."""

from __future__ import annotations

import pytest
import strawberry
from django.conf import settings
from django.db.models import Prefetch
from graphql import GraphQLResolveInfo
from strawberry.types.field import StrawberryField
from strawberry_django.optimizer import is_optimized, mark_optimized_by_prefetching

from cms.missions.models import Mission, MissionAddress
from graphql_api.core import private_api
from graphql_api.core.optimizer import plans
from graphql_api.schema import schema
from tests.factories.missions import MissionAddressFactory, MissionFactory

SEE = "see graphql_api/core/private_api.py"


class BasicField(StrawberryField):
    calls: list = []  # noqa: RUF012 - shared on purpose: the test reads what the class recorded

    @property
    def is_basic_field(self) -> bool:
        return True

    def get_result(self, source, info, args, kwargs):
        BasicField.calls.append(info)
        return "lu"


@strawberry.type
class BasicQuery:
    name: str = BasicField(python_name="name", graphql_name=None, type_annotation=None)


def test_item_1_strawberry_resolves_a_basic_field_through_get_result_without_info():
    BasicField.calls.clear()
    result = strawberry.Schema(query=BasicQuery).execute_sync("{ name }", root_value=BasicQuery(name="x"))

    message = "strawberry no longer resolves a field whose is_basic_field is True by get_result(source, None, …)"
    assert result.data == {"name": "lu"}, f"{message}: {SEE}, item 1 (StrawberryField.is_basic_field)"
    assert BasicField.calls == [None], f"{message}: {SEE}, item 1 (StrawberryField.is_basic_field)"


def test_item_2_strawberry_s_info_carries_graphql_core_s_resolve_info():
    seen = []

    @strawberry.type
    class Query:
        @strawberry.field
        def answer(self, info: strawberry.Info) -> int:
            seen.append(private_api.raw_info(info))
            return 1

    strawberry.Schema(query=Query).execute_sync("{ answer }")

    (raw,) = seen
    assert all(hasattr(raw, name) for name in GraphQLResolveInfo._fields), (
        f"strawberry's Info no longer keeps graphql-core's resolve info in _raw_info: {SEE}, item 2 (Info._raw_info)"
    )


def test_item_3_graphql_core_s_schema_points_back_to_strawberry_s():
    assert getattr(schema._schema, "_strawberry_schema", None) is schema, (
        f"graphql-core's schema no longer points to strawberry's through _strawberry_schema: {SEE}, item 3"
    )


@pytest.mark.skipif(not settings.GRAPHQL_FAST_PATH, reason="the plan cache is off (GRAPHQL_FAST_PATH)")
def test_item_4_the_optimizer_records_its_hints_in_a_store_that_is_never_empty(run_query, db):
    plans.clear()
    MissionFactory()

    run_query("{ missions(first: 1) { edges { node { title } } } }")
    (store,) = plans.stores()
    plans.clear()

    message = "strawberry-django's optimize(store=…) no longer merges its hints into a truthy store it is given"
    assert store is not None, f"{message}: {SEE}, item 4 (RecordingStore, OptimizerStore.__bool__)"
    assert "title" in store.only, f"{message}: {SEE}, item 4 (RecordingStore, OptimizerStore.__bool__)"


def test_item_5_a_queryset_marked_optimized_is_left_alone_by_the_optimizer(db):
    assert is_optimized(private_api.mark_optimized(Mission.objects.all())), (
        f"strawberry-django no longer reads get_queryset_config(qs).optimized: {SEE}, item 5"
    )


def test_item_6_prefetched_rows_and_evaluated_querysets_are_read_from_django_s_caches(db):
    mission = MissionFactory()
    MissionAddressFactory(mission=mission)
    addresses = mark_optimized_by_prefetching(MissionAddress.objects.all())
    queryset = Mission.objects.prefetch_related(Prefetch("addresses", queryset=addresses))
    before = private_api.is_evaluated(queryset)
    (loaded,) = list(queryset)

    rows = private_api.prefetched_rows(loaded, "addresses")

    assert (before, private_api.is_evaluated(queryset)) == (False, True), (
        f"Django's QuerySet no longer keeps its rows in _result_cache: {SEE}, item 6"
    )
    message = f"Django no longer keeps prefetched rows in _prefetched_objects_cache: {SEE}, item 6"
    assert rows is not None, message
    assert [row.pk for row in rows] == [address.pk for address in loaded.addresses.all()], message


@pytest.mark.django_db
def test_item_7_modelcluster_keeps_a_draft_s_unsaved_rows_apart():
    mission = MissionFactory()
    mission.addresses = [MissionAddress(city="Brouillon-sur-Mer")]

    assert "addresses" in getattr(mission, "_cluster_related_objects", {}), (
        f"modelcluster no longer keeps unsaved child rows in _cluster_related_objects: {SEE}, item 7"
    )
