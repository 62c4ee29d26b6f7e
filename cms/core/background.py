"""Background work through Django's task API (``django-tasks``, as Wagtail uses it): tasks that are retried, then
recorded, and queued once the data they read has committed.

In production the tasks are rows in PostgreSQL (``django-tasks-db``) run by ``manage.py db_worker``; in dev, the
demo and the tests, the immediate backend runs each one where it is enqueued (``TASKS`` in the settings). That
backend records results and has no retries of its own, so :func:`background_task` adds them: when an attempt raises,
the same call is enqueued again with its attempt number, ``TASK_RETRY_DELAY`` seconds later doubled at each attempt
(at once on a backend that cannot defer), until ``TASK_MAX_ATTEMPTS`` attempts have failed. Every failed attempt stays
a FAILED task result (the worker's table, with the exception and its traceback) and logs one line naming the task,
the attempt and the exception's class, never the arguments (they may identify a person).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

#: The keyword carrying the attempt number into a retried call (absent from a first attempt).
ATTEMPT = "_attempt"


def retry_delay(attempt: int) -> dt.timedelta:
    """How long after failed attempt ``attempt`` (1-based) the next one runs: the base delay, doubled each time."""
    return dt.timedelta(seconds=settings.TASK_RETRY_DELAY * 2 ** (attempt - 1))


def background_task(
    function: Callable | None = None, *, max_attempts: int | None = None, **task_options: Any
) -> Task | Callable[[Callable], Task]:
    """``@task`` (django-tasks) whose failed attempts are retried with back-off, then recorded.

    ``max_attempts`` defaults to ``TASK_MAX_ATTEMPTS``; ``task_options`` go to ``@task`` (``queue_name``,
    ``priority``). Arguments must be JSON values (ids rather than objects), as for any task.
    """

    def decorate(func: Callable) -> Task:
        the_task: Task | None = None

        @functools.wraps(func)
        def attempt(*args: Any, **kwargs: Any) -> Any:
            number = kwargs.pop(ATTEMPT, 1)
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                _retry_or_give_up(the_task, number, max_attempts or settings.TASK_MAX_ATTEMPTS, exc, args, kwargs)
                raise

        the_task = task(**task_options)(attempt)
        return the_task

    return decorate(function) if function is not None else decorate


def _retry_or_give_up(the_task: Task, number: int, limit: int, exc: Exception, args: tuple, kwargs: dict) -> None:
    name, error = the_task.module_path, type(exc).__name__
    if number >= limit:
        logger.error(
            "Task %s failed for good at attempt %d of %d (%s); its result is recorded", name, number, limit, error
        )
        return
    retry = the_task
    delay = retry_delay(number)
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + delay)
    logger.warning(
        "Task %s failed at attempt %d of %d (%s); retried in %d s", name, number, limit, error, delay.total_seconds()
    )
    retry.enqueue(*args, **{**kwargs, ATTEMPT: number + 1})


def enqueue_on_commit(the_task: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``the_task`` once the current transaction commits (at once outside one): the worker must find what
    it reads, and work for a rolled-back change is never queued."""
    transaction.on_commit(functools.partial(the_task.enqueue, *args, **kwargs), robust=True)
