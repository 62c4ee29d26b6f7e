"""Partner-facing endpoints: the engagement-compatible REST API, the feeds and the widget."""

from django.urls import path

from . import engagement

urlpatterns = [
    path("v0/mission", engagement.mission_list, name="v0-mission"),
    path("v0/mission/search", engagement.mission_search, name="v0-mission-search"),
]
