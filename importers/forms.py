"""Upload forms of the admin (promo codes, offers), offering a user only the partners and offers they act on."""

from __future__ import annotations

from django import forms
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.offers.models import OfferPage, PartnerPage
from cms.offers.permissions import offers_user_may_change, partners_user_may_add_offers_to


class PromoCodeUploadForm(forms.Form):
    offer = forms.ModelChoiceField(label="Offre", queryset=OfferPage.objects.none())
    file = forms.FileField(
        label="Fichier CSV", help_text="Un code par ligne, date d'expiration facultative (jj/mm/aaaa)."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers_user_may_change(user).filter(kind=OfferPage.Kind.CODE)


class OfferUploadForm(forms.Form):
    partner = forms.ModelChoiceField(label="Partenaire", queryset=PartnerPage.objects.none())
    file = forms.FileField(label="Fichier CSV", help_text="Une ligne par offre et par magasin.")
    publish = forms.BooleanField(label="Publier directement", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["partner"].queryset = partners_user_may_add_offers_to(user)
        if not PagePermissionPolicy().user_has_permission(user, "publish"):  # partners: their offers go to review
            del self.fields["publish"]

    def clean(self):
        cleaned_data = super().clean()
        partner = cleaned_data.get("partner")
        if (
            cleaned_data.get("publish")
            and partner
            and not partner.permissions_for_user(self.user).can_publish_subpage()
        ):
            self.add_error(
                "publish", "Vous ne pouvez pas publier d'offres pour ce partenaire : elles passent en revue."
            )
        cleaned_data.setdefault("publish", False)
        return cleaned_data
