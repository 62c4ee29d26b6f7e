from wagtail.snippets.models import register_snippet

from .views import MissionViewSet

register_snippet(MissionViewSet)
