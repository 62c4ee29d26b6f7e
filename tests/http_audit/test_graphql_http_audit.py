"""The GraphQL over HTTP audit of the ``graphql-http`` npm package (``auditServer``) against a live server.

The server runs with the production settings (ad-hoc queries and introspection allowed: the audit sends its own
operations, some on ``__type``) on loopback; the
audit (``audit.mjs``, its packages pinned in ``package-lock.json``) is installed from the npm registry with ``npm ci``
when ``node_modules`` is missing. Every audit must pass: a warning (a SHOULD of the spec) fails the test as an error
(a MUST) does. Skipped only when ``node`` or ``npm`` is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.servers import django_server, production_env

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def audit_script() -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to run the graphql-http audit (apt-get install nodejs npm)")
    if not (HERE / "node_modules" / "graphql-http").is_dir():
        subprocess.run(  # noqa: S603 - npm from PATH, on the lock file of this folder
            ["npm", "ci", "--no-audit", "--no-fund"],  # noqa: S607
            cwd=HERE,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return HERE / "audit.mjs"


@pytest.mark.slow
def test_the_server_passes_every_graphql_over_http_audit(audit_script, db):
    # The audit sends its own operations, some of them on ``__type``.
    env = production_env(GRAPHQL_PERSISTED_ONLY="false", GRAPHQL_INTROSPECTION="true", GRAPHQL_RATE_LIMIT="off")
    with django_server(env) as url:
        run = subprocess.run(  # noqa: S603 - node from PATH on our own script
            ["node", str(audit_script), f"{url}/graphql/"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    results = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]

    failed = [
        f"{r['id']} {r['name']}: {r['reason']} ({r['httpStatus']} {r['body'][:200]})"
        for r in results
        if r["status"] in ("warn", "error")
    ]
    assert len(results) > 50
    assert failed == []
