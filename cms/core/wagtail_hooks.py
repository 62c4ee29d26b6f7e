"""Admin-wide hooks: accounts (invitations sent when staff create an account without a password, and re-sent on
demand), the dashboard's "À traiter" panel, and confinement (choosers, the admin API and reports show a user only
their own content: ``admin_scope``), and rich text's document links made absolute."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import escape
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.models import Page, TaskState

from cms.missions.models import ALL_MISSIONS_PERMISSION, Mission

from .admin_scope import OwnDocumentsAdminAPIViewSet, OwnImagesAdminAPIViewSet, own_pages
from .dashboard import DashboardLine, DashboardSummaryPanel
from .invitations import invite_after_commit, needs_invitation
from .urls import absolute_url
from .views import RESEND_URL_NAME, ResendInvitationView, can_invite
from .visibility import public_documents


@hooks.register("register_admin_urls")
def register_invitation_urls():
    return [path("comptes/<int:pk>/invitation/", ResendInvitationView.as_view(), name=RESEND_URL_NAME)]


@hooks.register("after_create_user")
def invite_created_user(request, user):
    if not user.password:  # left blank in the form: mark it unusable, as accounts created in code are
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if needs_invitation(user):
        invite_after_commit(user, sent_by=request.user)


@hooks.register("register_user_listing_buttons")
def resend_invitation_button(user, request_user):
    if can_invite(request_user, user):
        yield Button("Renvoyer l'invitation", reverse(RESEND_URL_NAME, args=[user.pk]), icon_name="mail", priority=50)


def to_review_lines(user) -> list[DashboardLine]:
    """Pages and missions waiting for ``user``'s approval in a workflow (listed in detail further down)."""
    states = TaskState.objects.reviewable_by(user)
    page_type = ContentType.objects.get_for_model(Page)
    pages = states.filter(revision__base_content_type=page_type).count()
    missions = states.filter(revision__base_content_type=ContentType.objects.get_for_model(Mission)).count()
    url = reverse("wagtailadmin_reports:workflow_tasks")
    lines = []
    if pages:
        lines.append(DashboardLine(plural(pages, "page en attente", "pages en attente") + " de votre validation", url))
    if missions:
        lines.append(
            DashboardLine(plural(missions, "mission en attente", "missions en attente") + " de votre validation", url)
        )
    return lines


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@hooks.register("construct_homepage_panels")
def to_do_panel(request, panels) -> None:
    """First on the dashboard: what waits for this person's review, and for moderators the refused missions."""
    lines = to_review_lines(request.user)
    if request.user.has_perm(ALL_MISSIONS_PERMISSION):  # moderators, not organisations' members
        refused = Mission.objects.filter(moderation_status=Mission.Moderation.REFUSED).count()
        if refused:
            url = (
                reverse(Mission.snippet_viewset.get_url_name("list"))
                + f"?moderation_status={Mission.Moderation.REFUSED}"
            )
            lines.append(DashboardLine(plural(refused, "mission refusée", "missions refusées"), url))
    elif not lines:
        return
    panels.append(DashboardSummaryPanel("to_do", "À traiter", lines, order=100, empty="Rien à traiter pour le moment."))


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


class AbsoluteDocumentLinkHandler(DocumentLinkHandler):
    """Document links in rich text point at this server even when the HTML is shown by a front-end elsewhere, and
    only to public documents (:func:`public_documents`): a link to a restricted one keeps its text, not its URL."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        ids = [str(attrs.get("id")) for attrs in attrs_list]
        documents = public_documents(cls.get_model().objects.filter(pk__in=[i for i in ids if i.isdigit()]))
        by_id = {str(document.pk): document for document in documents}
        return [by_id.get(i) for i in ids]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [f'<a href="{escape(absolute_url(doc.url))}">' if doc else "<a>" for doc in cls.get_many(attrs_list)]


@hooks.register("register_rich_text_features", order=1)  # after wagtail.documents registers its own handler
def register_absolute_document_links(features) -> None:
    features.register_link_type(AbsoluteDocumentLinkHandler)
