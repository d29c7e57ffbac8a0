"""Flow 6: a creator uploads a photo and sees its thumbnail, then finds it on the profile."""

from __future__ import annotations

import re
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


def test_a_creator_uploads_a_photo_and_sees_its_thumbnail_on_the_profile(
    page: Page, new_user: Callable[[Role, str], User], tmp_path: Path
) -> None:
    creator = new_user("creator", "Creator")
    photo = make_photo(tmp_path)
    log_in(page, creator)

    page.get_by_test_id("nav-upload").click()
    expect(page.get_by_test_id("upload-page")).to_be_visible()
    page.get_by_test_id("upload-input").set_input_files(photo)

    status = page.get_by_test_id("upload-status")
    expect(status).to_contain_text("sunset.png")
    expect(status).to_have_attribute("data-state", "ready", timeout=THUMBNAIL_TIMEOUT_MS)
    expect(page.get_by_test_id("upload-progress")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("upload-error")).to_have_count(0)
    expect_loaded(page.get_by_test_id("upload-thumbnail"))

    page.get_by_role("link", name="See your profile").click()
    expect(page).to_have_url(path(f"/creators/{creator.handle}"))
    expect(page.get_by_test_id("media-count")).to_have_text("1")
    items = page.get_by_test_id("media-grid").locator('[data-testid^="media-item-"]')
    expect(items).to_have_count(1)
    expect(items.get_by_role("button", name=re.compile(r"^Open photo"))).to_be_visible()
    expect_loaded(items.locator("img"))
