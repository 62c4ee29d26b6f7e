"""Bench-only settings for the grapple virtualenv: the project's settings with grapple in place of strawberry.

Same models, same database (``DATABASE_URL``): only the apps the content models need, grapple and graphene-django,
and ``tests.bench.grapple`` before ``grapple`` so that its ``ready()`` declares the models' ``graphql_fields`` before
grapple reads them.
"""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import INSTALLED_APPS as _PROJECT_APPS

#: The project's apps that serve the API or search and need libraries the grapple virtualenv does not install.
_LEFT_OUT = {
    "importers",
    "search",
    "graphql_api",
    "strawberry_django",
    "django_filters",
    "corsheaders",
    "storages",
    "axes",
    "django_tasks_db",
    "cms.cards",
    "cms.syndication",
    "cms.tracking",
}
_BENCH_APPS = ["tests.bench.grapple", "grapple", "graphene_django"]

_kept = [app for app in _PROJECT_APPS if app not in _LEFT_OUT]
_first_library = next(index for index, app in enumerate(_kept) if not app.startswith("cms."))
INSTALLED_APPS = [*_kept[:_first_library], *_BENCH_APPS, *_kept[_first_library:]]
MIDDLEWARE = []
ROOT_URLCONF = "tests.bench.grapple.urls"
GRAPHENE = {"SCHEMA": "grapple.schema.schema"}
# Grapple builds types for every model of these apps; the offer, partner, store and category fields come from apps.py.
GRAPPLE = {"APPS": ["offers", "taxonomy"], "MAX_PAGE_SIZE": 100}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
