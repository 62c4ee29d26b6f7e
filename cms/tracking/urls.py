from django.urls import path

from . import views

app_name = "tracking"

urlpatterns = [
    path("tag.js", views.tag, name="tag"),
    path("candidature/", views.tag_report, name="tag-report"),
    path("o/<str:offer>/<str:channel>", views.offer_click, name="offer-click"),
    path("<str:mission>/<str:channel>", views.click, name="click"),
    path("<path:anything>", views.unknown),
]
