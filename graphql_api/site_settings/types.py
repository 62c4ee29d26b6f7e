"""GraphQL types of the site settings (``cms.pages.site_settings``): links, contact, default SEO and the banner."""

from __future__ import annotations

import datetime

import strawberry

from cms.pages.site_settings import FOOTER_LINKS_MAX, SOCIAL_LINKS_MAX
from graphql_api.core.limits import max_items
from graphql_api.images.types import ImageType


@strawberry.type(description="Un lien du pied de page : une page du site (son chemin) ou un lien externe.")
class FooterLink:
    label: str
    url: str = strawberry.field(description="Chemin de la page sur le site, ou lien externe.")
    page_id: int | None = strawberry.field(description="Identifiant en base de la page, si le lien mène à une page.")


@strawberry.type(description="Un compte de réseau social.")
class SocialLink:
    network: str = strawberry.field(description="facebook, instagram, x, linkedin, youtube, tiktok, mastodon, bluesky")
    label: str
    url: str


@strawberry.type(description="Coordonnées de contact.")
class Contact:
    address: str
    email: str
    phone: str


@strawberry.type(description="Référencement par défaut, pour les pages qui n'ont pas le leur.")
class DefaultSeo:
    description: str
    image: ImageType | None


@strawberry.type(description="Le bandeau du moment, présent seulement pendant ses dates d'affichage.")
class Banner:
    text: str
    url: str | None = strawberry.field(description="Chemin de la page sur le site, ou lien externe ; vide sans lien.")
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None


@strawberry.type(name="SiteSettings", description="Les réglages d'un site, modifiables dans l'administration.")
class SiteSettingsType:
    footer_links: list[FooterLink] = strawberry.field(metadata=max_items(FOOTER_LINKS_MAX))
    social_links: list[SocialLink] = strawberry.field(metadata=max_items(SOCIAL_LINKS_MAX))
    contact: Contact
    seo: DefaultSeo
    banner: Banner | None
