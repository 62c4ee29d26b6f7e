from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import dashboard


@hooks.register("register_admin_urls")
def register_impact_urls():
    return [path("impact/", dashboard, name="tracking_impact")]


@hooks.register("register_admin_menu_item")
def register_impact_menu_item():
    return MenuItem("Impact", reverse("tracking_impact"), icon_name="success", order=250)
