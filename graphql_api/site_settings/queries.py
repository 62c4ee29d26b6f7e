"""``siteSettings(site)``: what editors set under « Paramètres » for a site, read without writing anything (a site
without settings gets empty ones)."""

from __future__ import annotations

import strawberry
import strawberry_django

from cms.pages.site_settings import SiteSettings
from graphql_api.pages.interface import site_for

from .types import SiteSettingsType


@strawberry.type
class Query:
    @strawberry_django.field(
        description="Les réglages d'un site : pied de page, réseaux sociaux, contact, référencement, bandeau."
    )
    def site_settings(self, site: str | None = None) -> SiteSettingsType:
        the_site = site_for(site)
        settings = SiteSettings.objects.filter(site=the_site).select_related("seo_image").first()
        return settings or SiteSettings(site=the_site)
