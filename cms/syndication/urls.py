"""Partner-facing endpoints: the engagement-compatible REST API, the feeds and the widget."""

from django.urls import path, re_path

from . import engagement, feeds, widget

urlpatterns = [
    path("v0/mission", engagement.mission_list, name="v0-mission"),
    path("v0/mission/search", engagement.mission_search, name="v0-mission-search"),
    path("widget/<uuid:public_id>/", widget.widget, name="syndication-widget"),
    re_path(r"^syndication/(?P<kind>missions|offers)\.(?P<fmt>json|rss)$", feeds.feed, name="syndication-feed"),
]
