"""`digis media ...`: the media's data operations."""

from __future__ import annotations

import click

from backend.cli.runner import emit, json_option, run_with_db
from backend.media import service


@click.group()
def media() -> None:
    """Creators' media."""


@media.command("previews")
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Preview jobs queued per transaction.",
)
@json_option
def media_previews(batch_size: int, as_json: bool) -> None:
    """Queue the blurred-preview job of every ready media item that has no preview yet
    (media made before previews were). Safe to run again; the worker makes them."""
    queued = run_with_db(lambda: service.queue_missing_previews(batch_size))
    emit({"queued": queued}, as_json=as_json, human=lambda d: f"preview jobs queued: {d['queued']}")
