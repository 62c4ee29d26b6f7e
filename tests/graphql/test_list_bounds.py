"""Every list of the schema has a real bound: a page size the API enforces or a maximum the data keeps where it is
written. The cost estimate charges each list at that bound, so nested lists cannot hide their size."""

from __future__ import annotations

import re

import pytest
import strawberry
from django.core.exceptions import ValidationError
from graphql import is_interface_type, is_object_type, parse

from cms.core.blocks import BODY_BLOCKS_MAX, CONDITION_BLOCKS_MAX, FAQ_ITEMS_MAX, STEP_BLOCKS_MAX
from cms.offers.models import OFFER_STORES_MAX, OfferPage
from cms.pages.models import ContentPage, HomePage
from cms.taxonomy.models import TAXONOMY_TERMS_MAX, Need
from graphql_api.core.limits import declared_max_items, estimate_cost, max_items, unbounded_list_fields
from graphql_api.core.paging import PAGE_SIZE
from graphql_api.schema import schema
from graphql_api.search.queries import FACET_PAGE_DEFAULT
from search.base import FACET_PAGE_MAX, FACET_VALUES_MAX, FacetPageQuery, SearchQuery, facet_page, facet_values
from search.recommendation import RECOMMENDATIONS_MAX
from tests.factories.offers import OfferPageFactory, PartnerPageFactory
from tests.factories.pages import ContentPageFactory


def cost(query: str) -> int:
    return estimate_cost(schema._schema, parse(query))


def test_every_list_field_of_the_schema_has_a_page_size_a_connection_or_a_declared_bound():
    unbounded = unbounded_list_fields(schema._schema)

    assert unbounded == [], (
        f"List fields without a real bound (add first/offset, make it a connection, or declare max_items(n) "
        f"for a maximum the data keeps where it is written): {', '.join(unbounded)}"
    )


def test_every_declared_bound_is_stated_in_its_field_s_description_for_front_ends():
    unstated = [
        f"{named.name}.{name}"
        for named in schema._schema.type_map.values()
        if is_object_type(named) or is_interface_type(named)
        for name, field in named.fields.items()
        if (bound := declared_max_items(field)) is not None
        and not re.search(rf"\b{bound}\b[^.,;]* au plus", field.description or "")
    ]

    assert unstated == []


@strawberry.type(name="Item")
class _Item:
    name: str


@strawberry.type(name="Query")
class _QueryWithAnUnboundedList:
    bounded: list[_Item] = strawberry.field(metadata=max_items(3), default_factory=list)
    unbounded: list[_Item] = strawberry.field(default_factory=list)
    words: list[str] = strawberry.field(default_factory=list)


def test_the_walk_names_a_list_field_added_without_a_bound():
    walked = strawberry.Schema(query=_QueryWithAnUnboundedList)._schema

    assert unbounded_list_fields(walked) == ["Query.unbounded"]


def test_nested_lists_are_charged_at_their_bounds():
    assert cost("{ partners(first: 2) { offers(first: 3) { title } } }") == 1 + 2 + 2 * 3
    assert cost("{ partners { offers { title } } }") == 1 + PAGE_SIZE + PAGE_SIZE * PAGE_SIZE
    assert cost('{ offer(slug: "x") { stores { city } } }') == 1 + 1 + OFFER_STORES_MAX
    assert cost('{ page(urlPath: "/") { children(first: 5) { title } } }') == 1 + 1 + 5
    assert cost('{ page(urlPath: "/") { ... on HomePage { body { __typename } } } }') == 1 + 1 + BODY_BLOCKS_MAX


def test_an_object_asked_with_a_page_size_is_charged_once_and_its_list_at_its_bound():
    query = "{ recommendedMissions(profile: {age: 17}, first: 10) { items { score } } }"

    assert cost(query) == 1 + 1 + RECOMMENDATIONS_MAX


@pytest.mark.parametrize(
    "query",
    [
        "{ partners { offers { stores { name city } } } }",
        '{ page(urlPath: "/") { children { ... on ContentPage { body { ... on FaqBlock { items { question } } } } } } }',  # noqa: E501
    ],
    ids=["partners-offers-stores", "children-body-faq"],
)
def test_a_query_costly_through_nested_lists_is_refused_in_french_before_running(
    query, run_query, django_assert_num_queries
):
    with django_assert_num_queries(0):
        result = run_query(query)

    assert result.data is None
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0].extensions["limit"] == "cost"
    assert result.errors[0].message.startswith("La requête est trop coûteuse")


@pytest.fixture
def two_partners_of_three_offers(offers_index):
    partners = [PartnerPageFactory(title=f"Partenaire {p}") for p in "AB"]
    for partner in partners:
        for n in range(3):
            OfferPageFactory(parent=partner, title=f"{partner.title} offre {n}")
    return partners


def test_a_partner_s_offers_are_returned_a_page_at_a_time(run_query, two_partners_of_three_offers):
    result = run_query("{ partners(first: 1, offset: 1) { title offers(first: 2, offset: 1) { title } } }")

    assert result.errors == []
    assert result.data["partners"] == [
        {"title": "Partenaire B", "offers": [{"title": "Partenaire B offre 1"}, {"title": "Partenaire B offre 2"}]}
    ]


def test_every_partner_of_a_list_gets_its_own_page_of_offers(run_query, two_partners_of_three_offers):
    result = run_query("{ partners { offers(first: 2) { title } } }")

    assert result.errors == []
    assert [[o["title"] for o in p["offers"]] for p in result.data["partners"]] == [
        ["Partenaire A offre 0", "Partenaire A offre 1"],
        ["Partenaire B offre 0", "Partenaire B offre 1"],
    ]


def test_one_partner_s_offers_are_returned_a_page_at_a_time(run_query, two_partners_of_three_offers):
    slug = two_partners_of_three_offers[0].slug

    result = run_query("query($slug: String!) { partner(slug: $slug) { offers(first: 1) { title } } }", {"slug": slug})

    assert result.errors == []
    assert result.data["partner"]["offers"] == [{"title": "Partenaire A offre 0"}]


def test_a_page_s_children_and_the_menu_are_returned_a_page_at_a_time(run_query, home_page):
    for n in range(4):
        ContentPageFactory(title=f"Enfant {n}", show_in_menus=True)
    whole = run_query('{ page(urlPath: "/") { children { title } } menu { title } }').data

    result = run_query(
        '{ page(urlPath: "/") { children(first: 2, offset: 1) { title } } menu(first: 1, offset: 3) { title } }'
    )

    assert result.errors == []
    assert len(whole["page"]["children"]) >= 4
    assert result.data["page"]["children"] == whole["page"]["children"][1:3]
    assert result.data["menu"] == whole["menu"][3:4]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (f"first: {PAGE_SIZE + 1}", f"au plus {PAGE_SIZE} éléments"),
        ("first: -1", f"« first » doit être compris entre 0 et {PAGE_SIZE}."),
        ("offset: -1", "« offset » ne peut pas être négatif."),
    ],
)
def test_a_page_out_of_bounds_is_refused_in_french(run_query, offers_index, arguments, message):
    PartnerPageFactory()

    for query in (f"{{ partners({arguments}) {{ title }} }}", f"{{ partners {{ offers({arguments}) {{ title }} }} }}"):
        result = run_query(query)

        assert result.codes == ["BAD_USER_INPUT"], query
        assert message in result.errors[0].message


def test_a_vocabulary_refuses_a_term_beyond_its_maximum_in_french(db):
    Need.objects.bulk_create(
        Need(slug=f"besoin-{n}", label=f"Besoin {n}") for n in range(TAXONOMY_TERMS_MAX - Need.objects.count())
    )

    with pytest.raises(ValidationError) as refused:
        Need(slug="un-de-trop", label="Un de trop").full_clean()

    assert refused.value.messages == [
        f"Cette liste compte déjà {TAXONOMY_TERMS_MAX} besoins, le maximum : modifiez ou supprimez-en un avant d'en "
        "ajouter."
    ]


def test_an_existing_term_of_a_full_vocabulary_can_still_be_edited(db):
    Need.objects.bulk_create(
        Need(slug=f"besoin-{n}", label=f"Besoin {n}") for n in range(TAXONOMY_TERMS_MAX - Need.objects.count())
    )
    need = Need.objects.first()
    need.label = "Nouveau libellé"

    need.full_clean()


def _heading(n: int) -> dict:
    return {"type": "heading", "value": {"text": f"Titre {n}", "level": "h2"}}


def _condition(n: int) -> dict:
    return {"type": "bullet", "value": f"Condition {n}"}


def _step(n: int) -> dict:
    return {"type": "step", "value": {"title": f"Étape {n}", "text": ""}}


@pytest.mark.parametrize(
    ("model", "field", "block", "bound"),
    [
        (HomePage, "body", _heading, BODY_BLOCKS_MAX),
        (ContentPage, "body", _heading, BODY_BLOCKS_MAX),
        (OfferPage, "conditions", _condition, CONDITION_BLOCKS_MAX),
        (OfferPage, "how_to_use", _step, STEP_BLOCKS_MAX),
    ],
)
def test_a_stream_field_refuses_more_blocks_than_its_maximum_in_french(db, model, field, block, bound):
    stream_block = model._meta.get_field(field).stream_block
    stream_block.clean(stream_block.to_python([block(n) for n in range(bound)]))

    with pytest.raises(ValidationError) as refused:
        stream_block.clean(stream_block.to_python([block(n) for n in range(bound + 1)]))

    assert f"Le nombre maximum d'éléments est {bound}" in str(refused.value.as_json_data())


def test_a_faq_block_refuses_more_questions_than_its_maximum_in_french(db):
    faq = HomePage._meta.get_field("body").stream_block.child_blocks["faq"]
    item = {"question": "Pourquoi ?", "answer": "<p>Parce que.</p>"}

    with pytest.raises(ValidationError) as refused:
        faq.clean(faq.to_python({"title": "FAQ", "items": [item] * (FAQ_ITEMS_MAX + 1)}))

    assert f"Le nombre maximum d'éléments est {FAQ_ITEMS_MAX}" in str(refused.value.as_json_data())


def test_the_offer_form_refuses_more_stores_than_an_offer_may_list_in_french(offers_index):
    offer = OfferPageFactory()
    stores = OfferPage.get_edit_handler().get_form_class().formsets["stores"]
    data = {"stores-TOTAL_FORMS": OFFER_STORES_MAX + 1, "stores-INITIAL_FORMS": 0}
    for n in range(OFFER_STORES_MAX + 1):
        data |= {f"stores-{n}-name": f"Magasin {n}", f"stores-{n}-ORDER": n}

    formset = stores(data, instance=offer, prefix="stores")

    assert not formset.is_valid()
    assert formset.non_form_errors() == [f"Veuillez soumettre au plus {OFFER_STORES_MAX} formulaires."]


def test_a_facet_lists_at_most_its_maximum_of_values_and_keeps_the_selected_ones():
    counts = {f"v{n:03d}": 1000 - n for n in range(FACET_VALUES_MAX + 50)}
    rare = f"v{FACET_VALUES_MAX + 49:03d}"

    values = facet_values(counts, [rare])

    assert len(values) == FACET_VALUES_MAX
    assert [v.value for v in values if v.selected] == [rare]
    assert values[0].value == "v000"


def test_a_page_of_facet_values_is_charged_at_its_page_size_or_its_default():
    assert cost('{ searchMissionFacetValues(facet: "department", first: 7) { nodes { value } } }') == 1 + 1 + 7
    assert cost('{ searchOfferFacetValues(facet: "category") { nodes { value } } }') == 1 + 1 + FACET_PAGE_DEFAULT


def test_every_value_of_a_facet_beyond_its_maximum_is_reached_through_pages_of_at_most_200():
    counts = {f"v{n:03d}": 1000 - n for n in range(FACET_VALUES_MAX + 50)}
    query = FacetPageQuery(search=SearchQuery(), facet="domain", first=FACET_PAGE_MAX)
    seen = []
    while True:
        page = facet_page(counts, [], query)
        assert len(page.values) <= FACET_PAGE_MAX
        seen += [v.value for v in page.values]
        if page.next_cursor is None:
            break
        query.after = page.next_cursor

    assert seen == sorted(counts)
