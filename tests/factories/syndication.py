import factory

from cms.partners_api.models import ApiKey, Scope
from cms.syndication.models import DiffusionPartner

from .base import ModelFactory


class DiffusionPartnerFactory(ModelFactory):
    class Meta:
        model = DiffusionPartner

    name = factory.Sequence(lambda n: f"Info Jeunes {n}")
    contact_email = "contact@info-jeunes.example"
    allowed_origins = factory.LazyFunction(lambda: ["https://www.info-jeunes.example"])


def reading_key(partner=None, scopes=(Scope.READ_MISSIONS, Scope.READ_OFFERS), **kwargs) -> tuple[ApiKey, str]:
    """A key that reads missions and offers for ``partner``; returns it with its secret."""
    return ApiKey.create_key(name="Lecture", scopes=list(scopes), partner=partner, **kwargs)
