"""`digis posts ...`: the posts' data operations."""

from __future__ import annotations

import click

from backend.cli.runner import emit, json_option, run_with_db
from backend.posts import service


@click.group()
def posts() -> None:
    """Creators' posts."""


@posts.command("backfill")
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Media made into posts per statement (each batch commits on its own).",
)
@json_option
def posts_backfill(batch_size: int, as_json: bool) -> None:
    """Make every ready media item that no post shows yet a one-photo published post, as
    migration 11 did (for media that became ready since). Safe to run again."""
    made = run_with_db(lambda: service.backfill_media_posts(batch_size))
    emit({"posts_made": made}, as_json=as_json, human=lambda d: f"posts made: {d['posts_made']}")
