"""The words around a message, in the user's language: who wrote it, its state, its statistics,
and what a screen reader says of it and of its images."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.core.conversation import AnswerMeta, MessageNode, MessageState, TurnView
from app.core.i18n import tr, translate
from app.core.locale_format import format_number, format_percent, format_size, format_time
from app.core.messages import Role, ToolCall


def state_mark(state: MessageState) -> str:
    """What the answer's state means for the reader; empty for a finished answer."""
    marks = {
        MessageState.CANCELLED: translate("MessageWidget", "Stopped"),
        MessageState.LENGTH: translate("MessageWidget", "Cut off at the length limit"),
        MessageState.REPETITION: translate(
            "MessageWidget", "Stopped: the model was repeating itself"
        ),
        MessageState.ERROR: translate(
            "MessageWidget", "The engine failed while writing this answer"
        ),
        MessageState.INTERRUPTED: translate(
            "MessageWidget", "Interrupted: Tramontane closed while this was written"
        ),
    }
    return marks.get(state, "")


def _tokens(n: int) -> str:
    return tr("%n token(s)", None, n)


def describe_meta(meta: AnswerMeta) -> str:
    """The footer of an answer: model and quant, tokens, speed, time to first token."""
    model = " · ".join(part for part in (meta.model_file, meta.quant or "") if part)
    first = (
        translate("MessageWidget", "first token {seconds} s").format(
            seconds=format_number(meta.time_to_first_token_s, 2)
        )
        if meta.time_to_first_token_s
        else ""
    )
    parts = [
        model,
        _tokens(meta.completion_tokens),
        translate("MessageWidget", "{speed} tokens/s").format(
            speed=format_number(meta.tokens_per_s, 1)
        ),
        first,
        describe_drafts(meta),
    ]
    return "  ·  ".join(part for part in parts if part)


def describe_drafts(meta: AnswerMeta) -> str:
    """How much drafting from the conversation helped, when it was tried."""
    if not meta.draft_tokens:
        return ""
    kept = meta.accepted_tokens / meta.draft_tokens
    return translate("MessageWidget", "{kept} of drafted tokens kept, {speedup}× the speed").format(
        kept=format_percent(kept), speedup=format_number(meta.speculative_speedup, 2)
    )


def describe_call(call: ToolCall) -> str:
    return translate("MessageWidget", "Called {name} with {arguments}").format(
        name=call.name, arguments=call.arguments
    )


def speaker(node: MessageNode) -> str:
    """Who wrote the message, as a screen reader names it."""
    role = node.message.role
    if role is Role.USER:
        return translate("MessageWidget", "You")
    if role is Role.ASSISTANT:
        return translate("MessageWidget", "Mistral")
    if role is Role.TOOL:
        name = node.message.name
        return (
            translate("MessageWidget", "Tool {name}").format(name=name)
            if name
            else translate("MessageWidget", "Tool")
        )
    return translate("MessageWidget", "System prompt")


def shown_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return format_time(moment.astimezone() if moment.tzinfo is not None else moment)


def accessible_name(node: MessageNode) -> str:
    """ "Mistral, 12:04": who wrote the message and when."""
    time = shown_time(node.created_at)
    if not time:
        return speaker(node)
    return translate("MessageWidget", "{speaker}, {time}").format(speaker=speaker(node), time=time)


def _images(n: int) -> str:
    return tr("%n image(s) attached", None, n)


def _documents(n: int) -> str:
    return tr("%n document(s) attached", None, n)


def accessible_description(turn: TurnView, *, streaming: bool) -> str:
    """Everything said of a message besides its text: state, statistics, versions, marks."""
    node, message = turn.node, turn.node.message
    parts = []
    if streaming:
        parts.append(translate("MessageWidget", "Being written"))
    elif message.role is not Role.USER:
        parts.append(state_mark(node.state))
    if node.meta is not None and message.role is Role.ASSISTANT and not streaming:
        parts.append(describe_meta(node.meta))
    if message.images:
        parts.append(_images(len(message.images)))
    if message.documents:
        parts.append(_documents(len(message.documents)))
    if turn.alternatives > 1:
        parts.append(
            translate("MessageWidget", "Version {number} of {count}").format(
                number=turn.alternative, count=turn.alternatives
            )
        )
    if node.left_out:
        parts.append(translate("MessageWidget", "Left out of the context"))
    return ". ".join(part.strip() for part in parts if part)


def image_title(number: int, count: int) -> str:
    return translate("MessageWidget", "Attached image {number} of {count}").format(
        number=number, count=count
    )


def image_description(path: Path, width: int = 0, height: int = 0) -> str:
    """File name and size of an image (and its pixels once known), for screen readers."""
    try:
        size = format_size(path.stat().st_size)
    except OSError:
        return translate("MessageWidget", "{file}, missing").format(file=path.name)
    if width and height:
        return translate("MessageWidget", "{file}, {size}, {width} × {height} pixels").format(
            file=path.name, size=size, width=width, height=height
        )
    return translate("MessageWidget", "{file}, {size}").format(file=path.name, size=size)
