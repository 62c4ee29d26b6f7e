import datetime

import factory
from django.utils import timezone

from cms.missions.models import Mission, MissionAddress
from cms.taxonomy.models import Domain, Programme

from .base import ModelFactory
from .organisations import OrganizationFactory


class MissionFactory(ModelFactory):
    """A public mission by default: live, accepted, not archived, running for three months."""

    class Meta:
        model = Mission

    source = "partenaire-test"
    client_id = factory.Sequence(lambda n: f"mission-{n}")
    title = factory.Sequence(lambda n: f"Accompagner des enfants vers la lecture #{n}")
    description_html = "<p>Vous animerez des ateliers de lecture pour des enfants de 6 à 10 ans.</p>"
    organization = factory.SubFactory(OrganizationFactory)
    programme = factory.LazyFunction(lambda: Programme.objects.get(slug="service-civique"))
    domain = factory.LazyFunction(lambda: Domain.objects.get(slug="education"))
    live = True
    moderation_status = Mission.Moderation.ACCEPTED
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    places = 2


class MissionAddressFactory(ModelFactory):
    class Meta:
        model = MissionAddress

    mission = factory.SubFactory(MissionFactory)
    street = "12 rue de la République"
    postcode = "69002"
    city = "Lyon"
    department_code = "69"
    department_name = "Rhône"
    region = "Auvergne-Rhône-Alpes"
    latitude = 45.7640
    longitude = 4.8357
