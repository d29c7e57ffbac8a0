"""A photo uploaded through API A is thumbnailed by whichever worker takes the job and
served through API B: the original, the thumbnails and their URLs live in the bucket and
the database, never on one host's disk."""

from __future__ import annotations

import hashlib

from backend.media.models import Media
from tests.cluster.conftest import Cluster
from tests.media import images
from tests.media.support import settled, upload_ok
from tests.support.accounts import create_account


async def test_a_photo_uploaded_through_a_is_served_through_b(cluster: Cluster) -> None:
    creator = await create_account("creator")
    media_id = await upload_ok(cluster.a, creator, images.jpeg(1600, 1200))

    media = await settled(cluster.b, creator, media_id, within=60)  # as B sees it
    assert media["status"] == "ready", media
    assert media["thumbnails"], media
    for thumbnail in media["thumbnails"].values():
        url: str = thumbnail["url"]
        assert url.startswith("/media/"), url  # the API's own route, on any instance
        served = await cluster.b.get(url)
        assert served.status_code == 200, url
        assert served.headers["content-type"] == thumbnail["content_type"]
        name = url.rsplit("/", 1)[1]
        assert hashlib.sha256(served.content).hexdigest() == name.partition(".")[0]
        assert images.open_image(served.content).size == (thumbnail["width"], thumbnail["height"])

    row = await Media.get(id=media_id)
    derivatives = {str(entry["key"]) for entry in row.derivatives.values()}
    assert set(cluster.s3.keys(cluster.prefix)) == {row.original_key, *derivatives}
    assert cluster.stored_on_disk() == []  # no API, worker or beat wrote a local file
