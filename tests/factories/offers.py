"""Page factories create pages where Wagtail would: as children of their parent, through ``add_child``."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from cms.offers.models import OfferPage, OffersIndexPage, OfferStore, PartnerPage, PromoCode

from .base import ModelFactory, without_wagtail_indexes


class PageFactory(ModelFactory):
    class Meta:
        abstract = True

    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        with without_wagtail_indexes():
            parent.add_child(instance=page)
        return page

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(*args, **kwargs)


class PartnerPageFactory(PageFactory):
    class Meta:
        model = PartnerPage

    parent = factory.LazyFunction(lambda: OffersIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Partenaire {n}")
    slug = factory.Sequence(lambda n: f"partenaire-{n}")
    website = "https://www.example.fr"
    colour = "#0a7f5a"


class OfferPageFactory(PageFactory):
    """A live, currently valid, nationwide online offer of 20 %."""

    class Meta:
        model = OfferPage

    parent = factory.SubFactory(PartnerPageFactory)
    title = factory.Sequence(lambda n: f"-20 % sur les courses #{n}")
    slug = factory.Sequence(lambda n: f"offre-{n}")
    subtitle = "Sur présentation de la carte"
    kind = OfferPage.Kind.CARD
    channel = OfferPage.Channel.IN_STORE
    discount_type = OfferPage.DiscountType.PERCENT
    discount_value = Decimal("20")
    estimated_saving = Decimal("8.50")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))
    nationwide = True


class OfferStoreFactory(ModelFactory):
    class Meta:
        model = OfferStore

    offer = factory.SubFactory(OfferPageFactory)
    name = factory.Sequence(lambda n: f"Magasin {n}")
    street = "5 place Bellecour"
    postcode = "69002"
    city = "Lyon"
    latitude = 45.7578
    longitude = 4.8320


class PromoCodeFactory(ModelFactory):
    class Meta:
        model = PromoCode

    offer = factory.SubFactory(OfferPageFactory, kind=OfferPage.Kind.CODE)
    code = factory.Sequence(lambda n: f"CJE-{n:06d}")
