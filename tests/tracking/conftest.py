import pytest
from django.core.cache import caches

#: A browser's user agent: requests with it are a visitor's, not a robot's.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def _fresh_dedup_window():
    """Every test starts with an empty duplicate window (it lives in the process-wide cache)."""
    caches["tracking"].clear()
