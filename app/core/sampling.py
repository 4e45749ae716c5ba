"""Sampling settings, with Mistral's recommendation for Small 3.2 as the defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SamplingParams:
    temperature: float = 0.15
    top_p: float = 1.0
    top_k: int = 0  # 0 = off
    min_p: float = 0.0  # 0 = off
    repeat_penalty: float = 1.0  # 1 = off
    seed: int | None = None  # None = a fresh random seed per answer
    max_tokens: int = 4096
    repetition_guard: bool = True
    grammar: str | None = None  # GBNF the answer must follow (structured output), None = free
    speculative: bool = True  # check tokens drafted from the conversation (same answer, faster)
