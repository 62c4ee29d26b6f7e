"""Push API: partners create, update (partially) and archive their missions one at a time, with an API key.

The key comes in ``Authorization: Bearer <key>`` (or ``X-Api-Key: <key>``) and speaks for one ``source``: it only
reaches missions of that source (and of its organisation, when the key has one). Everything else — normalisation,
validation, writing, announcing the change to the search index — is the importers' own code
(:class:`importers.push.MissionPusher`), so a pushed mission reads exactly like one from a feed.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry import UNSET, relay
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from cms.missions.models import MISSION_ADDRESSES_MAX, MISSION_LIST_ITEMS_MAX, Mission
from cms.partners_api.models import Scope
from graphql_api.core.apikeys import required_api_key
from graphql_api.core.errors import BadUserInput, Forbidden, NotFound
from importers.push import (
    MissionAlreadyExists,
    MissionNotFound,
    MissionPusher,
    MissionRefused,
    NotYourMission,
    PushError,
)
from importers.records import CLIENT_ID_MAX

#: Input fields whose feed name is not simply their camelCase name.
_FEED_NAMES = {"organization_rna": "organizationRNA"}


@strawberry.input(description="Une adresse de la mission ; coordonnées facultatives (géocodées sinon).")
class MissionAddressInput:
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    department_code: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@strawberry.input(
    description=(
        "Les champs d'une mission, avec les noms et les formats du flux de l'API Engagement (dates jj/mm/aaaa ou "
        "ISO, télétravail oui/non/hybride…). En modification, seuls les champs envoyés changent ; null efface. "
        f"Chaque liste compte au plus {MISSION_LIST_ITEMS_MAX} éléments."
    )
)
class MissionInput:
    title: str | None = UNSET
    description: str | None = strawberry.field(default=UNSET, description="HTML : nettoyé à l'enregistrement.")
    application_url: str | None = UNSET
    type: str | None = strawberry.field(default=UNSET, description="Dispositif (ex. « benevolat », « volontariat »).")
    domain: str | None = UNSET
    start_at: str | None = UNSET
    end_at: str | None = UNSET
    posted_at: str | None = UNSET
    places: int | None = UNSET
    remote: str | None = UNSET
    schedule: str | None = UNSET
    activities: list[str] | None = UNSET
    tags: list[str] | None = UNSET
    audience: list[str] | None = UNSET
    soft_skills: list[str] | None = UNSET
    requirements: list[str] | None = UNSET
    open_to_minors: bool | None = UNSET
    reduced_mobility_accessible: bool | None = UNSET
    close_to_transport: bool | None = UNSET
    compensation_amount: float | None = UNSET
    compensation_amount_max: float | None = UNSET
    compensation_unit: str | None = UNSET
    compensation_type: str | None = UNSET
    image: str | None = UNSET
    addresses: list[MissionAddressInput] | None = strawberry.field(
        default=UNSET, description=f"Les lieux de la mission, {MISSION_ADDRESSES_MAX} au plus."
    )
    organization_name: str | None = UNSET
    organization_client_id: str | None = UNSET
    organization_rna: str | None = strawberry.field(default=UNSET, name="organizationRNA")
    organization_siren: str | None = UNSET
    organization_url: str | None = UNSET
    organization_logo: str | None = UNSET


@strawberry.type(description="Ce que devient la mission envoyée.")
class MissionPushPayload:
    id: relay.GlobalID
    database_id: int
    client_id: str
    created: bool = strawberry.field(description="Vrai si la mission vient d'être créée.")
    public: bool = strawberry.field(description="Visible du public (acceptée, en cours, non archivée).")
    archived: bool
    moderation_status: str
    warnings: list[str] = strawberry.field(description="Valeurs ignorées ou corrigées, en français.")


#: The ``clientId`` argument of every mutation.
ClientId = Annotated[
    str,
    strawberry.argument(
        description=f"Identifiant de la mission chez vous, {CLIENT_ID_MAX} caractères au plus (jamais tronqué)."
    ),
]


def _payload(mission: Mission, *, created: bool = False, warnings: list[str] | None = None) -> MissionPushPayload:
    return MissionPushPayload(
        id=relay.GlobalID("Mission", str(mission.pk)),
        database_id=mission.pk,
        client_id=mission.client_id,
        created=created,
        public=mission.is_public,
        archived=mission.archived_at is not None,
        moderation_status=mission.moderation_status,
        warnings=warnings or [],
    )


def _raw(data: MissionInput) -> dict[str, Any]:
    """The input as a feed entry: only the fields sent, under the feed's names."""
    raw: dict[str, Any] = {}
    for name, value in vars(data).items():
        if value is UNSET:
            continue
        if name == "addresses" and value is not None:
            value = [
                {to_camel_case(key): item for key, item in vars(address).items() if item is not None}
                for address in value
            ]
        raw[_FEED_NAMES.get(name, to_camel_case(name))] = value
    return raw


def _pusher(info: Info) -> MissionPusher:
    key = required_api_key(info, Scope.PUSH_MISSIONS)
    return MissionPusher(key.source, organization_id=key.organization_id)


def _as_api_error(error: PushError) -> Exception:
    if isinstance(error, MissionRefused):
        return BadUserInput(
            str(error),
            reasons=[{"field": field, "message": message} for field, message in error.reasons],
        )
    if isinstance(error, MissionNotFound):
        return NotFound(str(error))
    if isinstance(error, NotYourMission):
        return Forbidden(str(error))
    if isinstance(error, MissionAlreadyExists):
        return BadUserInput(str(error), argument="clientId")
    return BadUserInput(str(error))


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Crée une mission de la source de votre clé d'API.")
    def create_mission(self, info: Info, client_id: ClientId, input: MissionInput) -> MissionPushPayload:
        pusher = _pusher(info)
        try:
            result = pusher.create(client_id, _raw(input))
        except PushError as error:
            raise _as_api_error(error) from error
        return _payload(result.mission, created=True, warnings=result.warnings)

    @strawberry.mutation(description="Modifie une mission : seuls les champs envoyés changent.")
    def update_mission(self, info: Info, client_id: ClientId, input: MissionInput) -> MissionPushPayload:
        pusher = _pusher(info)
        try:
            result = pusher.update(client_id, _raw(input))
        except PushError as error:
            raise _as_api_error(error) from error
        return _payload(result.mission, warnings=result.warnings)

    @strawberry.mutation(description="Archive une mission (elle n'est plus publique ; rien n'est supprimé).")
    def archive_mission(self, info: Info, client_id: ClientId) -> MissionPushPayload:
        pusher = _pusher(info)
        try:
            mission = pusher.archive(client_id)
        except PushError as error:
            raise _as_api_error(error) from error
        return _payload(mission)
