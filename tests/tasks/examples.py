"""Tasks the task tests enqueue: importable by path, as a worker process imports them."""

from __future__ import annotations

from cms.core.background import background_task


class MailServerDown(Exception):
    """Stands for a dependency that keeps failing."""


@background_task(max_attempts=3)
def always_fails(person_email: str) -> None:
    raise MailServerDown("the SMTP server did not answer")
