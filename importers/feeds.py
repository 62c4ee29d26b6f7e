"""Which importer reads which format, and the one call commands and admin actions use."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from .base import BaseImporter, ImportReport
from .csv_feed import CsvFeedImporter
from .engagement_xml import EngagementXmlImporter
from .json_feed import JsonFeedImporter
from .models import FeedSource

IMPORTERS: dict[str, type[BaseImporter]] = {
    cls.format: cls for cls in (EngagementXmlImporter, JsonFeedImporter, CsvFeedImporter)
}


def importer_for(
    source: FeedSource, *, dry_run: bool = False, progress: Callable[[BaseImporter], None] | None = None
) -> BaseImporter:
    return IMPORTERS[source.format](source, dry_run=dry_run, progress=progress)


def import_source(
    source: FeedSource,
    *,
    stream: IO[bytes] | None = None,
    dry_run: bool = False,
    progress: Callable[[BaseImporter], None] | None = None,
) -> ImportReport:
    """Import ``source`` from ``stream`` (a local file) or from its URL."""
    return importer_for(source, dry_run=dry_run, progress=progress).run(stream)
