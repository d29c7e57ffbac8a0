"""Demo data for `make dev`: a few creators and one fan with known, obviously fake logins,
and per creator a couple of generated pictures (thumbnailed by the real job's code, run
here so that they are ready at once) shown in one free, published post.

Idempotent: running it again changes nothing. Refused in production.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from backend.accounts import passwords
from backend.accounts.models import User
from backend.accounts.roles import Role
from backend.media import processing
from backend.media import service as media
from backend.media.models import Media
from backend.posts import service as posts
from backend.posts.schemas import PostIn
from backend.settings import get_settings

DEMO_PASSWORD = "demo-password-123"  # noqa: S105 - documented development login


@dataclass(frozen=True)
class DemoUser:
    handle: str
    display_name: str
    role: Role
    bio: str

    @property
    def email(self) -> str:
        return f"{self.handle}@example.com"


DEMO_USERS = [
    DemoUser("ada", "Ada Lovelace", Role.CREATOR, "Notes on the analytical engine."),
    DemoUser("grace", "Grace Hopper", Role.CREATOR, "Compilers, nanoseconds and bugs."),
    DemoUser("hedy", "Hedy Lamarr", Role.CREATOR, "Frequency hopping and films."),
    DemoUser("fan", "Demo Fan", Role.FAN, "I follow interesting people."),
]


PICTURES_PER_CREATOR = 2
PALETTES = [((36, 59, 85), (246, 180, 80)), ((92, 37, 141), (67, 137, 162))]


async def seed_demo() -> list[DemoUser]:
    password_hash = await passwords.hash_password(DEMO_PASSWORD)
    for demo in DEMO_USERS:
        user, _ = await User.get_or_create(
            email=demo.email,
            defaults={
                "handle": demo.handle,
                "display_name": demo.display_name,
                "role": demo.role,
                "bio": demo.bio,
                "password_hash": password_hash,
            },
        )
        if demo.role == Role.CREATOR and not await Media.filter(owner_id=user.id).exists():
            await _first_post(user, demo)
    return DEMO_USERS


async def _first_post(user: User, demo: DemoUser) -> None:
    settings = get_settings()
    media_ids = []
    for number in range(PICTURES_PER_CREATOR):
        added = await media.add_image(settings, user, _picture(demo, number))
        await processing.make_thumbnails(settings, added.id)
        media_ids.append(added.id)
    caption = f"Hello from {demo.display_name}!\n{demo.bio}"
    draft = await posts.create(settings, user, PostIn(caption=caption, media_ids=media_ids))
    await posts.publish(draft.id, user)


def _picture(demo: DemoUser, number: int) -> bytes:
    """A 1600x1200 JPEG: a two-colour gradient, a few discs and the creator's name."""
    start, end = PALETTES[number % len(PALETTES)]
    mask = Image.linear_gradient("L").rotate(45 * (number + 1)).resize((1600, 1200))
    picture = Image.composite(
        Image.new("RGB", mask.size, end), Image.new("RGB", mask.size, start), mask
    )
    draw = ImageDraw.Draw(picture)
    for index, (x, y) in enumerate(((400, 300), (1150, 500), (700, 760))):
        radius = 120 + 60 * ((index + number + len(demo.handle)) % 3)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(250, 250, 245))
    draw.text((80, 1040), demo.display_name, fill=(255, 255, 255), font_size=96)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()
