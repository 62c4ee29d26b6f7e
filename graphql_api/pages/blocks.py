"""StreamField content as typed GraphQL unions, one object type per block, so front-ends get a schema, not a blob.

Rich text arrives as HTML with internal links resolved; chosen pages and images arrive as objects; listings are
resolved when queried so that the selection an editor configured stays current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from wagtail.blocks import StreamValue
from wagtail.models import Page

from cms.core.blocks import FAQ_ITEMS_MAX, LISTING_ITEMS_MAX
from cms.missions.models import Mission
from cms.offers.models import OfferPage
from graphql_api.core.limits import max_items
from graphql_api.core.optimizer import optimize
from graphql_api.images.types import ImageType

from .interface import PageInterface, rich_text_html, site_relative_path, visible_pages

if TYPE_CHECKING:
    from graphql_api.missions.types import MissionType
    from graphql_api.offers.types import OfferType


@strawberry.type(name="HeadingBlock")
class HeadingBlockType:
    id: str
    text: str
    level: str


@strawberry.type(name="ParagraphBlock", description="Texte riche, en HTML.")
class ParagraphBlockType:
    id: str
    html: str


@strawberry.type(name="ImageBlock")
class ImageBlockType:
    id: str
    image: ImageType | None
    alt: str
    caption: str


@strawberry.type(name="CallToActionBlock")
class CallToActionBlockType:
    id: str
    label: str
    style: str
    page: PageInterface | None
    url: str = strawberry.field(description="Chemin de la page choisie sur le site, ou lien externe.")


@strawberry.type(name="FaqItem")
class FaqItemType:
    question: str
    answer_html: str


@strawberry.type(name="FaqBlock")
class FaqBlockType:
    id: str
    title: str
    items: list[FaqItemType] = strawberry.field(
        description=f"Questions et réponses, {FAQ_ITEMS_MAX} au plus.", metadata=max_items(FAQ_ITEMS_MAX)
    )


@strawberry.type(name="ListingBlock", description="Une sélection d'offres ou de missions, à jour à chaque requête.")
class ListingBlockType:
    id: str
    title: str
    content_type: str
    limit: int
    filters: strawberry.Private[dict]

    @property
    def size(self) -> int:
        """How many items the block shows: its limit, within the bound the cost estimate charges."""
        return min(self.limit, LISTING_ITEMS_MAX)

    @strawberry.field(
        description=f"Les offres choisies, {LISTING_ITEMS_MAX} au plus (vide si la sélection porte sur des missions).",
        metadata=max_items(LISTING_ITEMS_MAX),
    )
    def offers(self, info: strawberry.Info) -> list[Annotated[OfferType, strawberry.lazy("graphql_api.offers.types")]]:
        if self.content_type != "offers":
            return []
        queryset = OfferPage.objects.public()
        if category := self.filters.get("offer_category"):
            queryset = queryset.filter(categories=category)
        if need := self.filters.get("need"):
            queryset = queryset.filter(needs=need)
        return list(optimize(queryset.order_by("-first_published_at", "pk"), info)[: self.size])

    @strawberry.field(
        description=f"Les missions choisies, {LISTING_ITEMS_MAX} au plus (vide si la sélection porte sur des offres).",
        metadata=max_items(LISTING_ITEMS_MAX),
    )
    def missions(
        self, info: strawberry.Info
    ) -> list[Annotated[MissionType, strawberry.lazy("graphql_api.missions.types")]]:
        if self.content_type != "missions":
            return []
        queryset = Mission.objects.public()
        if domain := self.filters.get("domain"):
            queryset = queryset.filter(domain=domain)
        if programme := self.filters.get("programme"):
            queryset = queryset.filter(programme=programme)
        if department := self.filters.get("department_code"):
            queryset = queryset.filter(addresses__department_code=department).distinct()
        return list(optimize(queryset, info)[: self.size])


@strawberry.type(name="BulletBlock")
class BulletBlockType:
    id: str
    text: str


@strawberry.type(name="StepBlock")
class StepBlockType:
    id: str
    title: str
    html: str


BodyBlock = Annotated[
    HeadingBlockType | ParagraphBlockType | ImageBlockType | CallToActionBlockType | FaqBlockType | ListingBlockType,
    strawberry.union("BodyBlock", description="Un bloc du contenu éditorial d'une page."),
]
ConditionBlock = Annotated[
    ParagraphBlockType | BulletBlockType,
    strawberry.union("ConditionBlock", description="Un bloc des conditions d'une offre."),
]


def _call_to_action(block_id: str, value) -> CallToActionBlockType:
    page = value.get("page")
    if page is not None:
        page = visible_pages(Page.objects.filter(pk=page.pk)).first()
    url = site_relative_path(page) if page is not None else (value.get("url") or "")
    return CallToActionBlockType(id=block_id, label=value["label"], style=value["style"], page=page, url=url)


def _block(child) -> object | None:
    kind, value, block_id = child.block_type, child.value, child.id or ""
    if kind == "heading":
        return HeadingBlockType(id=block_id, text=value["text"], level=value["level"])
    if kind == "paragraph":
        return ParagraphBlockType(id=block_id, html=rich_text_html(value.source))
    if kind == "image":
        return ImageBlockType(
            id=block_id, image=value["image"], alt=value.get("alt") or "", caption=value.get("caption") or ""
        )
    if kind == "call_to_action":
        return _call_to_action(block_id, value)
    if kind == "faq":
        items = [
            FaqItemType(question=item["question"], answer_html=rich_text_html(item["answer"].source))
            for item in value["items"]
        ]
        return FaqBlockType(id=block_id, title=value.get("title") or "", items=items)
    if kind == "listing":
        return ListingBlockType(
            id=block_id,
            title=value.get("title") or "",
            content_type=value["content_type"],
            limit=value.get("limit") or 6,
            filters={
                key: value.get(key)
                for key in ("offer_category", "need", "domain", "programme", "department_code")
                if value.get(key)
            },
        )
    if kind == "bullet":
        return BulletBlockType(id=block_id, text=value)
    if kind == "step":
        text = value.get("text")
        return StepBlockType(id=block_id, title=value["title"], html=rich_text_html(text.source if text else ""))
    return None


def stream_blocks(stream: StreamValue | None) -> list:
    """The typed blocks of a StreamField value; unknown block types (removed from the model) are skipped."""
    if not stream:
        return []
    return [block for block in (_block(child) for child in stream) if block is not None]
