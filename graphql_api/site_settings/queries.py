"""``siteSettings(site)``: what editors set under « Paramètres » for a site, read without writing anything.

Links to pages name the page's path on the site, and only while the page is public (``cms.core.visibility``): a link
to a page since unpublished or restricted disappears from the footer (and the banner loses its link) rather than
leading to an error page.
"""

from __future__ import annotations

import strawberry
from wagtail.models import Page

from cms.core.visibility import publicly_visible
from cms.pages.site_settings import SOCIAL_NETWORKS, SiteSettings
from graphql_api.pages.interface import site_for, site_relative_path

from .types import Banner, Contact, DefaultSeo, FooterLink, SiteSettingsType, SocialLink

_NETWORK_LABELS = dict(SOCIAL_NETWORKS)


def _public_paths(page_ids: set[int]) -> dict[int, str]:
    """Site-relative paths of the public pages among ``page_ids``, in one query."""
    if not page_ids:
        return {}
    pages = publicly_visible(Page.objects.filter(pk__in=page_ids)).only("url_path")
    return {page.pk: site_relative_path(page) for page in pages}


def settings_answer(settings: SiteSettings) -> SiteSettingsType:
    """The GraphQL answer for one site's settings row (saved or not)."""
    # The stored values name pages by id: reading them raw spares loading pages only to check that they are public.
    links = [item["value"] for item in settings.footer_links.raw_data if item["type"] == "link"]
    page_ids = {link["page"] for link in links if link.get("page")}
    if settings.banner_page_id:
        page_ids.add(settings.banner_page_id)
    paths = _public_paths(page_ids)
    footer = [
        FooterLink(label=link["label"], url=paths[link["page"]], page_id=link["page"])
        if link.get("page")
        else FooterLink(label=link["label"], url=link.get("url") or "", page_id=None)
        for link in links
        if not link.get("page") or link["page"] in paths
    ]
    banner = None
    if settings.banner_is_shown():
        url = paths.get(settings.banner_page_id) if settings.banner_page_id else settings.banner_url or None
        banner = Banner(
            text=settings.banner_text, url=url, starts_at=settings.banner_starts_at, ends_at=settings.banner_ends_at
        )
    return SiteSettingsType(
        footer_links=footer,
        social_links=[
            SocialLink(
                network=item["value"]["network"],
                label=_NETWORK_LABELS.get(item["value"]["network"], item["value"]["network"]),
                url=item["value"]["url"],
            )
            for item in settings.social_links.raw_data
        ],
        contact=Contact(address=settings.contact_address, email=settings.contact_email, phone=settings.contact_phone),
        seo=DefaultSeo(description=settings.seo_description, image=settings.seo_image),
        banner=banner,
    )


@strawberry.type
class Query:
    @strawberry.field(
        description="Les réglages d'un site : pied de page, réseaux sociaux, contact, référencement, bandeau."
    )
    def site_settings(self, site: str | None = None) -> SiteSettingsType:
        the_site = site_for(site)
        settings = SiteSettings.objects.filter(site=the_site).select_related("seo_image").first()
        return settings_answer(settings or SiteSettings(site=the_site))
