"""Users in the roles the admin knows: editorial staff, organisations' members, partners' people."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cms.core.roles import EDITORIAL_GROUP

from .base import ModelFactory


class UserFactory(ModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}@example.fr")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = "Camille"
    last_name = "Martin"
    password = factory.django.Password("mot-de-passe-de-test")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        """``UserFactory(groups=["Équipe éditoriale"])``: the groups exist, ``ensure_roles`` made them at migrate."""
        if create and names:
            self.groups.add(*(Group.objects.get(name=name) for name in names))


class EditorFactory(UserFactory):
    """A member of the editorial team."""

    username = factory.Sequence(lambda n: f"editeur{n}@tremplin.example.fr")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create:
            self.groups.add(*(Group.objects.get(name=name) for name in names or [EDITORIAL_GROUP]))


class OrganisationMemberFactory(UserFactory):
    """Someone who writes missions for ``organisation`` (joining it puts them in the "Organisations" group)."""

    username = factory.Sequence(lambda n: f"benevole{n}@association.example.fr")

    @factory.post_generation
    def organisation(self, create, organisation, **kwargs):
        if create and organisation is not None:
            organisation.members.add(self)
