"""StreamField blocks shared by editorial pages and offers.

Each block is small and typed so that the GraphQL layer can expose a union of concrete block types rather than a JSON
blob.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="texte", max_length=200)
    level = blocks.ChoiceBlock(
        label="niveau", choices=[("h2", "Titre 2"), ("h3", "Titre 3"), ("h4", "Titre 4")], default="h2"
    )

    class Meta:
        icon = "title"
        label = "Titre"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="image")
    alt = blocks.CharBlock(label="texte alternatif", required=False, max_length=255)
    caption = blocks.CharBlock(label="légende", required=False, max_length=255)

    class Meta:
        icon = "image"
        label = "Image"


class LinkBlock(blocks.StructBlock):
    """A labelled link to either a page of the site or an external URL."""

    label = blocks.CharBlock(label="libellé", max_length=80)
    page = blocks.PageChooserBlock(label="page", required=False)
    url = blocks.URLBlock(label="lien externe", required=False)

    class Meta:
        icon = "link"
        label = "Lien"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("Choisissez soit une page, soit un lien externe.")}
            )
        return value


class CallToActionBlock(LinkBlock):
    style = blocks.ChoiceBlock(
        label="style", choices=[("primary", "Principal"), ("secondary", "Secondaire")], default="primary"
    )

    class Meta:
        icon = "link"
        label = "Appel à l'action"


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="question", max_length=255)
    answer = blocks.RichTextBlock(label="réponse", features=RICH_TEXT_FEATURES)


#: The most questions a FAQ block holds, the most blocks in a page's body, in an offer's conditions and in its steps:
#: enforced when editors save (Wagtail's French message), declared to the GraphQL cost estimate with ``max_items``.
FAQ_ITEMS_MAX = 30
BODY_BLOCKS_MAX = 25
CONDITION_BLOCKS_MAX = 20
STEP_BLOCKS_MAX = 20


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", required=False, max_length=200)
    items = blocks.ListBlock(FaqItemBlock(), label="questions", max_num=FAQ_ITEMS_MAX)

    class Meta:
        icon = "help"
        label = "FAQ"


#: The most offers or missions a listing block shows (the GraphQL cost estimate charges its lists at this size).
LISTING_ITEMS_MAX = 24


class ListingBlock(blocks.StructBlock):
    """Offers or missions chosen by a filter, resolved at query time so that the selection stays current."""

    title = blocks.CharBlock(label="titre", required=False, max_length=200)
    content_type = blocks.ChoiceBlock(
        label="contenu", choices=[("offers", "Offres"), ("missions", "Missions")], default="offers"
    )
    offer_category = SnippetChooserBlock("taxonomy.OfferCategory", label="catégorie d'offre", required=False)
    need = SnippetChooserBlock("taxonomy.Need", label="besoin", required=False)
    domain = SnippetChooserBlock("taxonomy.Domain", label="domaine", required=False)
    programme = SnippetChooserBlock("taxonomy.Programme", label="dispositif", required=False)
    department_code = blocks.CharBlock(label="département", required=False, max_length=3)
    limit = blocks.IntegerBlock(label="nombre d'éléments", default=6, min_value=1, max_value=LISTING_ITEMS_MAX)

    class Meta:
        icon = "list-ul"
        label = "Sélection d'offres ou de missions"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="étape", max_length=200)
    text = blocks.RichTextBlock(label="détail", features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = "Étape"


def body_blocks() -> list[tuple[str, blocks.Block]]:
    """The editorial body of home and content pages."""
    return [
        ("heading", HeadingBlock()),
        ("paragraph", blocks.RichTextBlock(label="Texte", features=RICH_TEXT_FEATURES, icon="pilcrow")),
        ("image", ImageBlock()),
        ("call_to_action", CallToActionBlock()),
        ("faq", FaqBlock()),
        ("listing", ListingBlock()),
    ]


def condition_blocks() -> list[tuple[str, blocks.Block]]:
    """Conditions of an offer: short paragraphs and bullet points."""
    return [
        ("paragraph", blocks.RichTextBlock(label="Texte", features=RICH_TEXT_FEATURES, icon="pilcrow")),
        ("bullet", blocks.CharBlock(label="Condition", max_length=300, icon="list-ul")),
    ]


def step_blocks() -> list[tuple[str, blocks.Block]]:
    return [("step", StepBlock())]
