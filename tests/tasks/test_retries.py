"""A failed task is tried again with back-off, then recorded as failed with one log line per attempt that names
no argument; nothing is lost in between."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.core.background import retry_delay
from cms.settings.base import tasks_for
from tests.tasks.examples import always_fails

pytestmark = pytest.mark.django_db
EMAIL = "lea@veloplus.fr"


def ours(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "cms.core.background"]


@override_settings(TASKS=tasks_for("database"), TASK_RETRY_DELAY=0)
def test_a_failing_task_is_retried_then_recorded_as_failed_in_the_database(task_worker, caplog):
    caplog.set_level(logging.WARNING, logger="cms.core.background")
    always_fails.enqueue(EMAIL)

    task_worker()

    results = DBTaskResult.objects.filter(task_path=always_fails.module_path).order_by("enqueued_at")
    assert [(result.status, result.args_kwargs["kwargs"].get("_attempt", 1)) for result in results] == [
        (TaskResultStatus.FAILED, 1),
        (TaskResultStatus.FAILED, 2),
        (TaskResultStatus.FAILED, 3),
    ]
    assert {result.exception_class_path for result in results} == {"tests.tasks.examples.MailServerDown"}
    assert [record.getMessage() for record in ours(caplog)] == [
        "Task tests.tasks.examples.always_fails failed at attempt 1 of 3 (MailServerDown); retried in 0 s",
        "Task tests.tasks.examples.always_fails failed at attempt 2 of 3 (MailServerDown); retried in 0 s",
        "Task tests.tasks.examples.always_fails failed for good at attempt 3 of 3 (MailServerDown); "
        "its result is recorded",
    ]
    assert EMAIL not in caplog.text


@override_settings(TASKS=tasks_for("database"), TASK_RETRY_DELAY=60)
def test_a_retry_waits_for_its_back_off_before_a_worker_takes_it(task_worker):
    before = timezone.now()
    always_fails.enqueue(EMAIL)

    task_worker()

    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs == {"args": [EMAIL], "kwargs": {"_attempt": 2}}
    assert before + dt.timedelta(seconds=60) <= retry.run_after <= timezone.now() + dt.timedelta(seconds=60)


@override_settings(TASK_RETRY_DELAY=30)
def test_the_back_off_doubles_at_each_attempt():
    assert [retry_delay(attempt).total_seconds() for attempt in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_the_immediate_backend_retries_at_once_then_gives_up(caplog):
    caplog.set_level(logging.WARNING, logger="cms.core.background")

    result = always_fails.enqueue(EMAIL)

    assert result.status == TaskResultStatus.FAILED
    assert [record.levelname for record in ours(caplog)] == ["WARNING", "WARNING", "ERROR"]
    assert EMAIL not in caplog.text
