"""Management commands that print a summary: the log lines of what they trigger would drown it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def summary_only(verbosity: int = 1) -> Iterator[None]:
    """Silence INFO logs (a line per background task run, per published page…) unless ``-v 2`` or more asks for them."""
    if verbosity >= 2:
        yield
        return
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
