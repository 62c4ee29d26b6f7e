"""Image renditions: an allow-list of sizes and formats, one rendition per request size."""

from __future__ import annotations

from tests.factories.images import ImageFactory
from tests.factories.offers import OfferPageFactory

OFFER_IMAGE = """
query OfferImage($slug: String!, $width: Int, $height: Int, $fill: Boolean!, $format: ImageFormat!) {
  offer(slug: $slug) {
    image {
      rendition(width: $width, height: $height, fill: $fill, format: $format) { url width height }
      srcSet(sizes: [160, 320])
    }
  }
}
"""


def _query(run_query, **arguments):
    variables = {"slug": "avec-image", "width": None, "height": None, "fill": False, "format": "ORIGINAL"}
    return run_query(OFFER_IMAGE, {**variables, **arguments})


def test_rendition_fill_crops_to_the_exact_size(run_query, offers_index):
    OfferPageFactory(slug="avec-image", image=ImageFactory())

    result = _query(run_query, width=160, height=160, fill=True)

    rendition = result.data["offer"]["image"]["rendition"]
    assert (rendition["width"], rendition["height"]) == (160, 160)
    assert "fill-160x160" in rendition["url"]


def test_rendition_in_webp(run_query, offers_index):
    OfferPageFactory(slug="avec-image", image=ImageFactory())

    result = _query(run_query, width=320, format="WEBP")

    assert result.data["offer"]["image"]["rendition"]["url"].endswith(".webp")


def test_src_set_lists_one_url_per_width(run_query, offers_index):
    OfferPageFactory(slug="avec-image", image=ImageFactory())

    result = _query(run_query, width=320)
    src_set = result.data["offer"]["image"]["srcSet"]

    assert [part.split(" ")[1] for part in src_set.split(", ")] == ["160w", "320w"]


def test_rendition_size_outside_the_allow_list_is_refused(run_query, offers_index):
    OfferPageFactory(slug="avec-image", image=ImageFactory())

    result = _query(run_query, width=333)

    assert result.codes == ["BAD_USER_INPUT"]
    assert "tailles autorisées" in result.errors[0].message


def test_rendition_fill_without_height_is_refused(run_query, offers_index):
    OfferPageFactory(slug="avec-image", image=ImageFactory())

    result = _query(run_query, width=320, fill=True)

    assert result.codes == ["BAD_USER_INPUT"]
