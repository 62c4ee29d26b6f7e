import factory

from cms.taxonomy.models import Domain, Need, OfferCategory, Programme

from .base import ModelFactory


def seeded(model, slug: str):
    """A term from the seeded vocabulary (the data migration guarantees it exists)."""
    return model.objects.get(slug=slug)


class DomainFactory(ModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"domaine-{n}")
    label = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class ProgrammeFactory(ModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"dispositif-{n}")
    label = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class OfferCategoryFactory(ModelFactory):
    class Meta:
        model = OfferCategory
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"categorie-{n}")
    label = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class NeedFactory(ModelFactory):
    class Meta:
        model = Need
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"besoin-{n}")
    label = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())
