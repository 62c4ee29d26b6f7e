"""The grapple virtualenv (``var/bench-grapple-venv``), created on demand and reused while its pins are unchanged.

wagtail-grapple 0.31.0 (the newest, 2026-04) asks for ``Wagtail>=6.3`` and ``graphene-django>=3,<4`` and installs
as is beside Wagtail 8.0 and Django 5.2. The project's own versions are pinned in that virtualenv as constraints
(every distribution of the running interpreter but ``graphql-core``, which graphene needs at 3.2), so both sides
run the same Django, Wagtail, psycopg and model code. Installing needs PyPI.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENV_DIR = ROOT / "var" / "bench-grapple-venv"
SETTINGS = "tests.bench.grapple.settings"
#: What the grapple side needs beyond the project's own libraries (pinned through the constraints below).
GRAPPLE_REQUIREMENTS = ("wagtail-grapple==0.31.0", "graphene-django==3.2.3")
#: The project's libraries the models and settings import, at the running interpreter's exact versions.
SHARED = ("Django", "wagtail", "psycopg", "psycopg-binary", "dj-database-url", "nh3")
#: Never pinned from the project's virtualenv: graphene-django needs graphql-core < 3.3, strawberry 3.3.
NOT_SHARED = frozenset({"graphql-core", "strawberry-graphql", "strawberry-graphql-django", "tremplin"})
_MARKER = "bench-pins.json"


def python() -> Path:
    return VENV_DIR / "bin" / "python"


def pins() -> dict[str, list[str]]:
    """Requirements and constraints of the grapple virtualenv: grapple, and everything shared at our versions."""
    installed = {
        dist.metadata["Name"].lower(): dist.version
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"]
    }
    shared = [f"{name}=={installed[name.lower()]}" for name in SHARED if name.lower() in installed]
    constraints = sorted(f"{name}=={version}" for name, version in installed.items() if name not in NOT_SHARED)
    return {"requirements": [*GRAPPLE_REQUIREMENTS, *shared], "constraints": constraints}


def is_ready(wanted: dict | None = None) -> bool:
    """The virtualenv exists and was installed with today's pins."""
    marker = VENV_DIR / _MARKER
    if not python().exists() or not marker.exists():
        return False
    return json.loads(marker.read_text()) == (wanted or pins())


def ensure() -> Path:
    """The grapple virtualenv's interpreter, after creating or refreshing the virtualenv when its pins changed."""
    wanted = pins()
    if is_ready(wanted):
        return python()
    shutil.rmtree(VENV_DIR, ignore_errors=True)
    VENV_DIR.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV_DIR)], check=True)  # noqa: S603 - our interpreter
    constraints = VENV_DIR / "constraints.txt"
    constraints.write_text("\n".join(wanted["constraints"]) + "\n")
    done = subprocess.run(  # noqa: S603 - the virtualenv's own pip, fixed arguments
        [
            str(python()),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(constraints),
            *wanted["requirements"],
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise RuntimeError(f"installing wagtail-grapple into {VENV_DIR} failed (PyPI unreachable?): {tail}")
    (VENV_DIR / _MARKER).write_text(json.dumps(wanted))
    return python()


def child_environment(database_url: str) -> dict[str, str]:
    """Environment of a process in the grapple virtualenv: our code on the path, the bench settings and database."""
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONHOME"}}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    return env


def run_grapple(database_url: str, *, runs: int, first: int, warmup: int = 3, timeout: float = 600) -> dict:
    """Time grapple's offers list in the grapple virtualenv (created if needed); the runner's JSON figures."""
    interpreter = ensure()
    done = subprocess.run(  # noqa: S603 - the virtualenv's interpreter running our runner module
        [
            str(interpreter),
            "-m",
            "tests.bench.grapple.runner",
            "--runs",
            str(runs),
            "--first",
            str(first),
            "--warmup",
            str(warmup),
        ],
        cwd=ROOT,
        env=child_environment(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"grapple runner failed: {tail}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    print(ensure())
