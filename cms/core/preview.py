"""Previews: Wagtail's preview hands editors over to the front-end with a signed, expiring token, or, while no
front-end is configured (``FRONTEND_URL`` empty), shows the draft in plain server-side templates.

The front-end cannot read the editor's session, so the preview carries its own proof: a token naming the object,
signed with the project's secret and stamped with its creation time. Whoever reads content (the GraphQL API) checks
the signature and the age before returning the latest revision; nothing else grants access to unpublished content.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import models
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse

_SALT = "tremplin.preview"


class PreviewTokenError(Exception):
    """The token is malformed, forged, expired or names another kind of object."""


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def make_preview_token(obj: models.Model) -> str:
    """A token for ``obj``'s latest revision, valid ``PREVIEW_TOKEN_MAX_AGE`` seconds."""
    signer = signing.TimestampSigner(salt=_SALT)
    return signer.sign(f"{_label(type(obj))}:{obj.pk}")


def read_preview_token(token: str, model: type[models.Model]) -> int:
    """The primary key a valid, unexpired token for ``model`` names; raises :class:`PreviewTokenError` otherwise."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise PreviewTokenError("Le lien d'aperçu a expiré.") from exc
    except signing.BadSignature as exc:
        raise PreviewTokenError("Le lien d'aperçu n'est pas valide.") from exc
    label, _, pk = value.rpartition(":")
    concrete = {_label(model)} | {_label(parent) for parent in model._meta.get_parent_list()}
    if label not in concrete and not _is_subclass_label(label, model):
        raise PreviewTokenError("Le lien d'aperçu ne correspond pas à ce type de contenu.")
    try:
        return int(pk)
    except ValueError as exc:
        raise PreviewTokenError("Le lien d'aperçu n'est pas valide.") from exc


def _is_subclass_label(label: str, model: type[models.Model]) -> bool:
    from django.apps import apps

    try:
        named = apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return issubclass(named, model)


def preview_url(obj: models.Model) -> str:
    """Where the headless front-end shows a preview of ``obj``."""
    query = urlencode({"type": _label(type(obj)), "token": make_preview_token(obj)})
    return f"{settings.FRONTEND_URL.rstrip('/')}/preview?{query}"


class HeadlessPreviewMixin:
    """Wagtail's preview for headless content: the front-end's when there is one, a built-in one otherwise.

    With ``FRONTEND_URL`` set, the preview redirects there carrying a preview token; the front-end then asks the API
    for the latest revision with ``previewToken`` (Wagtail saves a revision only when the editor saves, so it shows
    the last saved draft). Without it (the demo, a project whose front-end does not exist yet), the object being
    edited, unsaved changes included, is rendered by ``preview/<model name>.html`` (``preview/page.html`` for
    editorial pages): the fields the API serves, as plain HTML with no external assets, so that an editor can check
    a draft before publishing it.
    """

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponseBase:
        if settings.FRONTEND_URL:
            return HttpResponseRedirect(preview_url(self))
        return TemplateResponse(request, self.builtin_preview_templates(), {"object": self, "page": self})

    def builtin_preview_templates(self) -> list[str]:
        """The model's own template, else the one of editorial pages (title, intro, body)."""
        return [f"preview/{self._meta.model_name}.html", "preview/page.html"]
