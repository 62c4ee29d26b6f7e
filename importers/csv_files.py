"""Reading CSV files uploaded by partners: UTF-8 (with or without BOM), comma or semicolon, errors by line number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO


class CsvFileError(Exception):
    """The file cannot be read at all; French message."""


def read_rows(stream: IO[bytes], *, max_bytes: int = 50 * 2**20) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each non-blank line; headers are lower-cased and stripped."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise CsvFileError(f"Fichier trop volumineux (plus de {max_bytes // 2**20} Mo).")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvFileError(
            f"Le fichier n'est pas en UTF-8 (octet {exc.start}) : enregistrez-le en « CSV UTF-8 »."
        ) from exc
    lines = io.StringIO(content, newline="")
    header_line = lines.readline()
    if not header_line.strip():
        raise CsvFileError("Fichier vide.")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    headers = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    try:
        for number, row in enumerate(csv.reader(lines, delimiter=delimiter), start=2):
            if any(cell.strip() for cell in row):
                yield number, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(headers)}
    except csv.Error as exc:
        raise CsvFileError(f"Fichier CSV illisible : {exc}.") from exc
