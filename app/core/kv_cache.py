"""The element type of the model's KV cache: what the fit planner weighs and the engine loads."""

from __future__ import annotations

from enum import StrEnum


class KvCacheType(StrEnum):
    F16 = "f16"
    Q8_0 = "q8_0"
    Q4_0 = "q4_0"
