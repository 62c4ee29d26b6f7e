"""Editorial page factories (home page children)."""

import factory

from cms.pages.models import ContentPage, HomePage

from .offers import PageFactory


class ContentPageFactory(PageFactory):
    class Meta:
        model = ContentPage

    parent = factory.LazyFunction(lambda: HomePage.objects.get(depth=2))
    title = factory.Sequence(lambda n: f"Page de contenu {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    intro = "Tout savoir sur la Carte jeune engagé."
