"""Media on S3: Wagtail images and their renditions go to the bucket, through django-storages.

A real S3 API (moto in server mode) listens on 127.0.0.1; boto3 reads back what the storage wrote.
"""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images.models import Image

from cms.settings.base import storages_for
from tests.factories.documents import DocumentFactory
from tests.servers import free_port

CREDENTIALS = {"aws_access_key_id": "tremplin-test", "aws_secret_access_key": "tremplin-test-secret"}
REGION = "eu-west-3"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)


@pytest.fixture
def bucket(s3_client, s3_endpoint):
    """A fresh bucket, and STORAGES switched to it the way production settings do (``storages_for``)."""
    name = f"tremplin-media-{uuid.uuid4().hex[:8]}"
    s3_client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    storages = storages_for(name)
    storages["default"]["OPTIONS"].update(
        endpoint_url=s3_endpoint,
        region_name=REGION,
        access_key=CREDENTIALS["aws_access_key_id"],
        secret_key=CREDENTIALS["aws_secret_access_key"],
        location="media",
        querystring_auth=False,
    )
    with override_settings(STORAGES=storages):
        yield name


def png_bytes(colour: str = "#1565c0", size: tuple[int, int] = (320, 200)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def upload_image(data: bytes) -> Image:
    image = Image(title="Logo Mobilité Jeunes")
    image.file = ImageFile(io.BytesIO(data), name="logo-mobilite-jeunes.png")
    image.save()
    return image


@pytest.mark.django_db
def test_uploaded_image_is_stored_in_the_bucket_byte_for_byte(bucket, s3_client):
    data = png_bytes()
    image = upload_image(data)
    key = f"media/{image.file.name}"
    assert s3_client.get_object(Bucket=bucket, Key=key)["Body"].read() == data


@pytest.mark.django_db
def test_uploaded_image_keeps_its_dimensions_read_from_s3(bucket):
    image = upload_image(png_bytes(size=(320, 200)))
    assert (image.width, image.height) == (320, 200)


@pytest.mark.django_db
def test_rendition_is_generated_from_s3_and_written_to_the_bucket(bucket, s3_client):
    image = upload_image(png_bytes())
    rendition = image.get_rendition("fill-100x100")
    stored = s3_client.get_object(Bucket=bucket, Key=f"media/{rendition.file.name}")["Body"].read()
    assert PILImage.open(io.BytesIO(stored)).size == (100, 100)


@pytest.mark.django_db
def test_rendition_url_points_at_the_bucket(bucket, s3_endpoint):
    rendition = upload_image(png_bytes()).get_rendition("fill-100x100")
    assert rendition.url.startswith(f"{s3_endpoint}/{bucket}/media/images/")


@pytest.mark.django_db
def test_uploaded_image_is_not_written_to_the_local_media_root(bucket, settings):
    image = upload_image(png_bytes())
    assert not (Path(settings.MEDIA_ROOT) / image.file.name).exists()


DOCUMENT_URLS = "query($id: ID!) { document(id: $id) { url fileUrl } }"


@pytest.mark.django_db
def test_a_document_s_file_url_points_at_the_bucket_and_its_link_redirects_there(bucket, s3_endpoint, client):
    document = DocumentFactory(title="Charte des partenaires")
    body = json.dumps({"query": DOCUMENT_URLS, "variables": {"id": str(document.pk)}})

    data = client.post("/graphql/", body, content_type="application/json").json()["data"]["document"]

    assert data["fileUrl"].startswith(f"{s3_endpoint}/{bucket}/media/documents/")
    served = client.get(urlsplit(data["url"]).path)
    assert (served.status_code, served["Location"]) == (302, data["fileUrl"])
