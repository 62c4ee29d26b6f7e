import datetime as dt
import io

import pytest

from cms.offers.models import OfferPage, PromoCode
from importers.promo_codes import PromoCodeImportError, import_promo_codes
from tests.factories.offers import OfferPageFactory, PromoCodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer():
    return OfferPageFactory(kind=OfferPage.Kind.CODE)


def test_codes_are_imported_with_their_optional_expiry(offer):
    report = import_promo_codes(offer, io.BytesIO(b"code;expires_on\nCJE-1;31/12/2027\nCJE-2;\n"))

    assert report.created == 2
    assert dict(PromoCode.objects.values_list("code", "expires_on")) == {"CJE-1": dt.date(2027, 12, 31), "CJE-2": None}


def test_a_file_without_header_is_one_code_per_line(offer):
    import_promo_codes(offer, io.BytesIO(b"CJE-1\nCJE-2\n\nCJE-3\n"))

    assert PromoCode.objects.count() == 3


def test_duplicates_in_the_file_or_already_known_are_skipped_and_counted(offer):
    PromoCodeFactory(offer=offer, code="CJE-1")

    report = import_promo_codes(offer, io.BytesIO(b"code\nCJE-1\nCJE-2\nCJE-2\n"))

    assert (report.created, report.duplicates) == (1, ["CJE-1", "CJE-2"])
    assert PromoCode.objects.filter(offer=offer).count() == 2


def test_one_bad_line_rejects_the_whole_file(offer):
    with pytest.raises(PromoCodeImportError) as refused:
        import_promo_codes(offer, io.BytesIO(b"code,expires_on\nCJE-1,31/12/2027\nCJE-2,bientot\n," + b"\n"))

    assert refused.value.errors[0].startswith("Ligne 3 : date illisible")
    assert not PromoCode.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_in_french(offer):
    with pytest.raises(PromoCodeImportError, match="UTF-8"):
        import_promo_codes(offer, io.BytesIO("code\nRÉDUC-1\n".encode("latin-1")))


def test_codes_are_only_for_unique_code_offers():
    card_offer = OfferPageFactory(kind=OfferPage.Kind.CARD)

    with pytest.raises(PromoCodeImportError, match="n'utilise pas de codes"):
        import_promo_codes(card_offer, io.BytesIO(b"CJE-1\n"))
