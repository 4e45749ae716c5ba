"""Speculative decoding with drafts from the conversation itself, the answer left unchanged.

Each step evaluates the token just sampled together with up to k tokens drafted by prompt lookup
(`app.core.prompt_lookup`), in one batch that yields logits at every position. The sampler chain
then samples those positions in order, exactly as plain decoding would have sampled them one
step at a time, and keeps going while the sampled token equals the drafted one: the first token
that differs (or the one after the last draft) is the step's last, and the keys and values of
the drafts after it are removed from the KV cache.

Why the answer is the one plain decoding gives:
- greedy: every position's token is the argmax of the same logits;
- temperature sampling: each token is drawn by the same chain (penalties, grammar, top-k/top-p,
  temperature, the seeded draw) from the distribution of the same position, and drawing stops at
  the first token that differs from the draft, so no draw is spent on a position plain decoding
  never reaches. For a deterministic draft d this is the standard acceptance rule: d is kept with
  probability p(d), and otherwise the token comes from p without d, renormalized. It uses the
  random numbers in the same order too, so a seeded answer is the same token for token, as long
  as no draw falls within the rounding by which llama.cpp's batched and one-token evaluations of
  a position differ. When the chain runs on the device, llama.cpp draws one random number per
  position from a copy of the generator and advances the generator itself only for the tokens
  accepted, to the same effect.

How much to draft is up to `app.core.draft_length.DraftLength`, from the recent acceptance rate
and the measured cost of a step; where drafting does not pay it stops.
"""

from __future__ import annotations

import contextlib
import ctypes
import time
from collections.abc import Callable, Sequence
from itertools import chain

import llama_cpp

from app.core.draft_length import DraftLength
from app.core.prompt_lookup import PromptLookup
from app.engine.kv_sequence import KvItem, KvSequence
from app.engine.llama_defaults import amended_defaults
from app.engine.sampler import SamplerChain

Decode = Callable[[Sequence[int], "llama_cpp.llama_batch | None"], None]
STEP_OUTPUTS = DraftLength.max_draft + 1  # the most positions one step samples


def step_outputs_on_device() -> contextlib.AbstractContextManager[None]:
    """While open, a `llama_cpp.Llama` made gets a context whose sampler chain, when it runs on
    the device, may sample `STEP_OUTPUTS` positions of one batch (llama.cpp's default is one;
    llama-cpp-python takes no argument for it)."""
    return amended_defaults("llama_context_default_params", n_outputs_max_per_seq=STEP_OUTPUTS)


class OutputBatch:
    """A batch of sequence 0 in which every token yields logits (or a token sampled on the
    device). Its arrays are Python-owned, so nothing needs freeing."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._tokens = (llama_cpp.llama_token * capacity)()
        self._positions = (llama_cpp.llama_pos * capacity)()
        self._seq_counts = (ctypes.c_int32 * capacity)(*([1] * capacity))
        self._sequence = (llama_cpp.llama_seq_id * 1)(0)
        pointer = ctypes.POINTER(llama_cpp.llama_seq_id)
        self._seq_ids = (pointer * capacity)(*([ctypes.cast(self._sequence, pointer)] * capacity))
        self._outputs = (ctypes.c_int8 * capacity)(*([1] * capacity))
        self._batch = llama_cpp.llama_batch(
            0,  # n_tokens, set by fill()
            ctypes.cast(self._tokens, ctypes.POINTER(llama_cpp.llama_token)),
            None,  # no embeddings
            ctypes.cast(self._positions, ctypes.POINTER(llama_cpp.llama_pos)),
            ctypes.cast(self._seq_counts, ctypes.POINTER(ctypes.c_int32)),
            ctypes.cast(self._seq_ids, ctypes.POINTER(pointer)),
            ctypes.cast(self._outputs, ctypes.POINTER(ctypes.c_int8)),
        )

    def fill(self, tokens: Sequence[int], first_position: int) -> llama_cpp.llama_batch:
        if len(tokens) > self.capacity:
            raise ValueError(f"{len(tokens)} tokens do not fit a batch of {self.capacity}")
        for index, token in enumerate(tokens):
            self._tokens[index] = token
            self._positions[index] = first_position + index
        self._batch.n_tokens = len(tokens)
        return self._batch


class Speculator:
    """The token source of one answer's decode loop: `next()` gives the next token, `advance(t)`
    makes the model go on after `t`, `finish()` leaves the KV cache as plain decoding would.

    `decode(tokens, batch)` evaluates `tokens` (through `batch` when given, else one output for
    the last token) and records them in `cache`; `cut(n)` keeps the first n items of the cache.
    Without `control`, every step is a plain one-token step.
    """

    def __init__(
        self,
        chain: SamplerChain,
        ctx: llama_cpp.llama_context_p,
        cache: KvSequence,
        decode: Decode,
        cut: Callable[[int], None],
        *,
        prompt: Sequence[KvItem],
        max_tokens: int,
        control: DraftLength | None,
        batch: OutputBatch,
    ) -> None:
        self._chain = chain
        self._ctx = ctx
        self._cache = cache
        self._decode = decode
        self._cut = cut
        self._control = control
        self._batch = batch
        self._max_tokens = max_tokens
        self._prompt = prompt
        self._answer: list[int] = []
        self._lookup: PromptLookup | None = None  # made when first drafting: the first token
        # is not kept waiting for a long prompt to be indexed
        self._start = len(cache)  # items of the prompt
        self._produced = 0  # tokens sampled, the end of sequence included
        self._draft: list[int] = []  # the drafted tokens of the batch being sampled
        self._cursor = 0  # its next output to sample
        self._batch_start = 0  # cache items before that batch
        self._in_cache = False  # the last token is an accepted draft, already evaluated
        self._advanced = False  # advance() was called for the last token
        self._resolved_at: float | None = None
        self.drafted = 0
        self.accepted = 0
        self.steps = 0  # decoding steps after the prompt

    def next(self) -> int:
        index = self._cursor if self._draft else -1
        token = self._chain.sample(self._ctx, index)
        self._produced += 1
        self._advanced = False
        if self._lookup is not None:
            self._lookup.append(token)
        elif self._control is not None:
            self._answer.append(token)
        if self._cursor < len(self._draft) and token == self._draft[self._cursor]:
            self._cursor += 1
            self._in_cache = True
            return token
        self._resolve()
        self._in_cache = False
        return token

    def advance(self, token: int) -> None:
        self._advanced = True
        if self._in_cache:
            return  # an accepted draft: its keys and values are in the cache already
        length = 0
        if self._control is not None:
            room = min(self._max_tokens - self._produced, self._batch.capacity) - 1
            length = min(self._control.next_length(), room)
        draft = self._context().draft(length) if length > 0 else []
        self._batch_start = len(self._cache)
        self.steps += 1
        if draft:
            tokens = [token, *draft]
            self._decode(tokens, self._batch.fill(tokens, self._cache.positions))
        else:
            self._decode((token,), None)
        self._draft = draft
        self._cursor = 0

    def finish(self) -> None:
        """Remove drafts evaluated past the answer's end: the cache then holds what plain
        decoding leaves, the prompt and the answer's tokens up to the last one advanced past."""
        keep = self._start + self._produced - (0 if self._advanced else 1)
        if len(self._cache) > keep:
            self._cut(keep)
        self._draft = []

    def speedup(self, generated: int, seconds: float) -> float:
        """The answer's speed against one-token steps at the measured time of one."""
        step_s = self._control.step_s if self._control is not None else None
        if not self.drafted or step_s is None or seconds <= 0:
            return 1.0
        return generated * step_s / seconds

    def _context(self) -> PromptLookup:
        if self._lookup is None:
            items = (t if isinstance(t, int) else None for t in chain(self._prompt, self._answer))
            self._lookup = PromptLookup(items, self._max_tokens + 1)
        return self._lookup

    def _resolve(self) -> None:
        """The batch has given its last token: drop the drafts after it, learn from the step."""
        now = time.perf_counter()
        drafted, kept = len(self._draft), self._cursor
        if drafted:
            if kept < drafted:
                self._cut(self._batch_start + 1 + kept)
            self.drafted += drafted
            self.accepted += kept
        if self._control is not None and self._resolved_at is not None:
            if drafted:
                self._control.record_checked(drafted, kept, now - self._resolved_at)
            else:
                self._control.record_plain(now - self._resolved_at)
        self._resolved_at = now
        self._draft = []
        self._cursor = 0
