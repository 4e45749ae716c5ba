"""Writes a random-weight vision projector (mmproj) GGUF of the Pixtral type, as Mistral Small
3.2's: an RMS-normed ViT with 2D RoPE, a patch merger, a GELU adapter into the text model's
embedding, and a learned [IMG_BREAK] embedding. The tensor names and keys are the ones llama.cpp's
clip loader reads for the "pixtral" projector type, so mtmd opens it, encodes images with it and
makes as many image tokens as for the real projector; only the weights are noise."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np

from app.devtools.gguf_writer import TINY, WEIGHT_SCALE
from app.devtools.tekken import SMALL_3_2_IMAGE

# CLIP's normalisation, which Pixtral's preprocessing uses too.
IMAGE_MEAN = (0.48145466, 0.4578275, 0.40821073)
IMAGE_STD = (0.26862954, 0.26130258, 0.27577711)


@dataclass(frozen=True, slots=True)
class ProjectorShape:
    """The vision tower's size; `text_embd` must equal the text model's n_embd."""

    text_embd: int
    n_embd: int = 32
    n_ff: int = 64
    n_head: int = 2
    n_layer: int = 1
    patch_size: int = SMALL_3_2_IMAGE["image_patch_size"]
    merge: int = SMALL_3_2_IMAGE["spatial_merge_size"]
    max_image_size: int = SMALL_3_2_IMAGE["max_image_size"]


TINY_PROJECTOR = ProjectorShape(text_embd=TINY.n_embd)


def projector_tensors(shape: ProjectorShape) -> dict[str, tuple[int, ...]]:
    """Each tensor's name and shape (numpy order: outputs first)."""
    embd, text, patch = shape.n_embd, shape.text_embd, shape.patch_size
    tensors: dict[str, tuple[int, ...]] = {
        "v.patch_embd.weight": (embd, 3, patch, patch),
        "v.pre_ln.weight": (embd,),
    }
    for layer in range(shape.n_layer):
        block = f"v.blk.{layer}"
        for name in ("attn_q", "attn_k", "attn_v", "attn_out"):
            tensors[f"{block}.{name}.weight"] = (embd, embd)
        tensors[f"{block}.ln1.weight"] = (embd,)
        tensors[f"{block}.ln2.weight"] = (embd,)
        tensors[f"{block}.ffn_gate.weight"] = (shape.n_ff, embd)
        tensors[f"{block}.ffn_up.weight"] = (shape.n_ff, embd)
        tensors[f"{block}.ffn_down.weight"] = (embd, shape.n_ff)
    tensors["mm.input_norm.weight"] = (embd,)
    tensors["mm.patch_merger.weight"] = (embd, embd * shape.merge * shape.merge)
    tensors["mm.1.weight"] = (text, embd)
    tensors["mm.1.bias"] = (text,)
    tensors["mm.2.weight"] = (text, text)
    tensors["mm.2.bias"] = (text,)
    tensors["v.token_embd.img_break"] = (text,)
    return tensors


def _content(name: str, size: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Norm weights are ones, biases zeros, everything else small noise."""
    if name.endswith(("ln.weight", "ln1.weight", "ln2.weight", "norm.weight")):
        return np.ones(size, dtype=np.float32)
    if name.endswith(".bias"):
        return np.zeros(size, dtype=np.float32)
    return (rng.standard_normal(size) * WEIGHT_SCALE).astype(np.float32)


def _add_metadata(writer: gguf.GGUFWriter, shape: ProjectorShape) -> None:
    writer.add_name("Tiny Pixtral projector")
    writer.add_string("clip.projector_type", "pixtral")
    writer.add_bool("clip.has_vision_encoder", True)
    writer.add_bool("clip.use_silu", True)
    writer.add_uint32("clip.vision.image_size", shape.max_image_size)
    writer.add_uint32("clip.vision.patch_size", shape.patch_size)
    writer.add_uint32("clip.vision.embedding_length", shape.n_embd)
    writer.add_uint32("clip.vision.feed_forward_length", shape.n_ff)
    writer.add_uint32("clip.vision.block_count", shape.n_layer)
    writer.add_uint32("clip.vision.projection_dim", shape.text_embd)
    writer.add_uint32("clip.vision.attention.head_count", shape.n_head)
    writer.add_float32("clip.vision.attention.layer_norm_epsilon", 1e-5)
    writer.add_array("clip.vision.image_mean", list(IMAGE_MEAN))
    writer.add_array("clip.vision.image_std", list(IMAGE_STD))
    writer.add_uint32("clip.vision.spatial_merge_size", shape.merge)


def write_projector(path: Path, shape: ProjectorShape = TINY_PROJECTOR, *, seed: int = 1) -> Path:
    """Write a projector of `shape` with random weights to `path` and return `path`; the file
    appears complete or not at all."""
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        writer = gguf.GGUFWriter(str(temp), "clip")
        _add_metadata(writer, shape)
        for name, size in projector_tensors(shape).items():
            writer.add_tensor(name, _content(name, size, rng))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        temp.replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    return path
