"""``field__any=[…]``: membership in a list sent as one PostgreSQL array parameter (``field = ANY(%s)``).

``__in`` sends one parameter per value: Django prepares each and psycopg splits the statement at each placeholder, so
a list of a few thousand ids (the nearest places a distance page checks, the candidates a recommendation ranks) costs
more in Python than the statement costs in PostgreSQL, and every list length is a different statement text. With
``__any`` the list is one array and the statement text is the same whatever the length. Values are prepared by the
field as ``__in`` would (an integer field refuses a non-integer); an empty list matches nothing.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any"
    prepare_rhs = False

    def get_prep_lookup(self):
        field = self.lhs.output_field
        return [field.get_prep_value(value) for value in self.rhs]

    def get_db_prep_lookup(self, value, connection):
        field = self.lhs.output_field
        return "%s", [[field.get_db_prep_value(v, connection, prepared=True) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


# Relations (a foreign key's ``_id``, a one-to-one primary key) keep lookups of their own, apart from Field's.
models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)
