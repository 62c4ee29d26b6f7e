"""Concrete types of the editorial pages; offers and partners live in ``graphql_api.offers``."""

from __future__ import annotations

import strawberry_django
from strawberry import auto

from cms.core.blocks import BODY_BLOCKS_MAX
from cms.offers.models import OffersIndexPage
from cms.pages.models import ContentPage, HomePage, ProgrammePage
from graphql_api.core.execution import ModelField
from graphql_api.core.limits import max_items
from graphql_api.taxonomy.types import ProgrammeType

from .blocks import BodyBlock, stream_blocks
from .interface import PageInterface, rich_text_html

BODY_DESCRIPTION = f"Contenu éditorial, {BODY_BLOCKS_MAX} blocs au plus."


@strawberry_django.type(HomePage, name="HomePage", field_cls=ModelField)
class HomePageType(PageInterface):
    intro: auto

    @strawberry_django.field(only=["body"], description=BODY_DESCRIPTION, metadata=max_items(BODY_BLOCKS_MAX))
    def body(self, root: HomePage) -> list[BodyBlock]:
        return stream_blocks(root.body)


@strawberry_django.type(ContentPage, name="ContentPage", field_cls=ModelField)
class ContentPageType(PageInterface):
    intro: auto

    @strawberry_django.field(only=["body"], description=BODY_DESCRIPTION, metadata=max_items(BODY_BLOCKS_MAX))
    def body(self, root: ContentPage) -> list[BodyBlock]:
        return stream_blocks(root.body)


@strawberry_django.type(ProgrammePage, name="ProgrammePage", field_cls=ModelField)
class ProgrammePageType(PageInterface):
    intro: auto
    programme: ProgrammeType

    @strawberry_django.field(only=["body"], description=BODY_DESCRIPTION, metadata=max_items(BODY_BLOCKS_MAX))
    def body(self, root: ProgrammePage) -> list[BodyBlock]:
        return stream_blocks(root.body)


@strawberry_django.type(OffersIndexPage, name="OffersIndexPage", field_cls=ModelField)
class OffersIndexPageType(PageInterface):
    @strawberry_django.field(only=["intro"], description="Introduction en HTML.")
    def intro_html(self, root: OffersIndexPage) -> str:
        return rich_text_html(root.intro)
