"""Follow-up speed with images in the history (prints a table; not a test).

    python -m tests.bench.bench_vision [--images 10] [--turns 5] [--json]

Through the real engine process, on the tiny model with the tiny Pixtral projector: a first
message carries 10 screenshots (1024 x 768, about 1,070 image tokens each) and gets its answer;
then each follow-up question is timed to its first token. The reference is the same
conversation with the images left out, in the same run (medians, and the fastest turns, which
other programs on a busy machine disturb least). Images already in the KV cache are
neither read nor encoded again, so the ratio should stay near 1 (the target is at most 1.2).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
from pathlib import Path

from PIL import Image

from app.core.messages import ChatMessage, ImagePart, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine
from app.engine.protocol import Generate, LoadModel
from app.engine.vision import ImageGrid
from tests.fixtures.models import cached_model, cached_projector

SIZE = (1024, 768)
SAMPLING = SamplingParams(temperature=0, max_tokens=4, repetition_guard=False)


def screenshots(folder: Path, count: int) -> tuple[ImagePart, ...]:
    parts = []
    for index in range(count):
        image = Image.new("RGB", SIZE, (240, 240, 240))
        for y in range(0, SIZE[1], 24):  # lines of "text", different on each screenshot
            for x in range(40, 40 + (y * 7 + index * 131) % 900, 3):
                image.putpixel((x, y), (20, 20, 20))
        path = folder / f"screen{index}.png"
        image.save(path)
        parts.append(ImagePart(path, hashlib.sha256(path.read_bytes()).hexdigest()))
    return tuple(parts)


def follow_up_ttfts(
    engine: BlockingEngine,
    images: tuple[ImagePart, ...],
    turns: int,
    first_id: int,
    padding: int = 0,
) -> tuple[list[float], list[float], int, float]:
    """Seconds to the first token of each follow-up as the client sees it and as the engine
    measures it (evaluating the new tokens and sampling, without rendering and the pipe), the
    images encoded by the follow-ups, and the seconds to the first token of the opening turn.
    `padding` adds words to the first message."""
    words = " ".join(f"w{index % 97}" for index in range(padding))
    first = ChatMessage(Role.USER, f"Compare these screenshots. {words}", images=images)
    opening = engine.generate(Generate(first_id, (first,), SAMPLING))
    history = (first, ChatMessage(Role.ASSISTANT, opening.finished.text))
    times: list[float] = []
    in_engine: list[float] = []
    encoded = 0
    for turn in range(turns):
        question = ChatMessage(Role.USER, f"And what about detail number {turn + 1}?")
        answer = engine.generate(Generate(first_id + 1 + turn, (*history, question), SAMPLING))
        assert answer.first_delta_at is not None, "the follow-up gave no token"
        times.append(answer.first_delta_at - answer.sent_at)
        in_engine.append(answer.finished.usage.time_to_first_token_s)
        encoded += answer.finished.usage.images_encoded
    assert opening.first_delta_at is not None
    return times, in_engine, encoded, opening.first_delta_at - opening.sent_at


def engine_image_tokens(images: tuple[ImagePart, ...]) -> int:
    """What the images take, by Mistral's rule (the engine makes the same count)."""
    grid = ImageGrid(14, 2, 1540)
    total = 0
    for image in images:
        with Image.open(image.path) as opened:
            width, height = grid.target_size(*opened.size)
        columns, rows = width // 28, height // 28
        total += columns * rows + rows
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    load = LoadModel(
        cached_model("tiny"), mmproj_path=cached_projector(), n_ctx=16384, n_gpu_layers=0
    )
    with tempfile.TemporaryDirectory() as folder, BlockingEngine() as engine:
        images = screenshots(Path(folder), args.images)
        engine.load(load)
        plain, plain_engine, _, _ = follow_up_ttfts(engine, (), args.turns, 100)
        with_images, images_engine, encoded, opening = follow_up_ttfts(
            engine, images, args.turns, 200
        )
        image_tokens = engine_image_tokens(images)
        padded, _, _, _ = follow_up_ttfts(engine, (), args.turns, 300, padding=image_tokens // 2)
        plain_again, plain_again_engine, _, _ = follow_up_ttfts(engine, (), args.turns, 400)
    reference = statistics.median(plain + plain_again)
    measured = statistics.median(with_images)
    same_length = statistics.median(padded)
    reference_engine = statistics.median(plain_engine + plain_again_engine)
    measured_engine = statistics.median(images_engine)
    figures = {
        "images": args.images,
        "image_tokens": image_tokens,
        "follow_up_ttft_s_without_images": round(reference, 4),
        "follow_up_ttft_s_with_images": round(measured, 4),
        "ratio": round(measured / reference, 3),
        "ratio_of_fastest_turns": round(min(with_images) / min(plain + plain_again), 3),
        "in_engine_s_without_images": round(reference_engine, 4),
        "in_engine_s_with_images": round(measured_engine, 4),
        "follow_up_ttft_s_same_length_text": round(same_length, 4),
        "ratio_to_same_length_text": round(measured / same_length, 3),
        "images_encoded_by_follow_ups": encoded,
        "first_turn_ttft_s_encoding_the_images": round(opening, 4),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:<36} {value}")
    return 0 if encoded == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
