"""Applications reported for a click's token: by the partner's server (with its API key) or by the thank-you tag.

The first report of a token creates its ``Application`` and appends an ``application`` event (what the figures
count); a later report with another status updates the row and appends an ``application_status`` event. The tag
only ever says "pending" and never changes a status a partner set.
"""

from __future__ import annotations

from django.db import transaction

from cms.missions.models import Mission
from cms.partners_api.models import ApiKey

from .models import Application, ApplicationStatus, Event, Kind
from .recorder import record
from .tokens import read_token


class ReportError(Exception):
    """A report that cannot be taken; the message is French, for the partner."""


def report_application(token: str, status: str, *, api_key: ApiKey | None = None) -> tuple[Application, bool]:
    """Take a report; returns the application and whether this report created it."""
    click = read_token(token)
    if click is None:
        raise ReportError("Jeton de suivi invalide : utilisez celui reçu dans le lien de candidature (trmp_token).")
    if status not in ApplicationStatus.values:
        raise ReportError(f"Statut inconnu : {status!r}.")
    if api_key is not None:
        missions = Mission.objects.filter(pk=click.mission_id, source=api_key.source)
        if api_key.organization_id is not None:
            missions = missions.filter(organization_id=api_key.organization_id)
        if not missions.exists():
            raise ReportError("Cette candidature concerne une mission qui n'est pas publiée avec votre clé.")
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            token=click.nonce,
            defaults={
                "mission_id": click.mission_id,
                "channel": click.channel,
                "source": click.source,
                "clicked_at": click.clicked_at,
                "status": status,
                "reported_by": api_key,
            },
        )
        changed = not created and api_key is not None and application.status != status
        if changed:
            application.status = status
            application.reported_by = api_key
            application.save(update_fields=["status", "reported_by", "updated_at"])
    if created or changed:
        record(
            Event(
                kind=Kind.APPLICATION if created else Kind.APPLICATION_STATUS,
                mission_id=click.mission_id,
                channel=click.channel,
                source=click.source,
                token=click.nonce,
                status=status,
            ),
            deduplicate=False,
        )
    return application, created
