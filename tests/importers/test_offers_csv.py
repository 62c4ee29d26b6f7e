import io

import pytest

from cms.offers.models import OFFER_STORES_MAX, OfferPage
from importers.offers_csv import OfferImportError, import_offers
from tests.factories.offers import OfferPageFactory, PartnerPageFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "title;kind;discount_type;discount_value;categories;"
    "store_name;store_postcode;store_city;store_latitude;store_longitude\n"
)


def csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode())


def test_lines_sharing_a_title_make_one_offer_with_many_stores():
    partner = PartnerPageFactory()

    report = import_offers(
        partner,
        csv(
            "-10 % en magasin;card;percent;10;sport;Magasin Lyon;69002;Lyon;45.75;4.83",
            "-10 % en magasin;card;percent;10;sport;Magasin Paris;75004;Paris;48.85;2.36",
            "Casque offert;card;free;;;Magasin Lyon;69002;Lyon;;",
        ),
    )

    assert (report.offers, report.stores) == (2, 3)
    offer = OfferPage.objects.child_of(partner).get(title="-10 % en magasin")
    assert [(s.city, s.department_code) for s in offer.stores.all()] == [("Lyon", "69"), ("Paris", "75")]
    assert [c.slug for c in offer.categories.all()] == ["sport"]


def test_imported_offers_are_drafts_unless_published():
    partner = PartnerPageFactory()

    import_offers(partner, csv("Offre brouillon;card;percent;10;;;;;;"))
    import_offers(partner, csv("Offre publiée;card;percent;10;;;;;;"), publish=True)

    assert dict(OfferPage.objects.child_of(partner).values_list("title", "live")) == {
        "Offre brouillon": False,
        "Offre publiée": True,
    }


def test_a_store_repeated_for_the_same_offer_is_a_skipped_duplicate():
    report = import_offers(
        PartnerPageFactory(),
        csv("Offre;card;percent;10;;Magasin Lyon;69002;Lyon;;", "Offre;card;percent;10;;magasin lyon;69002;Lyon;;"),
    )

    assert (report.stores, report.duplicates) == (1, ["Offre — magasin lyon"])


def test_an_offer_already_known_under_the_partner_is_refused():
    partner = PartnerPageFactory()
    OfferPageFactory(parent=partner, title="Offre existante")

    with pytest.raises(OfferImportError, match="existe déjà"):
        import_offers(partner, csv("Offre existante;card;percent;10;;;;;;"))


def test_any_invalid_line_rejects_the_whole_file_with_line_numbers():
    partner = PartnerPageFactory()

    with pytest.raises(OfferImportError) as refused:
        import_offers(
            partner,
            csv("Bonne offre;card;percent;10;;;;;;", "Inconnue;card;percent;5;jardinage;;;;;"),
        )

    assert refused.value.errors == ["Ligne 3 : catégorie(s) inconnue(s) : jardinage."]
    assert not OfferPage.objects.child_of(partner).exists()


def test_a_business_rule_broken_by_one_offer_rolls_back_the_others():
    partner = PartnerPageFactory()

    with pytest.raises(OfferImportError) as refused:
        import_offers(partner, csv("Bonne offre;card;percent;10;;;;;;", "Trop généreuse;card;percent;150;;;;;;"))

    assert refused.value.errors == ["Ligne 3 : Un pourcentage de réduction doit être compris entre 0 et 100."]
    assert not OfferPage.objects.child_of(partner).exists()


def test_an_offer_with_more_stores_than_an_offer_may_list_is_refused_in_french():
    partner = PartnerPageFactory()
    lines = [f"Offre;card;percent;10;;Magasin {n};69002;Lyon;;" for n in range(OFFER_STORES_MAX + 1)]

    with pytest.raises(OfferImportError) as refused:
        import_offers(partner, csv(*lines))

    assert refused.value.errors == [
        f"Ligne {OFFER_STORES_MAX + 2} : l'offre « Offre » a déjà {OFFER_STORES_MAX} magasins, le maximum "
        "(une offre valable dans plus de magasins est « valable partout en France »)."
    ]
    assert not OfferPage.objects.child_of(partner).exists()
