"""The decode loop around one loaded `llama_cpp.Llama`: KV-prefix reuse, C sampling, streaming.

Runs inside the engine process. The prompt is evaluated from the first token that differs from
what the KV cache already holds, so a follow-up turn costs only its new tokens, and editing
message k re-evaluates from message k on.
"""

from __future__ import annotations

import codecs
import ctypes
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp

from app.core.draft_length import DraftLength
from app.core.i18n import translate
from app.core.messages import ImagePart
from app.core.repetition import RepetitionGuard
from app.core.sampling import SamplingParams
from app.core.structured_output import StopMatcher
from app.engine.kv_sequence import ImageChunk, KvItem, KvSequence, width
from app.engine.pacing import ChunkPacer
from app.engine.prompt import ImageSlot, PromptItem, TokenMemo, tokenize_parts
from app.engine.protocol import FinishReason, Usage
from app.engine.sampler import SamplerChain, chain_settings
from app.engine.speculative import STEP_OUTPUTS, OutputBatch, Speculator
from app.engine.template import ChatTemplate, PromptPart
from app.engine.tokenizer import model_tokenizer
from app.engine.vision import ImageFailed, VisionEncoder

Progress = Callable[[int, int], None]  # (positions in the KV cache, positions of the prompt)
PROMPT_CHUNK_S = 1.0  # a prompt being answered is read in chunks of about this long (Stop)
FIRST_PROMPT_CHUNK = 512  # one micro-batch: a short prompt goes in one call, as before


class PromptTooLong(Exception):
    def __init__(self, prompt_tokens: int, budget: int, n_ctx: int) -> None:
        over = prompt_tokens + budget - n_ctx
        super().__init__(
            translate(
                "Session",
                "The conversation needs {prompt} tokens plus {budget} for the answer, {over} "
                "more than the context of {context} tokens.",
            ).format(
                prompt=f"{prompt_tokens:,}",
                budget=f"{budget:,}",
                over=f"{over:,}",
                context=f"{n_ctx:,}",
            )
        )
        self.over_by = over


class ImagesNeedProjector(Exception):
    pass


class DecodeFailed(Exception):
    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial  # the answer streamed before llama_decode failed


@dataclass(frozen=True)
class ReadAhead:
    positions: int  # of the prompt
    evaluated: int
    images_encoded: int
    complete: bool  # the whole prompt is in the KV cache


@dataclass(frozen=True)
class Outcome:
    reason: FinishReason
    text: str
    usage: Usage


class PieceDecoder:
    """Token ids to text, one token at a time. A character whose UTF-8 bytes are spread over
    several tokens comes out whole with the token that completes it, never as a broken piece."""

    def __init__(self, vocab: llama_cpp.llama_vocab_p, *, control_tokens: bool = False) -> None:
        self._vocab = vocab
        self._special = control_tokens  # write [TOOL_CALLS] and the like as their text
        self._buffer = ctypes.create_string_buffer(256)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def _piece(self, token: int) -> bytes:
        special = self._special
        size = llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, 256, 0, special)
        if size >= 0:
            return self._buffer.raw[:size]
        larger = ctypes.create_string_buffer(-size)
        size = llama_cpp.llama_token_to_piece(self._vocab, token, larger, -size, 0, special)
        return larger.raw[:size]

    def text(self, token: int) -> str:
        """The text `token` completes ("" while a character is still incomplete)."""
        return self._utf8.decode(self._piece(token))

    def rest(self) -> str:
        """What is left at the end: an incomplete character becomes U+FFFD."""
        return self._utf8.decode(b"", final=True)


class LlamaSession:
    def __init__(
        self,
        llm: llama_cpp.Llama,
        template: ChatTemplate,
        sample_on_device: bool = False,
        vision: VisionEncoder | None = None,
        drafting: DraftLength | None = None,
    ) -> None:
        self._llm = llm
        self._ctx = llm.ctx
        self._vocab = llama_cpp.llama_model_get_vocab(llm.model)
        self._memory = llama_cpp.llama_get_memory(self._ctx)
        self.template = template
        self.n_ctx = llama_cpp.llama_n_ctx(self._ctx)
        self._n_batch = max(1, llm.n_batch)
        self._cache = KvSequence()  # what the KV cache holds
        self._sample_on_device = sample_on_device
        self._sampler: SamplerChain | None = None
        self.tokenize = model_tokenizer(llm)
        self._token_memo = TokenMemo(self.tokenize)
        self.vision = vision
        self._images: dict[str, ImagePart] = {}  # the images of the prompt, by SHA-256
        self._draft_length = drafting or DraftLength()  # learns, answer by answer, what pays
        # On the device the chain samples at most n_outputs_max_per_seq positions of a batch
        # (0: no limit); a context made without `step_outputs_on_device` allows one: no drafts.
        outputs = llm.context_params.n_outputs_max_per_seq if sample_on_device else 0
        self._output_batch = OutputBatch(min(outputs or STEP_OUTPUTS, STEP_OUTPUTS))

    def close(self) -> None:
        """Free the model, its context and KV cache."""
        self._cache.clear()
        if self._sampler is not None:
            self._sampler.close()
            self._sampler = None
        if self.vision is not None:
            self.vision.close()
        self._llm.close()

    def _sampler_for(self, sampling: SamplingParams) -> SamplerChain:
        """The chain for `sampling`, kept between answers: attaching a new one to the device
        makes llama.cpp plan its graph again."""
        if self._sampler is not None and self._sampler.settings != chain_settings(sampling):
            self._sampler.close()
            self._sampler = None
        if self._sampler is None:
            self._sampler = SamplerChain(sampling, self._vocab)
            if self._sample_on_device:
                self._sampler.run_on_device(self._ctx)
        self._sampler.restart()
        return self._sampler

    def prompt_items(
        self, parts: Sequence[PromptPart], images: Sequence[ImagePart] = ()
    ) -> list[KvItem]:
        """The prompt as the KV cache will hold it: text tokens and images in their places.
        `images` are the conversation's images in the order the template places them."""
        self._token_memo.next_prompt()
        items: list[PromptItem] = tokenize_parts(parts, self._token_memo)
        if not any(isinstance(item, ImageSlot) for item in items):
            return [item for item in items if isinstance(item, int)]
        if self.vision is None:
            raise ImagesNeedProjector(
                translate(
                    "Session",
                    "This conversation has images; load the model with its vision projector "
                    "(mmproj).",
                )
            )
        prompt: list[KvItem] = []
        self._images = {}
        for item in items:
            if isinstance(item, int):
                prompt.append(item)
                continue
            image = images[item.index]
            self._images[image.sha256] = image
            prompt += self.vision.items_for(image)
        return prompt

    def evaluate(
        self,
        items: Sequence[KvItem],
        stop: Callable[[], bool] | None = None,
        progress: Progress | None = None,
        pacer: ChunkPacer | None = None,
    ) -> int:
        """Bring the KV cache to `items`; returns how many positions had to be evaluated.
        An image already in the cache at its place is neither read nor encoded again.
        With `stop`, the work goes in chunks (short ones unless `pacer` says otherwise) and ends
        early once `stop()` is true; the cache then holds a prefix of `items`. `progress` hears
        how far the cache is after each chunk."""
        keep = self._cache.reusable(items)
        if keep < len(self._cache):
            start = self._cache.truncate(keep)
            if not llama_cpp.llama_memory_seq_rm(self._memory, 0, start, -1):
                self._forget_all()
                keep = 0
        before = self._cache.positions
        if stop is not None and pacer is None:
            pacer = ChunkPacer(self._n_batch)
        total = sum(width(item) for item in items) if progress is not None else 0
        run: list[int] = []

        def flush() -> bool:
            """Decode the run; True when the caller wants the rest left undone."""
            started = time.perf_counter()
            self._decode(run)
            if pacer is not None:
                pacer.record(len(run), time.perf_counter() - started)
            run.clear()
            if progress is not None:
                progress(self._cache.positions, total)
            return stop is not None and stop()

        for item in items[keep:]:
            if isinstance(item, int):
                run.append(item)
                if len(run) == (pacer.size() if pacer is not None else self._n_batch) and flush():
                    break
                continue
            if run and flush():
                break
            self._encode_image(item)
            if progress is not None:
                progress(self._cache.positions, total)
            if stop is not None and stop():
                break
        else:
            if run:
                flush()
        return self._cache.positions - before

    def read_ahead(
        self, items: Sequence[KvItem], stop: Callable[[], bool], progress: Progress | None = None
    ) -> ReadAhead:
        """Evaluate a prompt that is not sent yet, stopping as soon as `stop()` is true."""
        positions = sum(width(item) for item in items)
        if positions >= self.n_ctx:
            return ReadAhead(positions, 0, 0, complete=False)
        encoded_before = self.vision.encoded if self.vision is not None else 0
        try:
            evaluated = self.evaluate(items, stop, progress)
        except (DecodeFailed, ImageFailed):
            evaluated = 0
        encoded = (self.vision.encoded if self.vision is not None else 0) - encoded_before
        complete = self._cache.positions == positions and len(self._cache) == len(items)
        return ReadAhead(positions, evaluated, encoded, complete)

    def _encode_image(self, chunk: ImageChunk) -> None:
        assert self.vision is not None
        start = self._cache.positions
        end = self.vision.evaluate(self._images[chunk.sha256], self._ctx, start, self._n_batch)
        if end != start + chunk.n_tokens:
            self._forget_all()
            raise DecodeFailed(f"the image took {end - start} positions, not {chunk.n_tokens}")
        self._cache.extend([chunk])

    def _forget_all(self) -> None:
        llama_cpp.llama_memory_clear(self._memory, True)
        self._cache.clear()

    def _decode(self, tokens: Sequence[int], batch: llama_cpp.llama_batch | None = None) -> None:
        """Evaluate `tokens`: through `batch` when given (it holds them), else with the logits
        of the last token only."""
        if batch is None:
            array = (llama_cpp.llama_token * len(tokens))(*tokens)
            batch = llama_cpp.llama_batch_get_one(array, len(tokens))
        status = llama_cpp.llama_decode(self._ctx, batch)
        if status != 0:
            # The cache may hold part of the batch now: forget it all rather than guess.
            self._forget_all()
            raise DecodeFailed(f"llama.cpp could not evaluate (llama_decode returned {status})")
        self._cache.extend(tokens)

    def _cut(self, keep: int) -> None:
        """Keep only the first `keep` items in the KV cache."""
        start = self._cache.truncate(keep)
        if not llama_cpp.llama_memory_seq_rm(self._memory, 0, start, -1):
            self._forget_all()

    def generate(
        self,
        tokens: Sequence[KvItem],
        sampling: SamplingParams,
        emit: Callable[[str], None],
        cancelled: Callable[[], bool],
        *,
        control_tokens: bool = False,
        stop: tuple[str, ...] = (),
        progress: Progress | None = None,
    ) -> Outcome:
        """Evaluate the prompt, then sample and stream until EOS, a limit, a loop, a `stop`
        string (not written) or cancel. With `control_tokens` (tools were offered),
        [TOOL_CALLS], [CALL_ID] and [ARGS] come out as text for the window to parse calls from.
        A cancel while the prompt is read stops the reading at the end of its chunk; `progress`
        hears how far the reading is."""
        positions = sum(width(item) for item in tokens)
        if positions + sampling.max_tokens > self.n_ctx:
            raise PromptTooLong(positions, sampling.max_tokens, self.n_ctx)
        encoded_before = self.vision.encoded if self.vision is not None else 0
        started = time.perf_counter()
        chain = self._sampler_for(sampling)  # before the prompt: its last decode draws on a device
        pacer = ChunkPacer(self._n_batch, target_s=PROMPT_CHUNK_S, first=FIRST_PROMPT_CHUNK)
        evaluated = self.evaluate(tokens, cancelled, progress, pacer)
        llama_cpp.llama_synchronize(self._ctx)  # on a GPU, decode returns before the work is done
        prompt_done = time.perf_counter()
        if cancelled():
            return self._cancelled_reading(positions, evaluated, started, encoded_before)
        guard = RepetitionGuard() if sampling.repetition_guard else None
        decoder = PieceDecoder(self._vocab, control_tokens=control_tokens)
        stops = StopMatcher(stop)
        pieces: list[str] = []
        generated = 0
        first_token_at = prompt_done
        reason = FinishReason.LENGTH
        overlap = chain.on_device  # decode returns at once when the model is on a GPU
        source = Speculator(
            chain,
            self._ctx,
            self._cache,
            self._decode,
            self._cut,
            prompt=tokens,
            max_tokens=sampling.max_tokens,
            control=self._draft_length if sampling.speculative else None,
            batch=self._output_batch,
        )
        try:
            token = source.next()
            first_token_at = time.perf_counter()
            while True:
                if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                    reason = FinishReason.STOP
                    break
                generated += 1
                text = stops.feed(decoder.text(token))
                pieces.append(text)
                last = generated >= sampling.max_tokens  # the prompt check keeps this in n_ctx
                if overlap and not last:
                    source.advance(token)  # runs on the GPU while this token is handled
                if text:
                    emit(text)
                if stops.stopped:
                    reason = FinishReason.STOP
                    break
                if guard is not None and guard.feed(token):
                    reason = FinishReason.REPETITION
                    break
                if cancelled():
                    reason = FinishReason.CANCELLED
                    break
                if last:
                    reason = FinishReason.LENGTH
                    break
                if not overlap:
                    source.advance(token)  # on the CPU it blocks: the token is shown first
                token = source.next()
            source.finish()
        except DecodeFailed as exc:
            raise DecodeFailed(str(exc), "".join(pieces)) from exc
        tail = stops.feed(decoder.rest()) + stops.rest()
        if tail:
            pieces.append(tail)
            emit(tail)
        finished = time.perf_counter()
        prompt_seconds = max(prompt_done - started, 1e-9)
        generation_seconds = max(finished - prompt_done, 1e-9)
        usage = Usage(
            prompt_tokens=positions,
            cached_tokens=positions - evaluated,
            completion_tokens=generated,
            time_to_first_token_s=first_token_at - started,
            prompt_tokens_per_s=evaluated / prompt_seconds,
            generation_tokens_per_s=generated / generation_seconds,
            images_encoded=(self.vision.encoded if self.vision is not None else 0) - encoded_before,
            draft_tokens=source.drafted,
            accepted_tokens=source.accepted,
            speculative_speedup=source.speedup(generated, finished - prompt_done),
            decode_steps=source.steps,
        )
        return Outcome(reason, "".join(pieces), usage)

    def _cancelled_reading(
        self, positions: int, evaluated: int, started: float, encoded_before: int
    ) -> Outcome:
        """Stop pressed while the prompt was read: what was read stays in the cache."""
        seconds = max(time.perf_counter() - started, 1e-9)
        usage = Usage(
            prompt_tokens=positions,
            cached_tokens=positions - evaluated,
            completion_tokens=0,
            time_to_first_token_s=0.0,
            prompt_tokens_per_s=evaluated / seconds,
            generation_tokens_per_s=0.0,
            images_encoded=(self.vision.encoded if self.vision is not None else 0) - encoded_before,
        )
        return Outcome(FinishReason.CANCELLED, "", usage)

    # ---- the KV state on disk ----------------------------------------------------------------

    def kv_items(self) -> tuple[KvItem, ...]:
        """What the KV cache holds, item by item."""
        return self._cache.items()

    def state_bytes(self) -> int:
        """The size llama.cpp's state of the sequence takes in a file (counted, not written)."""
        return int(llama_cpp.llama_state_seq_get_size(self._ctx, 0))

    def save_state(self, path: Path) -> int:
        """Write the sequence's KV state to `path`, streamed tensor by tensor (no copy of the
        whole state in memory); the bytes written, 0 when llama.cpp could not write them."""
        none = (llama_cpp.llama_token * 1)()
        return int(llama_cpp.llama_state_seq_save_file(self._ctx, str(path).encode(), 0, none, 0))

    def restore_state(self, path: Path, items: Sequence[KvItem]) -> bool:
        """Replace the KV cache with the state in `path`, which holds `items`. False (and an
        empty cache) when llama.cpp refuses the file."""
        self._forget_all()
        capacity = 1
        tokens = (llama_cpp.llama_token * capacity)()
        count = ctypes.c_size_t(0)
        read = llama_cpp.llama_state_seq_load_file(
            self._ctx, str(path).encode(), 0, tokens, capacity, ctypes.byref(count)
        )
        positions = sum(width(item) for item in items)
        held = llama_cpp.llama_memory_seq_pos_max(self._memory, 0) + 1
        if not read or held != positions:
            self._forget_all()
            return False
        self._cache.extend(items)
        return True

    def reusable_positions(self, items: Sequence[KvItem]) -> int:
        """How many positions of `items` the cache holds already."""
        return self._cache.position_of(self._cache.reusable(items))
