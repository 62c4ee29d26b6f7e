"""The production path of background work: a committed change queues its task in PostgreSQL, and a real
``manage.py db_worker`` process (django-tasks-db) runs it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.core.localdb import database_url
from cms.settings.base import tasks_for
from search.models import MissionDocument
from search.tasks import update_search_index
from tests.factories.missions import MissionFactory
from tests.servers import ROOT

pytestmark = pytest.mark.slow


def run_worker_process() -> subprocess.CompletedProcess:
    """``manage.py db_worker --batch`` on the test database: runs every ready task, then exits."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TASKS_", "TASK_"))}
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "TASKS_BACKEND": "database",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--queue-name", "*"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@override_settings(TASKS=tasks_for("database"))
def test_a_committed_mission_reaches_the_index_through_the_worker_process(committed_db):
    mission = MissionFactory(title="Maraude solidaire du soir")
    queued = DBTaskResult.objects.get(task_path=update_search_index.module_path)
    assert not MissionDocument.objects.filter(pk=mission.pk).exists()

    worker = run_worker_process()

    assert worker.returncode == 0, worker.stdout + worker.stderr
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert MissionDocument.objects.filter(pk=mission.pk).exists()
