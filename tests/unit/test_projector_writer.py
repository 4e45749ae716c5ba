"""The projector writer: the keys and tensors llama.cpp's clip loader reads for a Pixtral
projector, sized for the text model it goes with."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

from app.core.gguf_header import read_gguf_header
from app.devtools.gguf_writer import TINY
from app.devtools.projector_writer import (
    TINY_PROJECTOR,
    ProjectorShape,
    projector_tensors,
    write_projector,
)
from app.devtools.tekken import SMALL_3_2_IMAGE
from app.engine.validation import check_mmproj


def test_the_header_is_a_pixtral_projector_for_the_text_model(tmp_path: Path) -> None:
    path = write_projector(tmp_path / "mmproj.gguf")

    header = read_gguf_header(path)
    assert header.architecture == "clip"
    assert header.metadata["clip.projector_type"] == "pixtral"
    assert header.metadata["clip.vision.projection_dim"] == TINY.n_embd
    assert header.metadata["clip.vision.patch_size"] == SMALL_3_2_IMAGE["image_patch_size"]
    assert header.metadata["clip.vision.image_size"] == SMALL_3_2_IMAGE["max_image_size"]
    assert (
        header.metadata["clip.vision.spatial_merge_size"] == SMALL_3_2_IMAGE["spatial_merge_size"]
    )
    assert check_mmproj(path) is None
    assert not list(tmp_path.glob("*.partial"))


def test_every_planned_tensor_is_written_with_its_shape(tmp_path: Path) -> None:
    shape = ProjectorShape(text_embd=48, n_layer=2)
    path = write_projector(tmp_path / "mmproj.gguf", shape)

    reader = gguf.GGUFReader(path)
    written = {t.name: tuple(int(n) for n in reversed(t.shape)) for t in reader.tensors}
    assert written == projector_tensors(shape)
    assert written["mm.2.weight"] == (48, 48)
    assert "v.blk.1.ffn_down.weight" in written
    norms = [t for t in reader.tensors if t.name == "v.pre_ln.weight"]
    assert np.all(norms[0].data == 1.0)


def test_the_same_seed_writes_the_same_file(tmp_path: Path) -> None:
    first = write_projector(tmp_path / "a.gguf", TINY_PROJECTOR, seed=3)
    second = write_projector(tmp_path / "b.gguf", TINY_PROJECTOR, seed=3)
    other = write_projector(tmp_path / "c.gguf", TINY_PROJECTOR, seed=4)
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()
