"""An organisation's kind read from the legal status feeds and partners write ("Association loi 1901", "Mairie"…).

One rule for the importers (``organizationStatusJuridique``/``organizationType`` of a feed become
``Organization.kind``) and for the engagement-compatible API (its ``organizationStatusJuridique`` filter asks for
organisations of that kind).
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: Words of a legal status (folded, hyphenated) and the kind they mean; the first that matches wins.
_STATUS_WORDS = (
    ("1901", "association"),
    ("association", "association"),
    ("collectivite", "local_authority"),
    ("commune", "local_authority"),
    ("mairie", "local_authority"),
    ("departement", "local_authority"),
    ("region", "local_authority"),
    ("fondation", "foundation"),
    ("entreprise", "company"),
    ("societe", "company"),
    ("sas", "company"),
    ("sarl", "company"),
    ("public", "public_body"),
    ("etablissement", "public_body"),
    ("etat", "public_body"),
)


def status_key(value: str) -> str:
    """Lowercase ASCII with hyphens: "Collectivité territoriale" → "collectivite-territoriale"."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_value.lower()).strip("-")


@functools.lru_cache(maxsize=1024)
def kind_of_status(value: str) -> str | None:
    """The ``Organization.Kind`` value a legal status stands for, None when no word of it is known."""
    key = status_key(value)
    if not key:
        return None
    for needle, kind in _STATUS_WORDS:
        if needle in key.split("-") or key.startswith(needle):
            return kind
    return None
