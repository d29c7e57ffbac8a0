"""Flow 6: a creator uploads a photo in the post composer, sees its thumbnail, publishes it
and finds the post on the profile."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect

from e2e.pages import log_in, path
from e2e.users import Role, User

# Thumbnails are made by the worker; give it more than the default wait.
THUMBNAIL_TIMEOUT_MS = 30_000


def make_photo(folder: Path) -> Path:
    """A 640x480 PNG with a gradient (so it is not a flat colour)."""
    image = Image.new("RGB", (640, 480))
    image.putdata([(x % 256, y % 256, (x + y) % 256) for y in range(480) for x in range(640)])
    photo = folder / "sunset.png"
    image.save(photo)
    return photo


def expect_loaded(image: Locator) -> None:
    """The <img> is shown and its picture actually arrived (not a broken image)."""
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    expect(image).not_to_have_js_property("naturalWidth", 0)


def test_a_creator_uploads_a_photo_sees_its_thumbnail_and_publishes_it_to_the_profile(
    page: Page, new_user: Callable[[Role, str], User], tmp_path: Path
) -> None:
    creator = new_user("creator", "Creator")
    photo = make_photo(tmp_path)
    log_in(page, creator)

    page.get_by_test_id("nav-upload").click()
    expect(page.get_by_test_id("upload-page")).to_be_visible()
    page.get_by_test_id("composer-input").set_input_files(photo)

    row = page.get_by_test_id("composer-photo")
    expect(row).to_contain_text("sunset.png")
    expect(row).to_have_attribute("data-state", "ready", timeout=THUMBNAIL_TIMEOUT_MS)
    expect(page.get_by_test_id("composer-photo-error")).to_have_count(0)
    expect_loaded(row.get_by_test_id("composer-thumbnail"))

    # Picking the photo published nothing: the profile has no post until Publish.
    page.get_by_test_id("composer-publish").click()
    expect(page).to_have_url(path(f"/creators/{creator.handle}"))
    expect(page.get_by_test_id("media-count")).to_have_text("1")
    posts = page.get_by_test_id("post-list").locator('article[data-testid^="post-"]')
    expect(posts).to_have_count(1)
    expect_loaded(posts.get_by_test_id("post-photo"))
