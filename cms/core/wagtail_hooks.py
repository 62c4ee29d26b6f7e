"""Admin-wide confinement: choosers, the admin API and reports show a user only their own content (``admin_scope``)."""

from __future__ import annotations

from django.http import Http404
from wagtail import hooks

from .admin_scope import OwnDocumentsAdminAPIViewSet, OwnImagesAdminAPIViewSet, own_pages


@hooks.register("construct_page_chooser_queryset")
def choose_own_pages(pages, request):
    """The page chooser (browsing and search) offers the user's own pages and the pages above them, to browse down.

    Browsing into a page outside them is a 404: the chooser would otherwise show that page's title as the parent.
    """
    parent_page_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    reachable = own_pages(request.user, with_ancestors=True)
    if parent_page_id is not None and not reachable.filter(pk=parent_page_id).exists():
        raise Http404
    return own_pages(request.user, pages, with_ancestors=True)


@hooks.register("construct_admin_api", order=100)  # after Wagtail's images and documents apps register theirs
def admin_api_lists_own_media(router):
    router.register_endpoint("images", OwnImagesAdminAPIViewSet)
    router.register_endpoint("documents", OwnDocumentsAdminAPIViewSet)
