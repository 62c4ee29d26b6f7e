"""A young person's rights over their data: everything held about them as JSON, and erasure.

Erasure deletes the person, their card, its history, their recommendation profile, their tokens and codes; their
activations stay without them (``Activation.young_person`` is emptied), so savings and activation counts remain true
and say nobody's name.
"""

from __future__ import annotations

from django.db import transaction

from .models import AccessToken, Activation, SignInCode, YoungPerson, recommendation_profile_of


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_data(person: YoungPerson) -> dict:
    """Everything held about ``person``, in French-keyed-free plain JSON types."""
    card = getattr(person, "card", None)
    stored = recommendation_profile_of(person)
    return {
        "profile": {
            "email": person.email,
            "phone": person.phone,
            "firstName": person.first_name,
            "lastName": person.last_name,
            "birthDate": _iso(person.birth_date),
            "programme": person.programme.label,
            "programmeEndDate": _iso(person.programme_end_date),
            "referent": str(person.referent) if person.referent else None,
            "postcode": person.postcode,
            "city": person.city,
            "offerCategories": sorted(person.offer_categories.values_list("label", flat=True)),
            "needs": sorted(person.needs.values_list("label", flat=True)),
            "domains": sorted(person.domains.values_list("label", flat=True)),
            "termsAcceptedAt": _iso(person.terms_accepted_at),
            "expiryRemindersConsentAt": _iso(person.expiry_reminders_consent_at),
            "digestConsentAt": _iso(person.digest_consent_at),
            "firstSignedInAt": _iso(person.first_signed_in_at),
            "createdAt": _iso(person.created_at),
        },
        "recommendationProfile": None
        if stored is None
        else {
            "radiusKm": stored.radius_km,
            "intent": stored.intent or None,
            "hoursPerWeek": stored.hours_per_week,
            "startDate": _iso(stored.start_date),
            "remoteAccepted": stored.remote_accepted,
            "accessibilityNeeds": stored.accessibility_needs,
            "updatedAt": _iso(stored.updated_at),
        },
        "card": None
        if card is None
        else {
            "number": card.number,
            "status": card.status,
            "validUntil": _iso(card.valid_until),
            "history": [
                {"action": e.action, "status": e.to_status, "at": _iso(e.at), "reason": e.reason}
                for e in card.events.all()
            ],
        },
        "activations": [
            {
                "offer": a.offer.title if a.offer else None,
                "kind": a.kind,
                "value": a.value,
                "estimatedSaving": str(a.estimated_saving),
                "declaredSaving": None if a.declared_saving is None else str(a.declared_saving),
                "usedAt": _iso(a.used_at),
                "createdAt": _iso(a.created_at),
            }
            for a in Activation.objects.filter(young_person=person).select_related("offer")
        ],
        "signIns": AccessToken.objects.filter(young_person=person).count(),
    }


@transaction.atomic
def delete_account(person: YoungPerson) -> None:
    contacts = [c for c in (person.email, person.phone) if c]
    SignInCode.objects.filter(contact__in=contacts).delete()
    Activation.objects.filter(young_person=person).update(young_person=None)
    person.delete()
