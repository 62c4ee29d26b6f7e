"""Organisations: a paginated directory and one organisation by slug, never their members."""

from __future__ import annotations

from cms.organisations.models import Organization
from tests.factories.organisations import OrganizationFactory

ORGANISATIONS = """
query Organisations($filters: OrganisationFilter) {
  organisations(first: 10, filters: $filters, ordering: [{ name: ASC }]) { totalCount edges { node { name kind } } }
}
"""


def test_organisations_are_listed_and_filtered_by_kind(run_query):
    OrganizationFactory(name="Ville de Lyon", kind=Organization.Kind.LOCAL_AUTHORITY)
    OrganizationFactory(name="Les Petits Frères", kind=Organization.Kind.ASSOCIATION)

    result = run_query(ORGANISATIONS, {"filters": {"kind": "LOCAL_AUTHORITY"}})

    assert result.data["organisations"] == {
        "totalCount": 1,
        "edges": [{"node": {"name": "Ville de Lyon", "kind": "LOCAL_AUTHORITY"}}],
    }


def test_organisation_by_slug(run_query):
    OrganizationFactory(name="Les Petits Frères", slug="petits-freres")

    result = run_query("""{ organisation(slug: "petits-freres") { name databaseId } }""")

    assert result.data["organisation"]["name"] == "Les Petits Frères"


def test_unknown_organisation_is_not_found(run_query):
    result = run_query("""{ organisation(slug: "inconnue") { name } }""")

    assert result.codes == ["NOT_FOUND"]


def test_organisation_members_are_not_in_the_schema(run_query):
    result = run_query("""{ organisation(slug: "x") { members { email } } }""")

    assert result.codes == ["GRAPHQL_VALIDATION_FAILED"]
