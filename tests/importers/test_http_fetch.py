import pytest

from importers.errors import FeedError
from importers.feeds import import_source
from importers.http import download, fetch_source
from importers.models import FeedSource
from tests.factories.importers import FeedSourceFactory

from .feeds import mission, xml_feed


@pytest.mark.django_db
def test_a_feed_is_downloaded_and_imported_from_its_url(http_server):
    http_server.routes["/flux.xml"] = (200, {"Content-Type": "application/xml"}, xml_feed(mission("a")))
    source = FeedSourceFactory(url=http_server.url("/flux.xml"))

    report = import_source(source)

    assert report.created == 1


def test_basic_auth_credentials_are_sent(http_server):
    http_server.routes["/flux.xml"] = (200, {}, b"<source/>")
    source = FeedSource(url=http_server.url("/flux.xml"), auth="basic", auth_username="jean", auth_password="secret")

    fetch_source(source).read()

    assert http_server.requests[0][1]["Authorization"] == "Basic amVhbjpzZWNyZXQ="


def test_a_header_token_is_sent(http_server):
    http_server.routes["/flux.xml"] = (200, {}, b"<source/>")
    source = FeedSource(
        url=http_server.url("/flux.xml"), auth="header", auth_header_name="X-Api-Key", auth_token="k-123"
    )

    fetch_source(source).read()

    assert http_server.requests[0][1]["X-Api-Key"] == "k-123"


def test_an_error_status_is_reported_in_french(http_server):
    with pytest.raises(FeedError, match="répondu 404"):
        download(http_server.url("/absent.xml"))


def test_a_feed_larger_than_the_cap_is_refused(http_server):
    http_server.routes["/gros.xml"] = (200, {}, b"x" * 5000)

    with pytest.raises(FeedError, match="trop volumineux"):
        download(http_server.url("/gros.xml"), max_bytes=1000)


def test_a_slow_server_times_out(http_server):
    http_server.routes["/lent.xml"] = (200, {}, b"<source/>")
    http_server.delay = 1.0

    with pytest.raises(FeedError, match="injoignable|Délai"):
        download(http_server.url("/lent.xml"), timeout=0.2)


def test_only_http_urls_are_fetched():
    with pytest.raises(FeedError, match="http"):
        download("file:///etc/passwd")


@pytest.mark.django_db
def test_an_unreachable_feed_is_a_failed_run_that_archives_nothing():
    source = FeedSourceFactory(url="http://127.0.0.1:9/flux.xml")

    report = import_source(source)

    assert report.status == "failed"
    assert "injoignable" in report.fatal
