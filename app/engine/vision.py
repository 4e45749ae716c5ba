"""Images through llama.cpp's mtmd and the vision projector (mmproj), one at a time.

Each image is resized exactly as Mistral's own image encoder does (longest side at most the
encoder's size, then each side rounded up to whole merged patches), so llama.cpp makes the same
number of image tokens as mistral-common and the model sees the pixels it was trained on.

An image's place in the KV cache is one `ImageChunk` (its SHA-256 and the positions it takes)
followed by the text tokens mtmd puts after it ([IMG_END]). Its size and tokens are remembered
per SHA-256, so a follow-up turn neither reads nor encodes an image already in the cache.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
from llama_cpp import mtmd_cpp as mtmd
from PIL import Image, UnidentifiedImageError

from app.core.gguf_header import read_gguf_header
from app.core.i18n import translate
from app.core.messages import ImagePart
from app.engine.kv_sequence import ImageChunk, KvItem

MAX_IMAGE_TOKENS = 8192  # above the 55 x 55 grid of a 1540-pixel square: never downscaled
CHUNK_TEXT = 0
CHUNK_IMAGE = 1


class ProjectorFailed(Exception):
    """The vision projector could not be opened with this model."""


class ImageFailed(Exception):
    """An image could not be read or encoded; the message is for the user."""


@dataclass(frozen=True, slots=True)
class ImageGrid:
    """The encoder's geometry, as the projector file gives it."""

    patch_size: int
    merge: int
    max_size: int

    @classmethod
    def of_projector(cls, path: Path) -> ImageGrid:
        header = read_gguf_header(path)
        metadata = header.metadata

        def number(key: str, default: int) -> int:
            value = metadata.get(key, default)
            return int(value) if isinstance(value, int | float) else default

        return cls(
            patch_size=number("clip.vision.patch_size", 14),
            merge=max(1, number("clip.vision.spatial_merge_size", 1)),
            max_size=number("clip.vision.image_size", 1540),
        )

    def target_size(self, width: int, height: int) -> tuple[int, int]:
        """The size the encoder gets: Mistral's rule, to whole merged patches."""
        ratio = max(width / self.max_size, height / self.max_size)
        if ratio > 1:
            width, height = max(round(width / ratio), 1), max(round(height / ratio), 1)
        cell = self.patch_size * self.merge
        return (-(-width // cell) * cell, -(-height // cell) * cell)


@dataclass(frozen=True, slots=True)
class _Placed:
    chunk: ImageChunk
    after: tuple[int, ...]  # text tokens mtmd puts after the image


class VisionEncoder:
    def __init__(self, context: mtmd.mtmd_context_p, grid: ImageGrid) -> None:
        self._context: mtmd.mtmd_context_p | None = context
        self.grid = grid
        self._placed: dict[str, _Placed] = {}
        self.encoded = 0  # images encoded since the counter was last read (tests, statistics)

    @classmethod
    def open(
        cls, mmproj: Path, model: llama_cpp.llama_model_p, *, use_gpu: bool, n_threads: int
    ) -> VisionEncoder:
        params = mtmd.mtmd_context_params_default()
        params.use_gpu = use_gpu
        params.print_timings = False
        params.n_threads = n_threads
        params.warmup = False
        params.image_min_tokens = 1  # a small image keeps its size, as in Mistral's encoder
        params.image_max_tokens = MAX_IMAGE_TOKENS
        context = mtmd.mtmd_init_from_file(str(mmproj).encode(), model, params)
        if not context:
            raise ProjectorFailed(
                f"{mmproj.name} does not work with this model (see the engine log for why)"
            )
        if not mtmd.mtmd_support_vision(context):
            mtmd.mtmd_free(context)
            raise ProjectorFailed(f"{mmproj.name} has no vision encoder")
        return cls(context, ImageGrid.of_projector(mmproj))

    def close(self) -> None:
        if self._context is not None:
            mtmd.mtmd_free(self._context)
            self._context = None

    @property
    def context(self) -> mtmd.mtmd_context_p:
        if self._context is None:
            raise ImageFailed(translate("VisionEncoder", "the vision projector was closed"))
        return self._context

    # ---- placing images in the prompt -------------------------------------------------------

    def items_for(self, image: ImagePart) -> list[KvItem]:
        """The KV items of `image`: its chunk and the text after it (read once per image)."""
        placed = self._placed.get(image.sha256)
        if placed is None:
            with self._chunks(image) as chunks:
                placed = _placed_from(chunks, image.sha256)
            self._placed[image.sha256] = placed
        return [placed.chunk, *placed.after]

    def tokens_of(self, sha256: str) -> int:
        """The positions an image placed before takes (its chunk and the text after it)."""
        placed = self._placed[sha256]
        return placed.chunk.n_tokens + len(placed.after)

    def evaluate(
        self, image: ImagePart, context: llama_cpp.llama_context_p, n_past: int, n_batch: int
    ) -> int:
        """Encode `image` and put its embeddings in the KV cache at `n_past`; the positions
        after it. The text after the image is the caller's to evaluate."""
        with self._chunks(image) as chunks:
            for index in range(mtmd.mtmd_input_chunks_size(chunks)):
                chunk = mtmd.mtmd_input_chunks_get(chunks, index)
                if mtmd.mtmd_input_chunk_get_type(chunk) != CHUNK_IMAGE:
                    continue
                new_n_past = llama_cpp.llama_pos(n_past)
                status = mtmd.mtmd_helper_eval_chunk_single(
                    self.context, context, chunk, n_past, 0, n_batch, False,
                    ctypes.byref(new_n_past),
                )  # fmt: skip
                if status != 0:
                    raise ImageFailed(
                        translate(
                            "VisionEncoder",
                            "the image could not be encoded (mtmd returned {status})",
                        ).format(status=status)
                    )
                self.encoded += 1
                return int(new_n_past.value)
        raise ImageFailed(
            translate("VisionEncoder", "the projector made no image tokens for the image")
        )

    @contextmanager
    def _chunks(self, image: ImagePart) -> Iterator[mtmd.mtmd_input_chunks_p]:
        """mtmd's chunks for the media marker with `image` in it, freed after use."""
        width, height, pixels = self._pixels(image.path)
        buffer = (ctypes.c_ubyte * len(pixels)).from_buffer_copy(pixels)
        bitmap = mtmd.mtmd_bitmap_init(width, height, buffer)
        chunks = mtmd.mtmd_input_chunks_init()
        try:
            marker = mtmd.mtmd_default_marker()
            text = mtmd.mtmd_input_text()
            text.text, text.text_len = marker, len(marker)
            text.add_special, text.parse_special = False, True
            bitmaps = (mtmd.mtmd_bitmap_p_ctypes * 1)(bitmap)
            status = mtmd.mtmd_tokenize(self.context, chunks, ctypes.byref(text), bitmaps, 1)
            if status != 0:
                raise ImageFailed(
                    translate(
                        "VisionEncoder", "the image could not be prepared (mtmd returned {status})"
                    ).format(status=status)
                )
            yield chunks
        finally:
            mtmd.mtmd_input_chunks_free(chunks)
            mtmd.mtmd_bitmap_free(bitmap)

    def _pixels(self, path: Path) -> tuple[int, int, bytes]:
        """The image as RGB bytes at the size the encoder gets."""
        try:
            with Image.open(path) as opened:
                rgb = opened.convert("RGB")
        except FileNotFoundError:
            raise ImageFailed(
                translate("VisionEncoder", "the image file {name} is missing").format(
                    name=path.name
                )
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            raise ImageFailed(
                translate("VisionEncoder", "the image {name} cannot be read: {reason}").format(
                    name=path.name, reason=exc
                )
            ) from None
        size = self.grid.target_size(rgb.width, rgb.height)
        if size != rgb.size:
            rgb = rgb.resize(size, Image.Resampling.BICUBIC)
        return size[0], size[1], rgb.tobytes()


def _placed_from(chunks: mtmd.mtmd_input_chunks_p, sha256: str) -> _Placed:
    n_tokens = 0
    after: list[int] = []
    for index in range(mtmd.mtmd_input_chunks_size(chunks)):
        chunk = mtmd.mtmd_input_chunks_get(chunks, index)
        if mtmd.mtmd_input_chunk_get_type(chunk) == CHUNK_IMAGE:
            n_tokens = int(mtmd.mtmd_input_chunk_get_n_pos(chunk))
        elif n_tokens:
            count = ctypes.c_size_t()
            tokens = mtmd.mtmd_input_chunk_get_tokens_text(chunk, ctypes.byref(count))
            after += [int(tokens[i]) for i in range(count.value)]
    if not n_tokens:
        raise ImageFailed(
            translate("VisionEncoder", "the projector made no image tokens for the image")
        )
    return _Placed(ImageChunk(sha256, n_tokens), tuple(after))
