"""llama.cpp's C sampler chain from `SamplingParams`, minus the samplers that do nothing.

On a GPU the chain runs inside the model's graph ("backend sampling"): the device draws the token
and hands back one integer instead of 131,072 logits for the CPU to sort through, which would
otherwise cost about 2 ms a token while the GPU waits.
"""

from __future__ import annotations

import llama_cpp

from app.core.i18n import translate
from app.core.sampling import SamplingParams

RANDOM_SEED = llama_cpp.LLAMA_DEFAULT_SEED  # llama.cpp picks a fresh seed


class InvalidGrammar(ValueError):
    """A GBNF grammar llama.cpp cannot parse (its log says where)."""


def sampler_stages(params: SamplingParams) -> list[str]:
    """The stages the chain will run, in order (also what tests and the bench report)."""
    constrained = ["grammar"] if params.grammar else []
    if params.temperature <= 0:
        penalties = ["penalties"] if params.repeat_penalty != 1.0 else []
        return [*constrained, *penalties, "greedy"]
    stages = constrained
    if params.repeat_penalty != 1.0:
        stages.append("penalties")
    if params.top_k > 0:
        stages.append("top_k")
    if params.top_p < 1.0:
        stages.append("top_p")
    if params.min_p > 0:
        stages.append("min_p")
    stages += ["temp", "dist"]
    return stages


def chain_settings(params: SamplingParams) -> tuple[object, ...]:
    """What a chain is built from: two params with equal settings can share one chain."""
    return (
        params.temperature,
        params.top_p,
        params.top_k,
        params.min_p,
        params.repeat_penalty,
        params.seed,
        params.grammar,
    )


class SamplerChain:
    """Owns a llama.cpp sampler chain; sampling happens entirely in C (or on the GPU)."""

    def __init__(self, params: SamplingParams, vocab: llama_cpp.llama_vocab_p) -> None:
        self.settings = chain_settings(params)
        self._device_ctx: llama_cpp.llama_context_p | None = None
        self._constrained = bool(params.grammar)
        grammar = None
        if params.grammar:  # first: a grammar llama.cpp refuses leaves nothing to free
            grammar = llama_cpp.llama_sampler_init_grammar(
                vocab, params.grammar.encode("utf-8"), b"root"
            )
            if not grammar:
                raise InvalidGrammar(
                    translate(
                        "SamplerChain", "the grammar could not be parsed (GBNF, with a root rule)"
                    )
                )
        chain_params = llama_cpp.llama_sampler_chain_default_params()
        chain_params.no_perf = True
        self._chain = llama_cpp.llama_sampler_chain_init(chain_params)
        seed = RANDOM_SEED if params.seed is None else params.seed & 0xFFFFFFFF
        builders = {
            "penalties": lambda: llama_cpp.llama_sampler_init_penalties(
                64, params.repeat_penalty, 0.0, 0.0
            ),
            "top_k": lambda: llama_cpp.llama_sampler_init_top_k(params.top_k),
            "top_p": lambda: llama_cpp.llama_sampler_init_top_p(params.top_p, 1),
            "min_p": lambda: llama_cpp.llama_sampler_init_min_p(params.min_p, 1),
            "temp": lambda: llama_cpp.llama_sampler_init_temp(params.temperature),
            "dist": lambda: llama_cpp.llama_sampler_init_dist(seed),
            "greedy": llama_cpp.llama_sampler_init_greedy,
            "grammar": lambda: grammar,
        }
        for stage in sampler_stages(params):
            llama_cpp.llama_sampler_chain_add(self._chain, builders[stage]())

    @property
    def on_device(self) -> bool:
        return self._device_ctx is not None

    def run_on_device(self, ctx: llama_cpp.llama_context_p) -> bool:
        """Attach the chain to `ctx`, so each decode samples its last token on the device.
        A grammar needs the CPU: it walks the vocabulary's text."""
        if self._constrained:
            return False
        if llama_cpp.llama_set_sampler(ctx, 0, self._chain):
            self._device_ctx = ctx
            return True
        return False

    def restart(self) -> None:
        """Start a new answer: fresh penalty history, the random generator re-seeded."""
        llama_cpp.llama_sampler_reset(self._chain)

    def sample(self, ctx: llama_cpp.llama_context_p, index: int = -1) -> int:
        """Sample from the logits of the last batch's output `index` (by default its last) and
        accept the token."""
        return int(llama_cpp.llama_sampler_sample(self._chain, ctx, index))

    def close(self) -> None:
        if self._device_ctx is not None:
            llama_cpp.llama_set_sampler(self._device_ctx, 0, None)
            self._device_ctx = None
        if self._chain is not None:
            llama_cpp.llama_sampler_free(self._chain)
            self._chain = None
