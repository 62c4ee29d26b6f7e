"""The demo path of a fresh machine, in a subprocess on a database of its own: migrate, seed_demo, the admin answers.

One subprocess runs the three steps (Django starts once) with the settings ``make demo`` uses, once per test run
however many pytest-xdist workers run these tests (``tests/shared.py``); the tests read back what it printed. Its
database is a copy of the migrated template (``migrated_template`` in tests/conftest.py), built by applying every
migration to an empty database: ``migrate`` then checks that none is left to apply, and the run does not pay for the
same migrations twice. With ``--reuse-db`` or ``--no-migrations`` (no template) it starts empty.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.conftest import migrated_template_locked
from tests.shared import once_per_run, scratch_database_url

ROOT = Path(__file__).resolve().parent.parent

DEMO_PATH = """
import io, json, logging
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from cms.missions.models import Mission
from cms.offers.models import OfferPage, PartnerPage, PromoCode
from cms.organisations.models import Organization
from cms.pages.models import ContentPage, ProgrammePage

call_command("migrate", interactive=False, verbosity=0)
out = io.StringIO()
call_command("seed_demo", stdout=out)
again = io.StringIO()
call_command("seed_demo", stdout=again)
logging.disable(logging.WARNING)
print(json.dumps({
    "seed_output": out.getvalue(),
    "second_output": again.getvalue(),
    "partners": PartnerPage.objects.live().count(),
    "offers": OfferPage.objects.live().count(),
    "promo_codes": PromoCode.objects.count(),
    "organisations": Organization.objects.count(),
    "missions": Mission.objects.count(),
    "public_missions": Mission.objects.public().count(),
    "content_pages": ContentPage.objects.live().count(),
    "programme_pages": ProgrammePage.objects.live().count(),
    "admin_login_status": Client().get("/admin/login/").status_code,
}))
"""


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, django_db_setup, django_db_keepdb, django_db_use_migrations, django_db_blocker) -> dict:
    """What the demo path printed; run once per test run, whichever workers run this module's tests."""
    from_template = django_db_use_migrations and not django_db_keepdb
    with django_db_blocker.unblock():
        return once_per_run(tmp_path_factory, "demo-smoke", lambda: _run_demo_path(tmp_path_factory, from_template))


def _run_demo_path(tmp_path_factory: pytest.TempPathFactory, from_template: bool) -> dict:
    tmp = tmp_path_factory.mktemp("demo")
    with ExitStack() as stack:
        if from_template:
            with migrated_template_locked() as template:  # nobody else is on the template while it is copied
                url = stack.enter_context(scratch_database_url(template=template))
        else:
            url = stack.enter_context(scratch_database_url())
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp / "media"),
            "DEMO_ADMIN_PASSWORD": "mot-de-passe-de-demo-2024",
            "DEMO_PARTNER_PASSWORD": "mot-de-passe-partenaire-2024",
            "DEMO_MEMBER_PASSWORD": "mot-de-passe-membre-2024",
            "LOG_LEVEL": "WARNING",
            "BASE_URL": "http://127.0.0.1:8123",  # make demo sets it from HOST and PORT
        }
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", DEMO_PATH], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["media_files"] = sorted(p.name for p in (tmp / "media").rglob("*.png"))
    return data


@pytest.mark.slow
def test_demo_path_seeds_partners_offers_and_codes(demo_run):
    assert (demo_run["partners"], demo_run["offers"]) == (12, 60)
    assert demo_run["promo_codes"] > 0


@pytest.mark.slow
def test_demo_path_seeds_organisations_and_missions(demo_run):
    assert (demo_run["organisations"], demo_run["missions"]) == (30, 500)
    assert demo_run["public_missions"] > 400


@pytest.mark.slow
def test_demo_path_publishes_editorial_pages(demo_run):
    assert demo_run["content_pages"] >= 3
    assert demo_run["programme_pages"] == 7


@pytest.mark.slow
def test_demo_path_stores_generated_images_under_media_root(demo_run):
    assert "logo-supermarche-solidaire.png" in demo_run["media_files"]


@pytest.mark.slow
def test_seed_demo_prints_the_admin_credentials_and_urls(demo_run):
    output = demo_run["seed_output"]
    assert "admin / mot-de-passe-de-demo-2024" in output
    assert (
        "Compte partenaire (Supermarché Solidaire) : partenaire@tremplin.example / mot-de-passe-partenaire-2024"
        in output
    )
    assert "membre@tremplin.example / mot-de-passe-membre-2024" in output
    assert "http://127.0.0.1:8123/admin/" in output
    assert "http://127.0.0.1:8123/graphql/" in output


@pytest.mark.slow
def test_seed_demo_run_twice_skips_and_says_so(demo_run):
    assert "existe déjà" in demo_run["second_output"]
    assert demo_run["missions"] == 500


@pytest.mark.slow
def test_admin_login_page_answers_after_the_demo_path(demo_run):
    assert demo_run["admin_login_status"] == 200
