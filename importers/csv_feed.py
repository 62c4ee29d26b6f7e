"""CSV feeds: one mission per line, the engagement field names as headers, the address in flat columns.

Comma or semicolon separated (detected from the header line), UTF-8 with or without a byte order mark. List fields
(tags, activities…) are comma lists inside their cell. Address columns: ``street``, ``postalCode``, ``city``,
``departmentCode``, ``country`` and either ``lat``/``lon`` or ``lonLat``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from .base import BaseImporter
from .errors import FeedError


def iter_csv_missions(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    """Yield each line as a dict of non-empty cells; raises :class:`FeedError` on invalid UTF-8 or a broken file."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        header = text.readline()
        if not header.strip():
            return
        delimiter = ";" if header.count(";") > header.count(",") else ","
        columns = next(csv.reader([header], delimiter=delimiter))
        columns = [column.strip() for column in columns]
        for line_number, row in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(columns):
                raise FeedError(f"Ligne {line_number} : {len(row)} colonnes pour {len(columns)} en-têtes.")
            yield {column: cell.strip() for column, cell in zip(columns, row, strict=False) if cell.strip()}
    except UnicodeDecodeError as exc:
        raise FeedError(f"Le flux n'est pas en UTF-8 valide (octet {exc.start}) : {exc.reason}.") from exc
    except csv.Error as exc:
        raise FeedError(f"Fichier CSV illisible : {exc}.") from exc
    finally:
        text.detach()


class CsvFeedImporter(BaseImporter):
    format = "csv"

    def parse(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        return iter_csv_missions(stream)
