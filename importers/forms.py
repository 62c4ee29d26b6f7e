"""Upload forms of the admin (promo codes, offers)."""

from __future__ import annotations

from django import forms

from cms.offers.models import OfferPage, PartnerPage


class PromoCodeUploadForm(forms.Form):
    offer = forms.ModelChoiceField(
        label="Offre", queryset=OfferPage.objects.filter(kind=OfferPage.Kind.CODE).order_by("title")
    )
    file = forms.FileField(
        label="Fichier CSV", help_text="Un code par ligne, date d'expiration facultative (jj/mm/aaaa)."
    )


class OfferUploadForm(forms.Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=PartnerPage.objects.order_by("title"))
    file = forms.FileField(label="Fichier CSV", help_text="Une ligne par offre et par magasin.")
    publish = forms.BooleanField(label="Publier directement", required=False)
