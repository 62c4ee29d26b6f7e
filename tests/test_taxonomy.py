import pytest
from django.core.exceptions import ValidationError

from cms.taxonomy.models import Domain, Need, OfferCategory, Programme

pytestmark = pytest.mark.django_db

ENGAGEMENT_DOMAINS = {
    "animaux",
    "autre",
    "batiment-industrie-logistique",
    "benevolat-competences",
    "communication",
    "culture-loisirs",
    "education",
    "emploi",
    "environnement",
    "gestion-finance-droit",
    "humanitaire",
    "memoire-et-citoyennete",
    "numerique",
    "prevention-protection",
    "recherche",
    "sante",
    "service-public-defense-securite",
    "sport",
    "solidarite-insertion",
    "vivre-ensemble",
}


def test_the_twenty_engagement_domains_are_seeded_with_french_labels():
    assert set(Domain.objects.values_list("slug", flat=True)) == ENGAGEMENT_DOMAINS
    assert Domain.objects.get(slug="sante").label == "Santé pour tous"


def test_every_programme_of_the_engagement_platform_is_seeded():
    assert set(Programme.objects.values_list("slug", flat=True)) == {
        "benevolat",
        "service-civique",
        "reserve-civique",
        "snu",
        "sapeurs-pompiers-volontaires",
        "reserve-operationnelle",
        "corps-europeen-solidarite",
    }


def test_offer_categories_and_needs_are_seeded():
    assert OfferCategory.objects.count() == 10
    assert OfferCategory.objects.filter(slug="mobilite-transport", label="Mobilité et transport").exists()
    assert Need.objects.filter(slug="permis-de-conduire").exists()


@pytest.mark.parametrize(
    ("age", "disability", "eligible"),
    [(15, False, False), (16, False, True), (25, False, True), (26, False, False), (29, True, True), (31, True, False)],
)
def test_service_civique_eligibility_follows_its_age_range(age, disability, eligible):
    service_civique = Programme.objects.get(slug="service-civique")
    assert service_civique.is_eligible(age, disability=disability) is eligible


def test_benevolat_has_no_age_limit():
    assert Programme.objects.get(slug="benevolat").is_eligible(70)


def test_a_programme_whose_maximum_age_is_below_its_minimum_is_refused_in_french():
    programme = Programme(slug="x", label="X", min_age=20, max_age=18)
    with pytest.raises(ValidationError) as excinfo:
        programme.full_clean()
    assert "L'âge maximum doit être supérieur" in str(excinfo.value)
