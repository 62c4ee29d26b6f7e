"""The wagtail-grapple comparison (issue 15): our models and data served through grapple, in a virtualenv of its own.

grapple depends on graphene-django, whose graphql-core 3.2 cannot sit beside strawberry's 3.3, so everything under
this package except ``queries`` and ``venv`` runs inside ``var/bench-grapple-venv`` (created on demand by
:mod:`tests.bench.grapple.venv`), never in the project's virtualenv.
"""
