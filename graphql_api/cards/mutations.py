"""Mutations of the card: sign-in, the young person's profile and offers, the referent's invitations and cards.

Refusals are typed errors with a French message: ``BAD_USER_INPUT`` for a wrong input, ``FORBIDDEN`` for a refused
activation, carrying ``reason`` (``CARD_NOT_ACTIVE``, ``ALREADY_USED``, ``OUT_OF_CODES``, ``OFFER_NOT_VALID``) that
front-ends switch on.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import strawberry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from strawberry.scalars import JSON
from strawberry.types import Info

from cms.cards import lifecycle, privacy, signin
from cms.cards.activations import ActivationRefused, activate_offer, mark_used
from cms.cards.contacts import normalise_contact
from cms.cards.invitations import InvitationReport, invite_csv, invite_rows
from cms.cards.models import Audience, Card, RecommendationProfile, YoungPerson, recommendation_profile_of
from cms.taxonomy.models import Domain, Need, OfferCategory
from graphql_api.core.errors import BadUserInput, Forbidden, NotFound
from graphql_api.recommendation.types import RecommendationIntent
from search.recommendation import InvalidProfile, check, stored_profile

from . import auth
from .throttle import check_sign_in_request
from .types import ActivationType, CardType, ProfileType

SignInAudience = strawberry.enum(Audience, name="SignInAudience", description="Espace où l'on se connecte.")

CODE_SENT = "Si ce contact est connu, un code de connexion vient de lui être envoyé."


@strawberry.type(name="SignInCodeRequest")
class SignInCodeRequestPayload:
    message: str


@strawberry.type(name="SignIn", description="Jeton à envoyer ensuite dans « Authorization: Bearer <jeton> ».")
class SignInPayload:
    token: str
    expires_at: dt.datetime


@strawberry.input(
    description=(
        "Champs du profil à changer ; seuls ceux envoyés changent. Code postal, domaines et date de naissance servent "
        "aussi aux missions recommandées ; rayon, intention, heures, date de début, distance et accessibilité "
        "forment le profil de recherche de missions (mêmes noms et mêmes règles que RecommendationProfileInput)."
    )
)
class ProfileInput:
    postcode: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    offer_categories: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Slugs.")
    needs: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Slugs.")
    domains: list[str] | None = strawberry.field(default=strawberry.UNSET, description="Slugs.")
    accept_terms: bool | None = strawberry.UNSET
    expiry_reminders: bool | None = strawberry.field(default=strawberry.UNSET, description="Rappel avant expiration.")
    weekly_digest: bool | None = strawberry.field(default=strawberry.UNSET, description="Lettre hebdomadaire.")
    radius_km: float | None = strawberry.field(default=strawberry.UNSET, description="Rayon de mobilité (km).")
    intent: RecommendationIntent | None = strawberry.UNSET
    hours_per_week: int | None = strawberry.UNSET
    start_date: dt.date | None = strawberry.field(
        default=strawberry.UNSET, description="Date à partir de laquelle commencer une mission."
    )
    remote_accepted: bool | None = strawberry.UNSET
    accessibility_needs: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Besoin d'un lieu accessible (PMR)."
    )


#: ``ProfileInput`` fields stored on the person's ``RecommendationProfile``.
RECOMMENDATION_FIELDS = (
    "radius_km",
    "intent",
    "hours_per_week",
    "start_date",
    "remote_accepted",
    "accessibility_needs",
)


@strawberry.input(description="Un jeune à inviter : e-mail et/ou téléphone.")
class YoungPersonInvitationInput:
    email: str | None = None
    phone: str | None = None
    first_name: str
    last_name: str
    birth_date: dt.date
    programme: str = strawberry.field(description="Slug ou libellé du dispositif.")
    programme_end_date: dt.date


@strawberry.type(name="InvitationReport", description="Ce que devient chaque ligne envoyée.")
class InvitationReportPayload:
    invited: int
    reinvited: int = strawberry.field(description="Invitations renvoyées (la nouvelle remplace l'ancienne).")
    errors: list[str] = strawberry.field(description="Lignes ignorées, avec leur motif.")


def _given(value) -> bool:
    return value is not strawberry.UNSET


def _terms(model, slugs: list[str], argument: str):
    terms = list(model.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {term.slug for term in terms})
    if unknown:
        raise BadUserInput(f"Valeur(s) inconnue(s) : {', '.join(unknown)}.", argument=argument)
    return terms


def _consent(current, wanted: bool | None):
    if not wanted:
        return None
    return current or timezone.now()


def _store_recommendation_profile(person: YoungPerson, input: ProfileInput) -> None:
    """Save the recommendation fields sent, then check the whole stored profile as the engine checks a given one."""
    given = {name: getattr(input, name) for name in RECOMMENDATION_FIELDS if _given(getattr(input, name))}
    if given:
        stored = recommendation_profile_of(person) or RecommendationProfile(young_person=person)
        for name, value in given.items():
            if name == "intent":
                value = value.value if value is not None else ""
            elif name in ("remote_accepted", "accessibility_needs"):
                value = bool(value)
            setattr(stored, name, value)
        stored.save()
        person.recommendation_profile = stored  # what the answer and the check below read
    profile = stored_profile(person)
    if profile is not None:
        try:
            check(profile)
        except InvalidProfile as error:
            raise BadUserInput(str(error), argument="input") from None


def _report(report: InvitationReport) -> InvitationReportPayload:
    return InvitationReportPayload(invited=len(report.invited), reinvited=len(report.reinvited), errors=report.errors)


def _followed_card(info: Info, card_number: str) -> tuple[Card, lifecycle.Actor]:
    referent = auth.referent(info)
    card = Card.objects.filter(number=card_number, young_person__referent=referent).first()
    if card is None:
        raise NotFound("Aucune carte de ce numéro parmi les jeunes que vous suivez.")
    return card, lifecycle.by_referent(referent)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Envoie un code de connexion à 6 chiffres par e-mail ou SMS.")
    def request_sign_in_code(
        self, info: Info, contact: str, audience: SignInAudience = Audience.YOUNG_PERSON
    ) -> SignInCodeRequestPayload:
        request = auth.private_request(info)
        try:
            _, normal = normalise_contact(contact)
        except ValidationError as error:
            raise BadUserInput(error.messages[0], argument="contact") from None
        check_sign_in_request(request, normal)
        signin.request_code(Audience(audience), normal)
        return SignInCodeRequestPayload(message=CODE_SENT)

    @strawberry.mutation(description="Échange le code reçu contre un jeton de connexion.")
    def verify_sign_in_code(
        self, info: Info, contact: str, code: str, audience: SignInAudience = Audience.YOUNG_PERSON
    ) -> SignInPayload:
        auth.private_request(info)
        try:
            token, _ = signin.verify_code(Audience(audience), contact, code)
        except signin.SignInRefused as error:
            raise BadUserInput(str(error), argument="code") from None
        stored = signin.authenticate(token)
        return SignInPayload(token=token, expires_at=stored.expires_at)

    @strawberry.mutation(description="Révoque le jeton de la requête.")
    def sign_out(self, info: Info) -> bool:
        token = auth.access_token(info)
        if token is not None:
            signin.revoke(token)
        return token is not None

    @strawberry.mutation(description="Change le profil du jeune connecté ; active sa carte dès qu'il est complet.")
    def update_profile(self, info: Info, input: ProfileInput) -> ProfileType:
        person = auth.young_person(info)
        if _given(input.postcode):
            postcode = (input.postcode or "").strip()
            if postcode and not (postcode.isdigit() and len(postcode) == 5):
                raise BadUserInput("Code postal invalide (5 chiffres).", argument="postcode")
            person.postcode = postcode
        if _given(input.city):
            person.city = (input.city or "").strip()[:255]
        if _given(input.accept_terms):
            person.terms_accepted_at = _consent(person.terms_accepted_at, input.accept_terms)
        if _given(input.expiry_reminders):
            person.expiry_reminders_consent_at = _consent(person.expiry_reminders_consent_at, input.expiry_reminders)
        if _given(input.weekly_digest):
            person.digest_consent_at = _consent(person.digest_consent_at, input.weekly_digest)
        with transaction.atomic():  # a refused value leaves the whole profile as it was
            person.save()
            for name, model in (("offer_categories", OfferCategory), ("needs", Need), ("domains", Domain)):
                value = getattr(input, name)
                if _given(value):
                    getattr(person, name).set(_terms(model, value or [], name))
            _store_recommendation_profile(person, input)
            card = Card.objects.filter(young_person=person).first()
            if card is not None and card.status == "invited" and person.profile_complete:
                lifecycle.activate(card)
        return person

    @strawberry.mutation(description="Utilise une offre avec la carte : code, code-barres, consignes ou lien.")
    def activate_offer(self, info: Info, offer_id: strawberry.ID) -> ActivationType:
        person = auth.young_person(info)
        try:
            pk = int(offer_id)
        except ValueError:
            raise BadUserInput("Identifiant d'offre invalide.", argument="offerId") from None
        try:
            return activate_offer(person, pk)
        except ActivationRefused as refusal:
            raise Forbidden(str(refusal), reason=refusal.code) from None

    @strawberry.mutation(description="Indique qu'une offre a servi, avec le montant économisé si on le connaît.")
    def mark_activation_used(
        self, info: Info, activation_id: strawberry.ID, amount: Decimal | None = None
    ) -> ActivationType:
        person = auth.young_person(info)
        try:
            activation = mark_used(person, int(activation_id), amount)
        except ValueError as error:
            raise BadUserInput(str(error), argument="amount") from None
        if activation is None:
            raise NotFound("Aucune de vos activations ne porte cet identifiant.")
        return activation

    @strawberry.mutation(description="Tout ce que Tremplin détient sur le jeune connecté, en JSON.")
    def export_my_data(self, info: Info) -> JSON:
        return json.loads(json.dumps(privacy.export_data(auth.young_person(info))))

    @strawberry.mutation(description="Efface le compte et les données personnelles ; les économies restent anonymes.")
    def delete_my_account(self, info: Info) -> bool:
        privacy.delete_account(auth.young_person(info))
        return True

    @strawberry.mutation(
        description=(
            "Invite des jeunes à partir d'un CSV (en-tête : email, telephone, prenom, nom, date_de_naissance, "
            "dispositif, fin_du_dispositif)."
        )
    )
    def invite_young_people(self, info: Info, csv: str) -> InvitationReportPayload:
        return _report(invite_csv(auth.referent(info), csv))

    @strawberry.mutation(description="Invite un jeune (une nouvelle invitation remplace la précédente).")
    def invite_young_person(self, info: Info, input: YoungPersonInvitationInput) -> InvitationReportPayload:
        row = {
            "email": input.email or "",
            "phone": input.phone or "",
            "first_name": input.first_name,
            "last_name": input.last_name,
            "birth_date": input.birth_date.isoformat(),
            "programme": input.programme,
            "programme_end_date": input.programme_end_date.isoformat(),
        }
        return _report(invite_rows(auth.referent(info), [row], first_line=None))

    @strawberry.mutation(description="Suspend la carte d'un jeune suivi, avec un motif.")
    def suspend_card(self, info: Info, card_number: str, reason: str) -> CardType:
        card, actor = _followed_card(info, card_number)
        try:
            return lifecycle.suspend(card, actor, reason)
        except lifecycle.TransitionRefused as error:
            raise BadUserInput(str(error)) from None

    @strawberry.mutation(
        description="Réactive une carte suspendue ou expirée (en prolongeant le dispositif si besoin)."
    )
    def reactivate_card(
        self, info: Info, card_number: str, reason: str, programme_end_date: dt.date | None = None
    ) -> CardType:
        card, actor = _followed_card(info, card_number)
        try:
            return lifecycle.reactivate(card, actor, reason, programme_end_date=programme_end_date)
        except lifecycle.TransitionRefused as error:
            raise BadUserInput(str(error)) from None
