from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.cards.views import unsubscribe_view
from cms.core import admin_scope
from cms.core.invitations import INVITATION_URL_NAME
from cms.core.views import InvitationConfirmView
from cms.tracking import views as tracking_views
from graphql_api.schema import schema
from graphql_api.views import GraphQLView

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(admin_scope)),  # a few Wagtail admin views, narrowed to the user's own content
    path(
        "admin/invitation/<uidb64>/<token>/", InvitationConfirmView.as_view(), name=INVITATION_URL_NAME
    ),  # outside the admin's own URLs, which require a signed-in user
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", GraphQLView.as_view(schema=schema), name="graphql"),
    path("carte/desabonnement/<str:token>/", unsubscribe_view, name="cards_unsubscribe"),
    path("", include("cms.syndication.urls")),
    path("r/", include("cms.tracking.urls")),
    path("stats/", tracking_views.stats, name="public-stats"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
