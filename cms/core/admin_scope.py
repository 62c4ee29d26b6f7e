"""What each admin user may see of the content: their own part of the page tree, images and documents.

Wagtail confines its explorer, page search and reports to the pages a user may explore, but a few screens list every
page, image or document to anyone who reaches the admin: the page chooser (browsing and search), the admin API's image
and document endpoints, and the page types usage report. Partners and organisations' members reach the admin, so
those screens are narrowed here to what Wagtail's permission policies grant (see ``wagtail_hooks``); staff, whose
permissions cover the whole tree and every collection, keep seeing everything.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

#: Page actions that make a page part of a user's own content in the admin (as for Wagtail's explorer).
PAGE_ACTIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")
#: Image or document actions that make it part of a user's media in the admin.
MEDIA_ACTIONS = ("choose", "change", "delete")
#: Length of one level of Wagtail's materialised page path (treebeard's ``steplen``).
PATH_STEP = Page.steplen


def own_pages_q(user, *, with_ancestors: bool = False, prefix: str = "") -> Q | None:
    """Pages under those ``user`` holds a page permission on, as a filter on ``path`` (None: every page).

    A path filter is what the admin's search backend can apply to a search (a subquery on ids is not). With
    ``with_ancestors``, the pages above them are included too, so that a chooser can be browsed down to them.
    """
    if not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    policy = PagePermissionPolicy()
    codenames = {f"{action}_page" for action in PAGE_ACTIONS}
    permissions = policy.get_cached_permissions_for_user(user)
    paths = {perm.page.path for perm in permissions if perm.permission.codename in codenames}
    scope = Q(pk__in=[])
    for page_path in paths:
        scope |= Q(**{f"{prefix}path__startswith": page_path})
    if with_ancestors:
        ancestors = {page_path[:end] for page_path in paths for end in range(PATH_STEP, len(page_path), PATH_STEP)}
        if ancestors:
            scope |= Q(**{f"{prefix}path__in": sorted(ancestors)})
    return scope


def own_pages(user, queryset: QuerySet | None = None, *, with_ancestors: bool = False) -> QuerySet:
    queryset = Page.objects.all() if queryset is None else queryset
    scope = own_pages_q(user, with_ancestors=with_ancestors)
    return queryset if scope is None else queryset.filter(scope)


def own_media(model, user) -> QuerySet:
    """Images or documents ``user`` may choose, change or delete: their collections' (and their own uploads)."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, MEDIA_ACTIONS)


class OwnImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return own_media(get_image_model(), self.request.user).order_by("id")


class OwnDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return own_media(get_document_model(), self.request.user).order_by("id")


class OwnPageTypesUsageReportView(PageTypesUsageReportView):
    """Wagtail's page types usage report, counting and naming only the pages the user may explore."""

    def get_queryset(self):
        queryset = super().get_queryset()
        scope = own_pages_q(self.request.user)
        if scope is None:
            return queryset
        page_scope = own_pages_q(self.request.user, prefix="pages__")
        language_code = self.filters.form.cleaned_data.get("page_locale")
        site_root_path = self.filters.form.cleaned_data.get("site")
        pages = Page.objects.filter(scope)
        if language_code:
            pages = pages.filter(locale__language_code=language_code)
            page_scope &= Q(pages__locale__language_code=language_code)
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
            page_scope &= Q(pages__path__startswith=site_root_path)
        latest = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return (
            ContentType.objects.filter(pk__in=queryset.values("pk"))
            .annotate(count=Count("pages", filter=page_scope), last_edited_page_id=Subquery(latest.values("pk")[:1]))
            .order_by("-count", "app_label", "model")
        )


class OwnPagesChosenMultipleView(ChosenMultipleView):
    """The page chooser's multiple choice step, answering only for pages the chooser itself offers the user."""

    def get(self, request):
        ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        request.GET = request.GET.copy()
        request.GET.setlist(
            "id",
            [
                str(pk)
                for pk in own_pages(request.user, with_ancestors=True).filter(pk__in=ids).values_list("pk", flat=True)
            ],
        )
        return super().get(request)


def admin_view(view):
    """Decorated as Wagtail decorates its admin URLs: admin access required, never cached."""
    return never_cache(require_admin_access(view))


#: Wagtail admin URLs answered by the narrowed views above; included before Wagtail's admin URLs, so matched first.
urlpatterns = [
    path("choose-page/chosen-multiple/", admin_view(OwnPagesChosenMultipleView.as_view())),
    path("reports/page-types-usage/", admin_view(OwnPageTypesUsageReportView.as_view())),
    path("reports/page-types-usage/results/", admin_view(OwnPageTypesUsageReportView.as_view(results_only=True))),
]
