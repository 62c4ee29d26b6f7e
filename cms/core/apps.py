from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_migrate


def apply_roles(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After ``migrate`` (and after a test flush): make sure the admin roles and workflows exist.

    Django and Wagtail create permissions in their own post_migrate handlers, app by app; this one runs for ``core``,
    the first app, so it creates every app's permissions itself before granting them.
    """
    from django.contrib.auth.management import create_permissions
    from wagtail.snippets.models import create_extra_permissions

    from .roles import ensure_roles

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    create_extra_permissions(apps.get_app_config("wagtailsnippets"), using=using)
    ensure_roles()


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cms.organisations.models import Organization

        from . import announcers, lookups  # noqa: F401 - lookups registers ``field__any``
        from .invitations import invite_new_organisation_members
        from .roles import sync_organisations_group

        announcers.connect()

        post_migrate.connect(apply_roles, sender=self, dispatch_uid="cms.core.apply_roles")
        m2m_changed.connect(
            sync_organisations_group, sender=Organization.members.through, dispatch_uid="cms.core.organisations_group"
        )
        m2m_changed.connect(
            invite_new_organisation_members,
            sender=Organization.members.through,
            dispatch_uid="cms.core.invite_organisation_members",
        )
