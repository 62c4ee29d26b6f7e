"""Partner-facing endpoints: the engagement-compatible REST API, the feeds and the widget."""

urlpatterns: list = []
