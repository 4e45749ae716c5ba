"""An answer as it streams, and the facts kept with it once it ends."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.core.conversation import AnswerMeta, ConversationId, MessageId, MessageState
from app.core.model_file import describe_model_file
from app.core.tool_calls import ToolCallStream
from app.engine.protocol import FinishReason, Usage

STATE_OF_REASON = {
    FinishReason.STOP: MessageState.COMPLETE,
    FinishReason.LENGTH: MessageState.LENGTH,
    FinishReason.CANCELLED: MessageState.CANCELLED,
    FinishReason.REPETITION: MessageState.REPETITION,
    FinishReason.ERROR: MessageState.ERROR,
}


@dataclass
class Stream:
    request_id: int
    conversation_id: ConversationId
    message_id: MessageId
    base_text: str  # text already there when continuing
    text: str = ""  # as shown: tool calls are taken out
    calls: ToolCallStream | None = None  # when tools were offered

    @property
    def full_text(self) -> str:
        return self.base_text + self.text


def answer_meta(usage: Usage, model_path: Path | None) -> AnswerMeta:
    """What is kept with an answer: its size, speed, and the model file that wrote it."""
    return AnswerMeta(
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        tokens_per_s=usage.generation_tokens_per_s,
        model_file=model_path.name if model_path else "",
        quant=describe_model_file(model_path).quant if model_path else None,
        time_to_first_token_s=usage.time_to_first_token_s,
        draft_tokens=usage.draft_tokens,
        accepted_tokens=usage.accepted_tokens,
        speculative_speedup=usage.speculative_speedup,
    )
