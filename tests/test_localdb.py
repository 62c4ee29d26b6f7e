"""``cms.core.localdb``: the database ``make demo`` and ``make test`` pick, and the embedded server's lifecycle."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dj_database_url
import pytest

from cms.core import localdb

SHOW_DATABASE = [
    sys.executable,
    "-c",
    "import json, os, psycopg, dj_database_url as d; c = d.parse(os.environ['DATABASE_URL']); "
    "conn = psycopg.connect(host=c['HOST'], port=c['PORT'] or None, user=c['USER'], dbname=c['NAME']); "
    "print(json.dumps({'url': os.environ['DATABASE_URL'], "
    "'version': conn.execute('SHOW server_version_num').fetchone()[0], "
    "'extensions': sorted(r[0] for r in conn.execute('SELECT name FROM pg_available_extensions'))}))",
]


def run_wrapper(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "cms.core.localdb", *args, "--", *SHOW_DATABASE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_socket_directory_becomes_the_host_of_the_database_url():
    config = dj_database_url.parse(localdb.socket_url(localdb.Path("/srv/var/postgres"), "tremplin_demo"))

    assert (config["HOST"], config["NAME"], config["USER"]) == ("/srv/var/postgres", "tremplin_demo", "postgres")


def test_a_database_url_given_by_the_environment_is_used_as_it_is(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "TREMPLIN_EMBEDDED_POSTGRES"}
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/postgres"

    result = run_wrapper(["--database", "ignored"], env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["url"] == env["DATABASE_URL"]


@pytest.mark.skipif(not localdb.local_server_answers(), reason="no PostgreSQL server on 127.0.0.1:5432")
def test_without_a_database_url_the_server_on_the_usual_port_is_used():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "TREMPLIN_EMBEDDED_POSTGRES")}

    result = run_wrapper(["--database", "postgres"], env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["url"] == "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.mark.slow
def test_the_embedded_server_serves_the_command_with_the_search_extensions_and_stops_after_it(tmp_path):
    data_dir = tmp_path / "postgres"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}

    result = run_wrapper(
        ["--database", "tremplin_embedded", "--create", "--embedded", "--data-dir", str(data_dir)], env
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert dj_database_url.parse(seen["url"])["HOST"] == str(data_dir)
    assert int(seen["version"]) >= 150000
    assert {"unaccent", "pg_trgm", "earthdistance"} <= set(seen["extensions"])
    assert not (data_dir / "postmaster.pid").exists()


def test_the_command_exit_status_comes_back_through_the_wrapper(tmp_path):
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}

    result = subprocess.run(  # noqa: S603 - our own interpreter
        [
            sys.executable,
            "-m",
            "cms.core.localdb",
            "--database",
            "x",
            "--",
            sys.executable,
            "-c",
            "raise SystemExit(7)",
        ],
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 7
