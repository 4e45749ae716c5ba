"""Follow-up speed with images in the history (prints a table; not a test).

    python -m tests.bench.bench_vision [--images 10] [--turns 5] [--shape tiny] [--json]

Through the real engine process, on a random-weight model (`--shape`) with a tiny Pixtral
projector matched to it: a first message carries 10 screenshots (1024 x 768, about 1,070 image
tokens each) and gets its answer; then the conversation goes on, each follow-up question
appended to the history with the answer before it, and each is timed to its first token. The
reference is the same conversation with the images left out, in the same run (medians, and the
fastest turns, which other programs on a busy machine disturb least). Images already in the KV
cache are neither read nor encoded again.
A third conversation puts words in the images' place, for what the length alone costs.

Each conversation is measured twice: with every message sent at once (a pasted question, the
local API), and as the window sends a message that was typed (the engine reads the draft in a
pause of the typing, then Send evaluates what is left).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.core.messages import ChatMessage, ImagePart, Role
from app.core.sampling import SamplingParams
from app.engine.blocking import BlockingEngine, TimedAnswer
from app.engine.protocol import Generate, LoadModel, Prefill, Prefilled
from app.engine.vision import ImageGrid

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


@dataclass
class Turns:
    """What the follow-ups of one conversation measured."""

    client_s: list[float]  # to the first token, as the window sees it
    engine_s: list[float]  # inside the engine: evaluating what is left, sampling
    evaluated: list[int]  # positions evaluated after Send
    images_encoded: int  # by the follow-ups, read ahead or not
    opening_s: float  # the first turn, to its first token after Send
    opening_positions: int  # what the first turn put in the KV cache


class Conversation:
    def __init__(self, engine: BlockingEngine, first_id: int, typed: bool) -> None:
        self._engine = engine
        self._next_id = first_id
        self._typed = typed
        self.history: tuple[ChatMessage, ...] = ()

    def say(self, message: ChatMessage) -> TimedAnswer:
        """Send `message` (read while it was typed, if so) and add it with its answer."""
        messages = (*self.history, message)
        if self._typed:
            self._engine.send(Prefill(self._id(), messages))
            done = self._engine.next_event(Prefilled)
            assert done.complete, done
        answer = self._engine.generate(Generate(self._id(), messages, SAMPLING))
        self.history = (*messages, ChatMessage(Role.ASSISTANT, answer.finished.text))
        return answer

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id


def opening_message(images: tuple[ImagePart, ...] = (), words: int = 0) -> ChatMessage:
    """The first message: the screenshots, or as many words of text in their place."""
    padding = "".join(f" w{index % 97}" for index in range(words))
    return ChatMessage(Role.USER, f"Compare these screenshots.{padding}", images=images)


def follow_ups(
    engine: BlockingEngine, opening_text: ChatMessage, turns: int, first_id: int, typed: bool
) -> Turns:
    conversation = Conversation(engine, first_id, typed)
    opening = conversation.say(opening_text)
    assert opening.first_delta_at is not None, "the first turn gave no token"
    measured = Turns(
        [],
        [],
        [],
        0,
        opening.first_delta_at - opening.sent_at,
        opening.finished.usage.prompt_tokens,
    )
    for turn in range(turns):
        answer = conversation.say(
            ChatMessage(Role.USER, f"And what about detail number {turn + 1}?")
        )
        assert answer.first_delta_at is not None, "the follow-up gave no token"
        usage = answer.finished.usage
        measured.client_s.append(answer.first_delta_at - answer.sent_at)
        measured.engine_s.append(usage.time_to_first_token_s)
        measured.evaluated.append(usage.prompt_tokens - usage.cached_tokens)
        measured.images_encoded += usage.images_encoded
    return measured


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


def figures_of(
    plain: Turns, with_images: Turns, same_length: Turns
) -> dict[str, float | int | str]:
    reference = statistics.median(plain.client_s)
    measured = statistics.median(with_images.client_s)
    text_instead = statistics.median(same_length.client_s)
    return {
        "follow_up_ttft_s_without_images": round(reference, 4),
        "follow_up_ttft_s_with_images": round(measured, 4),
        "ratio": round(measured / reference, 3),
        "ratio_of_fastest_turns": round(min(with_images.client_s) / min(plain.client_s), 3),
        "in_engine_s_without_images": round(statistics.median(plain.engine_s), 4),
        "in_engine_s_with_images": round(statistics.median(with_images.engine_s), 4),
        "positions_evaluated_after_send": int(statistics.median(with_images.evaluated)),
        "images_encoded_by_follow_ups": with_images.images_encoded,
        "first_turn_ttft_s_with_the_images": round(with_images.opening_s, 4),
        # The same number of positions as text instead of images: what the length alone costs.
        "first_turn_positions_images_vs_text": f"{with_images.opening_positions} vs "
        f"{same_length.opening_positions}",
        "follow_up_ttft_s_same_length_text": round(text_instead, 4),
        "ratio_to_same_length_text": round(measured / text_instead, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=10)
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument(
        "--shape", default="tiny",
        choices=["tiny", "tiny-quantizable", "bench", "mistral-small-3.2-24b"],
        help="tiny: head size 32; tiny-quantizable: head size 128, as Mistral Small's; "
        "bench: the same head size, hidden size 1024 and the full vocabulary (0.7 GB); "
        "mistral-small-3.2-24b: with --model, a full-size twin",
    )  # fmt: skip
    parser.add_argument(
        "--model", type=Path, help="a GGUF file of that shape, instead of writing one"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    # Imported here, not by the engine process, which imports this module again: with the gguf
    # package imported first, llama.cpp's CUDA build crashed loading the model.
    from app.devtools.gguf_writer import PRESETS
    from tests.fixtures.models import cached_model, cached_projector

    shape = PRESETS[args.shape]
    model = args.model or cached_model(shape.name, shape)
    load = LoadModel(model.resolve(), mmproj_path=cached_projector(shape), n_ctx=16384)
    results: dict[str, dict[str, float | int | str]] = {}
    with tempfile.TemporaryDirectory() as folder, BlockingEngine() as engine:
        images = screenshots(Path(folder), args.images)
        image_tokens = engine_image_tokens(images)
        loaded = engine.load(load)
        for mode, typed in (("sent_at_once", False), ("read_while_typed", True)):
            plain = follow_ups(engine, opening_message(), args.turns, 1000, typed)
            with_images = follow_ups(engine, opening_message(images), args.turns, 2000, typed)
            # about three tokens a word: the printed positions show how close the lengths are
            same_length = follow_ups(
                engine, opening_message(words=image_tokens // 3), args.turns, 3000, typed
            )
            results[mode] = figures_of(plain, with_images, same_length)
    summary = {
        "backend": loaded.backend.value,
        "model": loaded.model_name,
        "images": args.images,
        "image_tokens": image_tokens,
        **results,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        for name, value in summary.items():
            if isinstance(value, dict):
                print(name)
                for key, figure in value.items():
                    print(f"  {key:<40} {figure}")
            else:
                print(f"{name:<42} {value}")
    encoded = sum(int(result["images_encoded_by_follow_ups"]) for result in results.values())
    return 0 if encoded == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
