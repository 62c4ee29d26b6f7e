import factory

from cms.organisations.models import Organization

from .base import ModelFactory


class OrganizationFactory(ModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Association des Jeunes Solidaires {n}")
    slug = factory.Sequence(lambda n: f"association-jeunes-solidaires-{n}")
    kind = Organization.Kind.ASSOCIATION
    city = "Lyon"
    postcode = "69003"
    department_code = "69"
