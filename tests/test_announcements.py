"""What announces a change of content (``cms.core.changes.contents_changed``), and what does not: a publication,
an unpublication, a term, an organisation or an image edited announce; a draft saved announces nothing."""

from __future__ import annotations

import pytest

from cms.core.changes import contents_changed
from cms.missions.models import Mission
from cms.offers.models import OfferPage
from cms.pages.models import ContentPage
from cms.taxonomy.models import Domain
from tests.factories.images import ImageFactory
from tests.factories.missions import MissionFactory
from tests.factories.offers import OfferPageFactory
from tests.factories.organisations import OrganizationFactory
from tests.factories.pages import ContentPageFactory


@pytest.fixture
def announced(django_capture_on_commit_callbacks):
    """``announced()``: a context in which the on-commit deliveries run; yields the models announced, in order."""
    heard: list[type] = []

    def receiver(sender, **kwargs):
        heard.append(sender)

    contents_changed.connect(receiver, weak=False, dispatch_uid="tests.announced")

    def capture():
        heard.clear()
        return django_capture_on_commit_callbacks(execute=True)

    yield capture, heard
    contents_changed.disconnect(dispatch_uid="tests.announced")


@pytest.mark.parametrize(
    "make", [ContentPageFactory, OfferPageFactory, MissionFactory], ids=["page", "offer", "mission"]
)
def test_a_draft_saved_announces_nothing(home_page, offers_index, announced, make):
    capture, heard = announced
    row = make()

    with capture():
        row.title = "Brouillon"
        row.save_revision()

    assert heard == []


@pytest.mark.parametrize(
    ("make", "model"),
    [(ContentPageFactory, ContentPage), (OfferPageFactory, OfferPage), (MissionFactory, Mission)],
    ids=["page", "offer", "mission"],
)
def test_a_publication_is_announced_with_the_model_published(home_page, offers_index, announced, make, model):
    capture, heard = announced
    row = make()

    with capture():
        row.title = "Nouveau titre"
        row.save_revision().publish()

    assert model in heard


def test_a_page_unpublished_is_announced(home_page, announced):
    capture, heard = announced
    page = ContentPageFactory()

    with capture():
        page.unpublish()

    assert ContentPage in heard


@pytest.mark.parametrize("make", [OrganizationFactory, ImageFactory], ids=["organisation", "image"])
def test_a_row_edited_outside_pages_and_missions_is_announced(db, announced, make):
    capture, heard = announced
    row = make()

    with capture():
        row.title = row.name = "Nouveau nom"
        row.save()

    assert type(row) in heard


def test_a_taxonomy_term_edited_is_announced(db, announced):
    capture, heard = announced
    term = Domain.objects.first()

    with capture():
        term.label = "Nouveau libellé"
        term.save()

    assert Domain in heard
