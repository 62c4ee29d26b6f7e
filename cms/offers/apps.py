from django.apps import AppConfig


def keep_partner_in_step(sender, instance, parent_page_after, **kwargs) -> None:
    """A moved offer names its new partner: Wagtail saves a moved page as a plain ``Page``, not through ``save()``."""
    from .models import OfferPage

    OfferPage.objects.filter(pk=instance.pk).update(partner_id=parent_page_after.pk)


class OffersConfig(AppConfig):
    name = "cms.offers"
    label = "offers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import post_page_move

        from .models import OfferPage

        post_page_move.connect(keep_partner_in_step, sender=OfferPage, dispatch_uid="cms.offers.keep_partner_in_step")
