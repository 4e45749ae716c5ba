"""The typed messages between the GUI process and the engine process.

Every command and event is a frozen dataclass sent whole through a `multiprocessing` pipe.
Cancellation does not travel through the pipe: it is a shared flag the worker polls per token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from app.core.context_fit import FitPolicy, PromptFit
from app.core.device_memory import GpuMemory
from app.core.kv_cache import KvCacheType
from app.core.messages import ChatMessage, ToolSpec
from app.core.sampling import SamplingParams
from app.core.structured_output import StructuredOutput


class Backend(StrEnum):
    METAL = "Metal"
    CUDA = "CUDA"
    CPU = "CPU"
    REMOTE = "server"  # an OpenAI-compatible server answers


class FinishReason(StrEnum):
    STOP = "stop"  # end of sequence
    LENGTH = "length"  # max tokens or the end of the context
    CANCELLED = "cancelled"
    REPETITION = "repetition"  # the infinite-generation guard fired
    ERROR = "error"


class ErrorKind(StrEnum):
    FILE_NOT_FOUND = "file_not_found"
    NOT_GGUF = "not_gguf"
    TRUNCATED = "truncated"
    UNSUPPORTED_ARCHITECTURE = "unsupported_architecture"
    CONTEXT_TOO_LARGE = "context_too_large"  # n_ctx above the model's trained context
    BAD_MMPROJ = "bad_mmproj"
    BAD_IMAGE = "bad_image"  # an image of the conversation cannot be read or encoded
    OUT_OF_MEMORY = "out_of_memory"
    LOAD_FAILED = "load_failed"
    NO_MODEL = "no_model"
    TEMPLATE = "template"  # missing or failing chat template
    REFUSED = "refused"  # a conversation Mistral's prompt format does not accept
    GRAMMAR = "grammar"  # a grammar, schema or tool choice the answer cannot be held to
    PROMPT_TOO_LONG = "prompt_too_long"  # prompt does not fit n_ctx minus the answer budget
    ENGINE_CRASHED = "engine_crashed"
    INTERNAL = "internal"


# ---- commands (GUI -> engine) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadModel:
    model_path: Path
    mmproj_path: Path | None = None
    n_ctx: int = 32768
    n_gpu_layers: int = -1  # -1 = all layers the backend can take
    flash_attention: bool = True
    kv_cache_type: KvCacheType = KvCacheType.F16
    offload_kqv: bool = True  # False: the KV cache and attention stay in system memory
    use_builtin_template: bool = False  # the user accepted the built-in Mistral Small 3.2 template


@dataclass(frozen=True, slots=True)
class Generate:
    request_id: int
    messages: tuple[ChatMessage, ...]
    sampling: SamplingParams = field(default_factory=SamplingParams)
    tools: tuple[ToolSpec, ...] = ()
    system_prompt: str | None = None  # None = the model's own default system prompt
    continue_last: bool = False  # continue the last assistant message instead of a new answer
    conversation_id: int | None = None  # whose history this is (its KV snapshot); None: nobody's
    today: date | None = None  # the date the template writes (the conversation's); None: today
    stop: tuple[str, ...] = ()  # the answer ends before the first of these (not written)
    output: StructuredOutput | None = None  # a shape the answer must take (made a grammar)
    # counted and fitted first, answered by `PromptFitted` before anything else; None: as it is
    fit: FitPolicy | None = None


@dataclass(frozen=True, slots=True)
class CountTokens:
    request_id: int
    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolSpec, ...] = ()
    system_prompt: str | None = None
    today: date | None = None


@dataclass(frozen=True, slots=True)
class Prefill:
    """Evaluate a prompt into the KV cache before it is sent, while the user is still writing
    its last message, so that sending it leaves almost nothing to evaluate. Answered by one
    `Prefilled`, never by an error; any command arriving meanwhile stops it where it is."""

    request_id: int
    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolSpec, ...] = ()
    system_prompt: str | None = None
    conversation_id: int | None = None
    today: date | None = None


@dataclass(frozen=True, slots=True)
class ConfigureSnapshots:
    """Keep conversations' KV snapshots in `folder` under `budget_bytes` (None: keep none).
    Holds for every model loaded after it; answered by `SnapshotUsage`."""

    folder: Path | None
    budget_bytes: int


@dataclass(frozen=True, slots=True)
class DeleteSnapshots:
    """Delete these conversations' snapshots (deleted conversations); None: all of them.
    Answered by `SnapshotUsage`."""

    conversation_ids: tuple[int, ...] | None


@dataclass(frozen=True, slots=True)
class QuerySnapshots:
    """Answered by `SnapshotUsage`."""


@dataclass(frozen=True, slots=True)
class Unload:
    pass


@dataclass(frozen=True, slots=True)
class QueryStatus:
    pass


@dataclass(frozen=True, slots=True)
class Shutdown:
    pass


Command = (
    LoadModel
    | Generate
    | CountTokens
    | Prefill
    | ConfigureSnapshots
    | DeleteSnapshots
    | QuerySnapshots
    | Unload
    | QueryStatus
    | Shutdown
)


# ---- events (engine -> GUI) --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Loaded:
    model_path: Path
    model_name: str
    backend: Backend
    n_ctx: int
    n_ctx_train: int
    n_layers: int
    n_gpu_layers: int  # layers actually offloaded
    memory_bytes: int  # weights + KV cache + compute buffers, as llama.cpp reports them
    has_vision: bool
    template_source: str  # "model" or "builtin"
    gpus: tuple[GpuMemory, ...] = ()  # read after the load; own_bytes is what it took
    offload_kqv: bool = True


@dataclass(frozen=True, slots=True)
class Unloaded:
    pass


@dataclass(frozen=True, slots=True)
class TokenDelta:
    request_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int  # tokens of the whole prompt
    cached_tokens: int  # of which were already in the KV cache
    completion_tokens: int
    time_to_first_token_s: float
    prompt_tokens_per_s: float  # over the tokens actually evaluated
    generation_tokens_per_s: float
    images_encoded: int = 0  # images that had to be encoded (not already in the KV cache)
    draft_tokens: int = 0  # tokens drafted from the conversation and checked by the model
    accepted_tokens: int = 0  # of which the model agreed with
    speculative_speedup: float = 1.0  # against one token per step, at its measured time
    decode_steps: int = 0  # llama_decode calls after the prompt (one per token without drafts)


@dataclass(frozen=True, slots=True)
class Finished:
    request_id: int
    reason: FinishReason
    text: str  # the whole answer, as the deltas added up
    usage: Usage


@dataclass(frozen=True, slots=True)
class TokenCount:
    request_id: int
    tokens: int
    n_ctx: int
    image_tokens: tuple[int, ...] = ()  # what each image takes, in the conversation's order


@dataclass(frozen=True, slots=True)
class PromptFitted:
    """The first answer to a `Generate` with a fit policy: how its prompt fits. When `sent`,
    the answer follows without the turns left out; else nothing more comes for it."""

    request_id: int
    n_ctx: int
    fit: PromptFit
    sent: bool


@dataclass(frozen=True, slots=True)
class Prefilled:
    request_id: int
    positions: int  # of the whole prompt (0 when it could not be read)
    evaluated: int  # positions this command evaluated
    images_encoded: int
    complete: bool  # False: stopped by a command that came in, or the prompt cannot be sent


@dataclass(frozen=True, slots=True)
class ReadProgress:
    """How far the reading of a long prompt is (sent a few times a second while it lasts)."""

    request_id: int
    done: int  # positions of the prompt in the KV cache
    total: int  # positions of the prompt
    seconds_left: float | None  # None until the speed is known
    restored: bool = False  # the history came from its snapshot


@dataclass(frozen=True, slots=True)
class SnapshotUsage:
    files: int
    bytes: int
    notice: str = ""  # for the user, once: why snapshots stopped being saved
    last_save_bytes: int = 0  # the latest snapshot written, and how long writing it took
    last_save_s: float = 0.0


@dataclass(frozen=True, slots=True)
class StatusReport:
    loaded: Loaded | None
    busy: bool
    gpus: tuple[GpuMemory, ...] = ()  # the latest reading: at the engine's start or after a load


@dataclass(frozen=True, slots=True)
class EngineError:
    kind: ErrorKind
    message: str
    request_id: int | None = None
    detail: str = ""  # stderr tail, traceback or template error text


Event = (
    Loaded
    | Unloaded
    | TokenDelta
    | Finished
    | TokenCount
    | PromptFitted
    | Prefilled
    | ReadProgress
    | SnapshotUsage
    | StatusReport
    | EngineError
)
