"""The card on the impact dashboard: euros saved, active cards, offers activated per partner, from daily aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.cards.models import ActivationDailyStat, CardDailyStat
from cms.offers.onboarding import onboard_partner
from cms.tracking.impact import impact, scope_for
from tests.factories.offers import PartnerPageFactory
from tests.factories.taxonomy import OfferCategoryFactory
from tests.factories.users import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def activations(partner, category, count: int, saving: str, days_ago: int = 1) -> None:
    ActivationDailyStat.objects.create(
        day=timezone.localdate() - dt.timedelta(days=days_ago),
        partner_id=partner.pk,
        offer_id=None,
        category_id=category.pk,
        activations=count,
        used=count // 2,
        saving=Decimal(saving),
    )


@pytest.fixture
def history(offers_index):
    bookshop = onboard_partner("Librairie du Centre", user_emails=["stock@librairie.example.fr"]).page
    grocer = PartnerPageFactory(title="Épicerie Bio")
    books = OfferCategoryFactory(slug="culture", label="Culture")
    food = OfferCategoryFactory(slug="alimentation", label="Alimentation")
    activations(bookshop, books, 4, "30.00")
    activations(grocer, food, 6, "51.00")
    CardDailyStat.objects.create(day=timezone.localdate(), active_cards=42)
    return bookshop


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("tracking_impact"), params)


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_staff_see_euros_saved_active_cards_and_offers_per_partner(client, history):
    html = text(page(client, EditorFactory()))

    assert "81,00 € économisés en tout, 10 offres activées, 5 utilisations déclarées, 42 cartes actives." in html
    assert "Euros économisés par catégorie" in html
    assert "Épicerie Bio" in html
    assert "Librairie du Centre" in html


def test_a_partner_s_people_see_only_their_offers_figures(client, history):
    person = UserFactory(username="stock@librairie.example.fr")

    html = text(page(client, person))

    assert "30,00 € économisés en tout, 4 offres activées, 2 utilisations déclarées." in html
    assert "Chiffres de vos offres uniquement." in html
    assert "Épicerie" not in html
    assert "cartes actives" not in html
    assert "candidatures générées" not in html


def test_savings_per_month_cover_twelve_months_with_the_current_one_last(history):
    figures = impact(scope_for(EditorFactory()), timezone.localdate()).cards

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert len(figures.by_month) == 12
    assert figures.by_month[-1].label == f"{timezone.localdate():%Y-%m}"
    assert sum(line.saving for line in figures.by_month) == Decimal("81.00")
    assert {line.label for line in figures.by_month if line.saving} == {f"{yesterday:%Y-%m}"}


def test_savings_per_category_export_as_csv_with_a_decimal_comma(client, history):
    response = page(client, EditorFactory(), export="economies-categories")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["Catégorie;Offres activées;Euros économisés", "Alimentation;6;51,00", "Culture;4;30,00"]


def test_offers_activated_per_partner_export_as_csv(client, history):
    lines = page(client, EditorFactory(), export="partenaires").content.decode("utf-8-sig").splitlines()

    assert lines[0] == "Partenaire;Offres activées;Utilisations déclarées;Euros économisés"
    assert lines[1:] == ["Épicerie Bio;6;3;51,00", "Librairie du Centre;4;2;30,00"]


def test_the_dashboard_reads_aggregates_in_a_bounded_number_of_queries(client, history, django_assert_max_num_queries):
    editor = EditorFactory()
    client.force_login(editor)

    with django_assert_max_num_queries(40):
        response = client.get(reverse("tracking_impact"))

    assert response.status_code == 200
