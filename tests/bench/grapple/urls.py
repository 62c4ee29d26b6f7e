"""No URL is served: the bench runs grapple's schema in process."""

urlpatterns: list = []
