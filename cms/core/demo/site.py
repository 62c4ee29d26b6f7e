"""The demo's site-wide content: a partner charter (a PDF document rich text links to), a redirect and the site
settings (footer, social links, contact, default SEO, a banner), so that every front-end operation has content."""

from __future__ import annotations

import json

from django.core.files.base import ContentFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents.models import Document
from wagtail.models import Page, Site

from cms.pages.site_settings import SiteSettings

from .images import DEMO_COLLECTION, create_image, demo_collection

CHARTER_TITLE = "Charte des partenaires"
#: Old paths of the demo's redirects and the slugs of the pages they lead to.
REDIRECTS = (("/carte-jeune", "carte-jeune-engage"),)
#: The contact address of the demo's settings: how ``--reset`` tells them from settings an editor wrote.
CONTACT_EMAIL = "contact@tremplin.example"


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF showing ``lines`` (Latin-1 text), written by hand: no binary file in the repository."""
    text = " ".join(f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -18 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 760 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    output = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


def create_charter() -> Document:
    """The partners' charter, in the demo collection, with its size recorded as an upload in the admin records it."""
    document = Document(title=CHARTER_TITLE, collection=demo_collection())
    document.file = ContentFile(
        minimal_pdf(
            [
                "Charte des partenaires de la Carte jeune engage",
                "1. Les reductions sont reservees aux jeunes engages.",
                "2. Les conditions d'une offre sont affichees avant son utilisation.",
            ]
        ),
        name="charte-des-partenaires.pdf",
    )
    document._set_document_file_metadata()
    document.save()
    return document


def _stream(block_type: str, *values: dict) -> str:
    """StreamField content as stored (pages named by id)."""
    return json.dumps([{"type": block_type, "value": value} for value in values])


def seed_site() -> dict[str, int]:
    """The demo's redirects, and settings for the default site unless it already has some."""
    for old_path, slug in REDIRECTS:
        Redirect.add_redirect(old_path, Page.objects.get(slug=slug, depth=3), is_permanent=True)
    site = Site.objects.get(is_default_site=True)
    if not SiteSettings.objects.filter(site=site).exists():
        pages = {page.slug: page.pk for page in Page.objects.filter(depth=3)}
        SiteSettings.objects.create(
            site=site,
            footer_links=_stream(
                "link",
                {"label": "Mentions légales", "page": pages.get("mentions-legales"), "url": ""},
                {"label": "Service-Public.fr", "page": None, "url": "https://www.service-public.fr/"},
            ),
            social_links=_stream(
                "social",
                {"network": "instagram", "url": "https://www.instagram.com/tremplin.demo/"},
                {"network": "linkedin", "url": "https://www.linkedin.com/company/tremplin-demo/"},
            ),
            contact_address="Tremplin (démonstration)\n20 avenue de Ségur\n75007 Paris",
            contact_email=CONTACT_EMAIL,
            contact_phone="01 23 45 67 89",
            seo_image=create_image("Tremplin — partage", "tremplin-partage.png", "Tremplin", "#0a7f5a", (1200, 630)),
            seo_description="Des réductions pour les jeunes engagés et des missions pour s'engager près de chez soi.",
            banner_text="Nouveau : trouvez une mission près de chez vous sur la Plateforme de l'engagement.",
            banner_page_id=pages.get("plateforme-engagement"),
        )
    return {"redirects": len(REDIRECTS)}


def reset_site() -> None:
    """Delete the demo's documents, redirects and settings; what editors created is left alone."""
    Document.objects.filter(collection__name=DEMO_COLLECTION).delete()
    Redirect.objects.filter(old_path__in=[old_path for old_path, _ in REDIRECTS]).delete()
    SiteSettings.objects.filter(contact_email=CONTACT_EMAIL).delete()
