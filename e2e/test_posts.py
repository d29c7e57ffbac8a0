"""Flow 8: posts. A creator writes, publishes, edits and deletes a post of three photos; a
creator locks a post at 20 tokens, a fan unlocks it once, and another fan sees only the blur
and cannot fetch the photos with a forged signature."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.pages import log_in, open_creator, path
from e2e.stack import Stack
from e2e.tokens import buy_tokens, smallest_package
from e2e.users import Role, User

# Thumbnails and previews are made by the worker; give it more than the default wait.
WORKER_TIMEOUT_MS = 30_000
PRICE = 20


def make_photos(folder: Path, count: int) -> list[Path]:
    """`count` different 640x480 PNGs (gradients, each shifted, so no two files are alike)."""
    photos = []
    for n in range(count):
        image = Image.new("RGB", (640, 480))
        image.putdata(
            [
                ((x + 40 * n) % 256, y % 256, (x + y + 90 * n) % 256)
                for y in range(480)
                for x in range(640)
            ]
        )
        photo = folder / f"photo-{n + 1}.png"
        image.save(photo)
        photos.append(photo)
    return photos


def expect_loaded(image: Locator) -> None:
    """The <img> is shown and its picture actually arrived (not a broken image)."""
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    expect(image).not_to_have_js_property("naturalWidth", 0)


def the_post(page: Page) -> Locator:
    """The one post on a creator page."""
    posts = page.get_by_test_id("post-list").locator('article[data-testid^="post-"]')
    expect(posts).to_have_count(1)
    return posts.first


def write_post(page: Page, photos: list[Path], caption: str, price: int = 0) -> None:
    """From the header's Upload: pick the photos, wait until each is ready, write the caption,
    set the price, Publish; lands on the creator's own page."""
    page.get_by_test_id("nav-upload").click()
    expect(page.get_by_test_id("upload-page")).to_be_visible()
    page.get_by_test_id("composer-input").set_input_files(photos)
    rows = page.get_by_test_id("composer-photo")
    expect(rows).to_have_count(len(photos))
    for i in range(len(photos)):
        expect(rows.nth(i)).to_have_attribute("data-state", "ready", timeout=WORKER_TIMEOUT_MS)
        expect_loaded(rows.nth(i).get_by_test_id("composer-thumbnail"))
    page.get_by_test_id("post-caption-input").fill(caption)
    if price:
        page.get_by_test_id("price-locked").check()
        page.get_by_test_id("price-amount").fill(str(price))
        expect(page.get_by_test_id("post-price")).to_contain_text(f"Lock for {price} tokens")
    page.get_by_test_id("composer-publish").click()


def test_a_creator_publishes_edits_and_deletes_a_post_of_three_photos(
    page: Page, new_user: Callable[[Role, str], User], tmp_path: Path
) -> None:
    creator = new_user("creator", "Creator")
    log_in(page, creator)

    write_post(page, make_photos(tmp_path, 3), "Golden hour on the pier.\nMore soon.")
    expect(page).to_have_url(path(f"/creators/{creator.handle}"))
    post = the_post(page)
    photos = post.get_by_test_id("post-photo")
    expect(photos).to_have_count(3)
    for i in range(3):
        expect(photos.nth(i)).to_have_attribute(
            "alt", f"{creator.display_name}'s post, {i + 1} of 3"
        )
        expect_loaded(photos.nth(i))
    caption = post.get_by_test_id("post-caption")
    expect(caption).to_have_text("Golden hour on the pier.More soon.")
    expect(caption.locator("br")).to_have_count(1)

    post.get_by_test_id("post-edit").click()
    dialog = page.get_by_test_id("post-edit-dialog")
    dialog.get_by_test_id("post-caption-input").fill("Edited: the pier at dusk.")
    dialog.get_by_test_id("post-edit-save").click()
    expect(dialog).to_have_count(0)
    expect(caption).to_have_text("Edited: the pier at dusk.")
    page.reload()
    expect(the_post(page).get_by_test_id("post-caption")).to_have_text("Edited: the pier at dusk.")

    the_post(page).get_by_test_id("post-delete").click()
    dialog = page.get_by_test_id("post-delete-dialog")
    expect(dialog).to_contain_text("Its 3 photos will be removed too.")
    dialog.get_by_test_id("post-delete-confirm").click()
    expect(page.get_by_test_id("post-list")).to_contain_text("You haven't posted anything yet.")
    page.reload()
    expect(page.get_by_test_id("post-list")).to_contain_text("You haven't posted anything yet.")


def forged(url: str) -> str:
    """The same URL with another hex digit first in its signature (not the same digit in
    capitals: the server reads hex in either case, so "a" to "A" forges nothing)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    signature = query["signature"]
    query["signature"] = ("0" if signature[0].lower() != "0" else "1") + signature[1:]
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_a_fan_unlocks_a_locked_post_once_and_another_fan_sees_only_the_blur(
    stack: Stack,
    api: httpx.Client,
    new_user: Callable[[Role, str], User],
    new_context: Callable[[], BrowserContext],
    tmp_path: Path,
) -> None:
    creator = new_user("creator", "Creator")
    fan = new_user("fan", "Fan")
    other = new_user("fan", "Other")
    package = smallest_package(api)
    assert package.tokens > PRICE
    buy_tokens(api, stack.stripe_url, fan, package)

    creator_page = new_context().new_page()
    log_in(creator_page, creator)
    write_post(creator_page, make_photos(tmp_path, 2), "Behind the scenes\nThe whole shoot.", PRICE)
    expect(creator_page).to_have_url(path(f"/creators/{creator.handle}"))
    mine = the_post(creator_page)
    expect(mine.get_by_test_id("post-price-badge")).to_have_text(f"Locked for {PRICE} tokens")
    expect(mine.get_by_test_id("post-photo")).to_have_count(2)

    # The fan sees the blur, the first caption line and the number of photos.
    page = new_context().new_page()
    log_in(page, fan)
    # The purchase arranged above is credited by the webhook, perhaps only now.
    expect(page.get_by_test_id("header-balance")).to_have_text(str(package.tokens))
    open_creator(page, creator.handle)
    post = the_post(page)
    expect(post).to_have_attribute("data-locked", "true")
    expect(post.get_by_test_id("post-photo-count")).to_have_text("2 photos")
    expect(post.get_by_test_id("post-caption")).to_have_text("Behind the scenes")
    expect(post.get_by_test_id("post-photo")).to_have_count(0)
    # The worker makes the preview after the thumbnails; the page looks again until it is there.
    expect(post.get_by_test_id("post-preview")).to_be_visible(timeout=WORKER_TIMEOUT_MS)
    expect_loaded(post.get_by_test_id("post-preview"))

    the_post(page).get_by_test_id("unlock-button").click()
    dialog = page.get_by_test_id("unlock-dialog")
    expect(dialog.get_by_test_id("unlock-price")).to_have_text(f"{PRICE} tokens")
    expect(dialog.get_by_test_id("unlock-balance")).to_have_text(
        f"You have {package.tokens} tokens."
    )
    dialog.get_by_test_id("unlock-confirm").click()
    expect(dialog).to_have_count(0)

    left = package.tokens - PRICE
    post = the_post(page)
    expect(post).to_have_attribute("data-locked", "false")
    expect(post.get_by_test_id("unlock-success")).to_have_text(
        f"Unlocked. Your balance is now {left} tokens."
    )
    expect(page.get_by_test_id("header-balance")).to_have_text(str(left))
    photos = post.get_by_test_id("post-photo")
    expect(photos).to_have_count(2)
    for i in range(2):
        expect_loaded(photos.nth(i))
    expect(post.get_by_test_id("post-caption")).to_have_text("Behind the scenesThe whole shoot.")
    shown: list[str] = photos.evaluate_all("images => images.map(image => image.currentSrc)")
    assert all("/media/protected/" in url and "signature=" in url for url in shown), shown

    # A reload keeps it unlocked and charges nothing more.
    page.reload()
    post = the_post(page)
    expect(post).to_have_attribute("data-locked", "false")
    expect(post.get_by_test_id("post-photo")).to_have_count(2)
    expect(post.get_by_test_id("post-price-badge")).to_have_text("Unlocked")
    expect(page.get_by_test_id("header-balance")).to_have_text(str(left))
    page.get_by_test_id("nav-wallet").click()
    expect(page.get_by_test_id("wallet-balance")).to_have_text(str(left))
    unlocks = page.get_by_test_id("entries-list").locator("li").filter(has_text="Post unlocked")
    expect(unlocks).to_have_count(1)
    expect(unlocks).to_contain_text(f"-{PRICE}")

    # Another fan still sees only the blur, and a forged signature fetches nothing.
    other_page = new_context().new_page()
    log_in(other_page, other)
    open_creator(other_page, creator.handle)
    locked = the_post(other_page)
    expect(locked).to_have_attribute("data-locked", "true")
    expect(locked.get_by_test_id("post-photo-count")).to_have_text("2 photos")
    expect_loaded(locked.get_by_test_id("post-preview"))
    expect(other_page.locator('img[src*="/media/protected/"]')).to_have_count(0)
    expect(other_page.locator('img[srcset*="/media/protected/"]')).to_have_count(0)
    for url in shown:
        answer = other_page.request.get(forged(url), headers=other.auth)
        assert answer.status == 403, f"{forged(url)}: {answer.status} {answer.text()}"
