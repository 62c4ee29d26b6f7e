"""Who is asking, for the card's operations: a young person or a referent, by the bearer token they signed in for.

Every resolver of the card goes through :func:`private_request` first: it refuses GET (personal data never travels in
a URL, and mutations never by GET) and marks the request private, so that the view answers
``Cache-Control: private, no-store`` whatever the operation.
"""

from __future__ import annotations

from django.http import HttpRequest
from strawberry.types import Info

from cms.cards import signin
from cms.cards.models import AccessToken, Referent, YoungPerson
from graphql_api.core.apikeys import presented_secret
from graphql_api.core.errors import BadUserInput, Forbidden, Unauthenticated

#: Set on requests whose answer holds personal data; read by ``graphql_api.views``.
PRIVATE_FLAG = "_tremplin_private"
_TOKEN = "_tremplin_card_token"  # noqa: S105 - an attribute name

_MAX_PK = 2**63  # ids at or beyond this cannot exist (bigint) and would fail the query

SIGN_IN_FIRST = "Connectez-vous : envoyez « Authorization: Bearer <jeton> » obtenu avec verifySignInCode."
GET_REFUSED = "Les opérations de la Carte jeune engagé s'envoient en POST."


def private_request(info: Info) -> HttpRequest:
    request = info.context.request
    setattr(request, PRIVATE_FLAG, True)
    if request.method != "POST":
        raise BadUserInput(GET_REFUSED)
    return request


def access_token(info: Info) -> AccessToken | None:
    request = private_request(info)
    if not hasattr(request, _TOKEN):
        secret = presented_secret(request)
        token = signin.authenticate(secret) if secret.startswith(signin.TOKEN_PREFIX) else None
        setattr(request, _TOKEN, token)
    return getattr(request, _TOKEN)


def presents_token(info: Info) -> bool:
    """Whether the request carries a card token; neither refuses GET nor marks the request private (public
    operations that also serve signed-in people ask this first)."""
    return presented_secret(info.context.request).startswith(signin.TOKEN_PREFIX)


def young_person(info: Info) -> YoungPerson:
    token = access_token(info)
    if token is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    if token.young_person is None:
        raise Forbidden("Cette opération est réservée aux titulaires de la carte.")
    return token.young_person


def followed_young_person(info: Info, person_id: str, refusal: str) -> YoungPerson:
    """The young person ``person_id`` if the signed-in referent follows them; ``refusal`` (French) otherwise, the
    same whether the person exists, is someone else's or the id is malformed."""
    follower = referent(info)
    text = str(person_id).strip()
    if not (text.isdigit() and int(text) < _MAX_PK):
        raise Forbidden(refusal)
    person = (
        YoungPerson.objects.filter(pk=int(text), referent=follower).select_related("recommendation_profile").first()
    )
    if person is None:
        raise Forbidden(refusal)
    return person


def referent(info: Info) -> Referent:
    token = access_token(info)
    if token is None:
        raise Unauthenticated(SIGN_IN_FIRST)
    if token.referent is None or not token.referent.active:
        raise Forbidden("Cette opération est réservée aux référents.")
    return token.referent
