"""Reading a preview token in a resolver: the object's latest revision, or a FORBIDDEN error."""

from __future__ import annotations

from django.db import models

from cms.core.preview import PreviewTokenError, read_preview_token

from .errors import Forbidden, NotFound


def previewed_object(token: str, model: type[models.Model]) -> models.Model:
    """The latest revision of the object ``token`` names, as an unsaved instance of its specific class."""
    try:
        pk = read_preview_token(token, model)
    except PreviewTokenError as exc:
        raise Forbidden(str(exc)) from exc
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise NotFound("Le contenu à prévisualiser n'existe plus.")
    specific = getattr(obj, "specific", obj)
    latest = getattr(specific, "get_latest_revision_as_object", None)
    return latest() if latest is not None else specific
