"""The Tekken vocabulary of Mistral Small 3.2, read from a `tekken.json` without mistral-common.

The `mistral-common` package ships `tekken_240911.json` (the 131,072-token Tekken vocabulary).
Mistral Small 3.2 uses that vocabulary with tokenizer version v11 and a longer list of control
tokens ([ARGS], [CALL_ID], [THINK] ...). `small_3_2_config` turns the shipped file into that
configuration, so tests can build mistral-common's reference tokenizer and our GGUF files from the
very same data.
"""

from __future__ import annotations

import base64
import importlib.util
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

VOCAB_SIZE = 131_072
# The image settings of Mistral Small 3.1/3.2's tekken.json (its Pixtral encoder).
SMALL_3_2_IMAGE = {"image_patch_size": 14, "max_image_size": 1540, "spatial_merge_size": 2}
NUM_SPECIAL_TOKENS = 1_000

# Control tokens of Mistral Small 3.2 by id; the other ids below 1000 are <SPECIAL_n> fillers.
CONTROL_TOKENS: dict[int, str] = {
    0: "<unk>",
    1: "<s>",
    2: "</s>",
    3: "[INST]",
    4: "[/INST]",
    5: "[AVAILABLE_TOOLS]",
    6: "[/AVAILABLE_TOOLS]",
    7: "[TOOL_RESULTS]",
    8: "[/TOOL_RESULTS]",
    9: "[TOOL_CALLS]",
    10: "[IMG]",
    11: "<pad>",
    12: "[IMG_BREAK]",
    13: "[IMG_END]",
    14: "[PREFIX]",
    15: "[MIDDLE]",
    16: "[SUFFIX]",
    17: "[SYSTEM_PROMPT]",
    18: "[/SYSTEM_PROMPT]",
    19: "[TOOL_CONTENT]",
    32: "[ARGS]",
    33: "[CALL_ID]",
    34: "[THINK]",
    35: "[/THINK]",
}

BOS_ID, EOS_ID, UNK_ID, PAD_ID = 1, 2, 0, 11


def special_token_strings() -> list[str]:
    return [CONTROL_TOKENS.get(i, f"<SPECIAL_{i}>") for i in range(NUM_SPECIAL_TOKENS)]


def shipped_tekken_file() -> Path:
    """The Tekken file inside the installed mistral-common package (found without importing it)."""
    spec = importlib.util.find_spec("mistral_common")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "mistral-common is not installed; pass the path of a tekken.json file instead"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "tekken_240911.json"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the installed mistral-common")
    return path


def small_3_2_config(source: Path) -> dict[str, Any]:
    """The content of a v11 tekken.json for Mistral Small 3.2, derived from `source`."""
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    data["config"] = {**data["config"], "version": "v11"}
    data["image"] = dict(SMALL_3_2_IMAGE)
    data["special_tokens"] = [
        {"rank": rank, "token_str": text, "is_control": True}
        for rank, text in enumerate(special_token_strings())
    ]
    return data


@dataclass(frozen=True)
class TekkenVocab:
    """Byte-level BPE ranks of a Tekken file, in the shape llama.cpp's GGUF vocabulary needs."""

    ranked_bytes: tuple[bytes, ...]  # rank -> token bytes, NUM_SPECIAL_TOKENS ids below them

    @classmethod
    def load(cls, path: Path) -> TekkenVocab:
        data = json.loads(path.read_text(encoding="utf-8"))
        n_regular = VOCAB_SIZE - NUM_SPECIAL_TOKENS
        entries = sorted(data["vocab"], key=lambda entry: entry["rank"])[:n_regular]
        return cls(tuple(base64.b64decode(entry["token_bytes"]) for entry in entries))

    @classmethod
    def minimal(cls) -> TekkenVocab:
        """The 256 single bytes and a few common pairs (llama.cpp needs merges): every text
        tokenizes. For models written without mistral-common's vocabulary file (the self-test)."""
        pairs = (b"th", b"he", b"in", b"er", b"an", b" t")
        return cls((*(bytes([b]) for b in range(256)), *pairs))

    @property
    def size(self) -> int:
        return NUM_SPECIAL_TOKENS + len(self.ranked_bytes)

    @cached_property
    def _byte_to_unicode(self) -> dict[int, str]:
        printable = [
            *range(ord("!"), ord("~") + 1),
            *range(ord("¡"), ord("¬") + 1),
            *range(ord("®"), ord("ÿ") + 1),
        ]
        mapping = {b: chr(b) for b in printable}
        extra = 0
        for b in range(256):
            if b not in mapping:
                mapping[b] = chr(256 + extra)
                extra += 1
        return mapping

    def _as_text(self, token: bytes) -> str:
        table = self._byte_to_unicode
        return "".join(table[b] for b in token)

    def gguf_tokens(self) -> list[str]:
        """All token strings: control tokens first, then the byte-level BPE tokens."""
        return special_token_strings() + [self._as_text(t) for t in self.ranked_bytes]

    def gguf_merges(self) -> list[str]:
        """BPE merges in priority order: every way to build each token from two shorter tokens."""
        rank_of = {token: rank for rank, token in enumerate(self.ranked_bytes)}
        merges: list[str] = []
        for token in self.ranked_bytes:
            if len(token) < 2:
                continue
            splits = [
                (rank_of[token[:i]], rank_of[token[i:]], i)
                for i in range(1, len(token))
                if token[:i] in rank_of and token[i:] in rank_of
            ]
            for _, _, i in sorted(splits):
                merges.append(f"{self._as_text(token[:i])} {self._as_text(token[i:])}")
        return merges
