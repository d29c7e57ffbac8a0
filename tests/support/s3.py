"""A real S3 API for the tests: moto's server, started on a free port and stopped after,
or the endpoint `S3_TEST_ENDPOINT` names (MinIO, a real bucket).

With `S3_TEST_ENDPOINT`, also set `S3_TEST_BUCKET` (it must exist), `S3_TEST_REGION`
(default `us-east-1`), the client's usual credentials (`AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`...) and, to run the tests that fetch thumbnails the way a CDN
would, `S3_TEST_PUBLIC_URL`: the base at which the bucket's `derivatives/` objects are
readable without credentials. Every session writes under its own key prefix and removes
what it wrote.

`python -m tests.support.s3 --port 9000` runs the same moto server for `make dev`, with
a `digis-dev` bucket whose thumbnails are public (README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx

from tests.support.server import free_port

# boto3 only inspects the bucket here; its debug lines would drown the tests' own.
for _name in ("boto3", "botocore", "s3transfer", "urllib3"):
    logging.getLogger(_name).setLevel(logging.WARNING)

MOTO_REGION = "us-east-1"
MOTO_BUCKET = "digis-test-media"
# moto accepts any credentials; the client only needs some to sign with.
MOTO_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


@dataclass(frozen=True)
class S3Target:
    """A bucket the tests may write to, and how to reach it."""

    endpoint: str
    bucket: str
    region: str
    public_base: str | None  # where `<prefix>/derivatives/<name>` is public, if anywhere

    def client(self) -> Any:
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region)

    def media_env(self, prefix: str, *, public: bool) -> dict[str, str]:
        """The settings that point Digis's media at `prefix` in this bucket."""
        env = {
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": self.bucket,
            "MEDIA_S3_PREFIX": prefix,
            "MEDIA_S3_ENDPOINT_URL": self.endpoint,
            "MEDIA_S3_REGION": self.region,
            "MEDIA_PUBLIC_URL": "",
        }
        if public:
            assert self.public_base is not None
            env["MEDIA_PUBLIC_URL"] = f"{self.public_base}/{prefix}/derivatives"
        return env

    def keys(self, prefix: str) -> list[str]:
        """Every object under `prefix`, without the prefix."""
        pages = self.client().get_paginator("list_objects_v2")
        found = []
        for page in pages.paginate(Bucket=self.bucket, Prefix=f"{prefix}/"):
            found += [item["Key"].removeprefix(f"{prefix}/") for item in page.get("Contents", [])]
        return sorted(found)

    def uploads_in_progress(self, prefix: str) -> list[str]:
        """Keys of multipart uploads started under `prefix` and neither completed nor aborted."""
        answer = self.client().list_multipart_uploads(Bucket=self.bucket, Prefix=f"{prefix}/")
        uploads = answer.get("Uploads", [])
        return sorted(upload["Key"].removeprefix(f"{prefix}/") for upload in uploads)

    def head(self, prefix: str, key: str) -> dict[str, Any]:
        answer: dict[str, Any] = self.client().head_object(
            Bucket=self.bucket, Key=f"{prefix}/{key}"
        )
        return answer

    def remove(self, prefix: str) -> None:
        """Delete every object and abort every upload under `prefix`."""
        client = self.client()
        for key in self.keys(prefix):
            client.delete_object(Bucket=self.bucket, Key=f"{prefix}/{key}")
        answer = client.list_multipart_uploads(Bucket=self.bucket, Prefix=f"{prefix}/")
        for upload in answer.get("Uploads", []):
            client.abort_multipart_upload(
                Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
            )


@contextmanager
def s3_target(log_dir: Path) -> Iterator[S3Target]:
    """The bucket of `S3_TEST_ENDPOINT`, or a fresh moto server's (with its credentials
    in `os.environ` meanwhile, for this process and the ones it starts)."""
    endpoint = os.environ.get("S3_TEST_ENDPOINT", "").strip()
    if endpoint:
        yield _configured(endpoint)
        return
    saved = {name: os.environ.get(name) for name in MOTO_CREDENTIALS}
    os.environ.update(MOTO_CREDENTIALS)
    try:
        with moto_server(log_dir / "moto.log") as moto_endpoint:
            public_base = f"{moto_endpoint}/{MOTO_BUCKET}"
            target = S3Target(moto_endpoint, MOTO_BUCKET, MOTO_REGION, public_base)
            _create_bucket(target)
            yield target
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _configured(endpoint: str) -> S3Target:
    bucket = os.environ.get("S3_TEST_BUCKET", "").strip()
    if not bucket:
        raise RuntimeError("S3_TEST_ENDPOINT is set: set S3_TEST_BUCKET to an existing bucket")
    public = os.environ.get("S3_TEST_PUBLIC_URL", "").strip().rstrip("/") or None
    region = os.environ.get("S3_TEST_REGION", "").strip() or MOTO_REGION
    return S3Target(endpoint.rstrip("/"), bucket, region, public)


def _create_bucket(target: S3Target) -> None:
    """The bucket, with the policy docs/deployment.md recommends: derivatives are public."""
    client = target.client()
    client.create_bucket(Bucket=target.bucket)
    statement = {
        "Sid": "PublicThumbnails",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{target.bucket}/*derivatives/*",
    }
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    client.put_bucket_policy(Bucket=target.bucket, Policy=json.dumps(policy))


@contextmanager
def moto_server(
    log_path: Path, *, port: int | None = None, ready_within: float = 30
) -> Iterator[str]:
    """moto's S3 server in its own process group on a loopback port (a free one unless
    given); its URL."""
    port = port or free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(endpoint, popen, log_path, ready_within)
        yield endpoint
    finally:
        os.killpg(popen.pid, signal.SIGTERM)
        try:
            popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


def _wait_until_answering(
    endpoint: str, popen: subprocess.Popen[bytes], log_path: Path, within: float
) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            httpx.get(f"{endpoint}/moto-api/", timeout=2)
            return
        except httpx.TransportError:
            if popen.poll() is not None:
                raise RuntimeError(f"moto exited:\n{log_path.read_text()}") from None
            if time.monotonic() > deadline:
                raise TimeoutError(f"moto did not answer:\n{log_path.read_text()}") from None
            time.sleep(0.1)


def main() -> None:
    """Serve a development bucket until Ctrl-C (its contents live in memory only)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--bucket", default="digis-dev")
    options = parser.parse_args()
    os.environ.update(MOTO_CREDENTIALS)
    log = Path(tempfile.mkdtemp(prefix="digis-moto-")) / "moto.log"
    with moto_server(log, port=options.port) as endpoint:
        target = S3Target(endpoint, options.bucket, MOTO_REGION, None)
        _create_bucket(target)
        print(f"S3 at {endpoint}, bucket {options.bucket} (log: {log}); Ctrl-C stops it.")
        print(f"  MEDIA_PUBLIC_URL={endpoint}/{options.bucket}/derivatives", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop moto on either
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
