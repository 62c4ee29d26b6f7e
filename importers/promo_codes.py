"""Promo codes of a ``code`` offer, uploaded as CSV: one code per line, an optional expiry date.

All or nothing: a malformed line rejects the whole file (nothing written) with its line number. Codes already known
for the offer, or repeated in the file, are not errors: they are skipped and counted, so re-uploading a file whose
first half was already imported is safe.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from typing import IO

from django.db import transaction

from cms.offers.models import OfferPage, PromoCode

from . import normalise as n
from .csv_files import CsvFileError, read_rows

_CODE_COLUMNS = ("code", "codes", "code promo")
_EXPIRY_COLUMNS = ("expires_on", "expiration", "date d'expiration", "expire le", "expiry")


class PromoCodeImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclasses.dataclass
class PromoCodeReport:
    created: int = 0
    duplicates: list[str] = dataclasses.field(default_factory=list)


def import_promo_codes(offer: OfferPage, stream: IO[bytes]) -> PromoCodeReport:
    """Add the codes of ``stream`` to ``offer``; raises :class:`PromoCodeImportError` without writing anything."""
    if offer.kind != OfferPage.Kind.CODE:
        raise PromoCodeImportError([f"L'offre « {offer.title} » n'utilise pas de codes promo uniques."])
    errors: list[str] = []
    report = PromoCodeReport()
    wanted: dict[str, object] = {}
    try:
        rows = list(_rows(stream))
    except CsvFileError as exc:
        raise PromoCodeImportError([str(exc)]) from exc
    existing = set(PromoCode.objects.filter(offer=offer).values_list("code", flat=True))
    for number, code, expiry in rows:
        if not code:
            errors.append(f"Ligne {number} : code manquant.")
            continue
        if len(code) > 100:
            errors.append(f"Ligne {number} : code trop long ({len(code)} caractères, 100 au maximum).")
            continue
        if n.has_encoding_errors(code):
            errors.append(f"Ligne {number} : caractères illisibles dans le code.")
            continue
        try:
            expires_on = n.parse_date(expiry)
        except n.InvalidValue as exc:
            errors.append(f"Ligne {number} : {exc}.")
            continue
        if code in wanted or code in existing:
            report.duplicates.append(code)
            continue
        wanted[code] = expires_on
    if errors:
        raise PromoCodeImportError(errors)
    with transaction.atomic():
        PromoCode.objects.bulk_create(
            [PromoCode(offer=offer, code=code, expires_on=expires_on) for code, expires_on in wanted.items()],
            batch_size=5000,
        )
    report.created = len(wanted)
    return report


def _rows(stream: IO[bytes]) -> Iterator[tuple[int, str, str]]:
    """(line, code, expiry) whether the file has a header line or not."""
    raw = stream.read().removeprefix(b"\xef\xbb\xbf")
    first_line = raw.decode("utf-8", errors="replace").lstrip().split("\n", 1)[0].strip().lower()
    first_cell = first_line.replace(",", ";").split(";")[0].strip()
    has_header = first_cell in _CODE_COLUMNS
    offset = 0
    if not has_header:
        separator = b"," if first_line.count(",") > first_line.count(";") else b";"
        raw = b"code" + separator + b"expires_on\n" + raw
        offset = -1
    for number, row in read_rows(io.BytesIO(raw)):
        code = row.get("code") or row.get("codes") or row.get("code promo") or ""
        expiry = next((row[c] for c in _EXPIRY_COLUMNS if row.get(c)), "")
        yield number + offset, code.strip(), expiry
