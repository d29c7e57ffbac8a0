"""Thumbnails per second and peak memory per job, ours against a plain Pillow baseline.

    python -m bench.thumbnails            (prints JSON)
    python -m bench.thumbnails one PATH {ours|baseline}   (one job; prints its peak RSS)

The baseline is what a first version would do: decode the full 12-megapixel image, then
resize it (Lanczos) once per size and encode WebP at Pillow's defaults. Each job's memory
is measured in a fresh process (peak RSS minus the RSS before the job), since Pillow's
buffers live outside Python's heap.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from backend.media.sniff import ImageFormat
from backend.media.thumbnails import SIZES, render

WIDTH, HEIGHT = 4000, 3000  # 12 megapixels, a phone photo
IMAGES = 6
MAX_PIXELS = 50_000_000


def make_photo(seed: int) -> bytes:
    """A photo-like JPEG: smooth gradients, shapes and fine grain (compresses like a photo)."""
    image = Image.radial_gradient("L").resize((WIDTH, HEIGHT)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x, y = (seed * 97 + index * 211) % WIDTH, (seed * 53 + index * 389) % HEIGHT
        colour = ((index * 37) % 256, (seed * 71 + index * 13) % 256, (index * 91) % 256)
        draw.ellipse((x, y, x + 600, y + 400), fill=colour)
    grain = Image.effect_noise((WIDTH, HEIGHT), 24).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(3)), grain, 0.15)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def ours(path: Path) -> None:
    with path.open("rb") as source:
        render(source, ImageFormat.JPEG, max_pixels=MAX_PIXELS)


def baseline(path: Path) -> None:
    with Image.open(path) as image:
        image.load()
        for size in SIZES:
            ratio = size / max(image.size)
            target = (round(image.width * ratio), round(image.height * ratio))
            image.resize(target, Image.Resampling.LANCZOS).save(io.BytesIO(), "WEBP", quality=80)


JOBS = {"ours": ours, "baseline": baseline}


def rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process's own
    address space; ru_maxrss would carry over the parent's peak into a fresh child."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # macOS: bytes


def one(path: Path, kind: str) -> float:
    before = rss_mb()  # after imports: what the process holds before any image work
    JOBS[kind](path)
    return rss_mb() - before


def peak_job_mb(path: Path, kind: str) -> float:
    """Peak memory of one job, in a fresh process whose high-water mark starts low."""
    script = [sys.executable, "-m", "bench.thumbnails", "one", str(path), kind]
    result = subprocess.run(script, capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def throughput(paths: list[Path], kind: str, rounds: int = 2) -> float:
    job = JOBS[kind]
    job(paths[0])
    started = time.perf_counter()
    for _ in range(rounds):
        for path in paths:
            job(path)
    return len(SIZES) * rounds * len(paths) / (time.perf_counter() - started)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for seed in range(IMAGES):
            path = Path(folder) / f"photo-{seed}.jpg"
            path.write_bytes(make_photo(seed))
            paths.append(path)
        result = {
            kind: {
                "thumbnails_per_second": round(throughput(paths, kind), 2),
                "peak_job_mb": round(max(peak_job_mb(paths[0], kind) for _ in range(2)), 1),
            }
            for kind in JOBS
        }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "one":
        print(round(one(Path(sys.argv[2]), sys.argv[3]), 1))
    else:
        main()
