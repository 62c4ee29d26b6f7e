"""GraphQL types of the site settings (``cms.pages.site_settings``): links, contact, default SEO and the banner.

Links to pages name the page's path on the site, and only while the page is public (``cms.core.visibility``): a link
to a page since unpublished or restricted disappears from the footer (and the banner loses its link) rather than
leading to an error page. The pages linked from one settings row are checked in one query, shared by its fields.
"""

from __future__ import annotations

import datetime

import strawberry
import strawberry_django
from wagtail.models import Page

from cms.core.visibility import publicly_visible
from cms.pages.site_settings import FOOTER_LINKS_MAX, SOCIAL_LINKS_MAX, SOCIAL_NETWORKS, SiteSettings
from graphql_api.core.limits import max_items
from graphql_api.images.types import ImageType
from graphql_api.pages.interface import site_relative_path

SITE_SETTINGS_DESCRIPTION = "Les réglages d'un site, modifiables dans l'administration."


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


_NETWORK_LABELS = dict(SOCIAL_NETWORKS)


def _public_paths(settings: SiteSettings) -> dict[int, str]:
    """Site-relative paths of the public pages the settings link to, read once per settings row."""
    if not hasattr(settings, "_public_paths"):
        # The stored values name pages by id: reading them raw spares loading pages only to check they are public.
        page_ids = {item["value"].get("page") for item in settings.footer_links.raw_data} - {None}
        if settings.banner_page_id:
            page_ids.add(settings.banner_page_id)
        pages = publicly_visible(Page.objects.filter(pk__in=page_ids)).only("url_path") if page_ids else []
        settings._public_paths = {page.pk: site_relative_path(page) for page in pages}
    return settings._public_paths


def _footer_links(settings: SiteSettings) -> list[FooterLink]:
    paths = _public_paths(settings)
    links = [item["value"] for item in settings.footer_links.raw_data if item["type"] == "link"]
    return [
        FooterLink(label=link["label"], url=paths[link["page"]], page_id=link["page"])
        if link.get("page")
        else FooterLink(label=link["label"], url=link.get("url") or "", page_id=None)
        for link in links
        if not link.get("page") or link["page"] in paths
    ]


def _social_links(settings: SiteSettings) -> list[SocialLink]:
    return [
        SocialLink(
            network=item["value"]["network"],
            label=_NETWORK_LABELS.get(item["value"]["network"], item["value"]["network"]),
            url=item["value"]["url"],
        )
        for item in settings.social_links.raw_data
    ]


def _banner(settings: SiteSettings) -> Banner | None:
    if not settings.banner_is_shown():
        return None
    url = _public_paths(settings).get(settings.banner_page_id) if settings.banner_page_id else None
    return Banner(
        text=settings.banner_text,
        url=url or settings.banner_url or None,
        starts_at=settings.banner_starts_at,
        ends_at=settings.banner_ends_at,
    )


@strawberry_django.type(SiteSettings, name="SiteSettings", description=SITE_SETTINGS_DESCRIPTION)
class SiteSettingsType:
    """Typed on the model so that cached answers (``graphql_api.core.generations``) follow changes of the settings
    and of the pages they link to; every field is computed from the settings row, saved or not."""

    @strawberry_django.field(
        description=f"Les liens du pied de page, {FOOTER_LINKS_MAX} au plus.", metadata=max_items(FOOTER_LINKS_MAX)
    )
    def footer_links(self, root: SiteSettings) -> list[FooterLink]:
        return _footer_links(root)

    @strawberry_django.field(
        description=f"Les réseaux sociaux, {SOCIAL_LINKS_MAX} au plus.", metadata=max_items(SOCIAL_LINKS_MAX)
    )
    def social_links(self, root: SiteSettings) -> list[SocialLink]:
        return _social_links(root)

    @strawberry_django.field
    def contact(self, root: SiteSettings) -> Contact:
        return Contact(address=root.contact_address, email=root.contact_email, phone=root.contact_phone)

    @strawberry_django.field
    def seo(self, root: SiteSettings) -> DefaultSeo:
        return DefaultSeo(description=root.seo_description, image=root.seo_image)

    @strawberry_django.field
    def banner(self, root: SiteSettings) -> Banner | None:
        return _banner(root)
