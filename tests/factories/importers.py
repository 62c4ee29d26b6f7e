import factory

from importers.models import FeedSource

from .base import ModelFactory


class FeedSourceFactory(ModelFactory):
    class Meta:
        model = FeedSource

    name = factory.Sequence(lambda n: f"Flux partenaire {n}")
    slug = factory.Sequence(lambda n: f"flux-{n}")
    publisher_name = "Association des Jeunes Solidaires"
    url = "http://127.0.0.1:9/flux.xml"
    format = FeedSource.Format.ENGAGEMENT_XML
