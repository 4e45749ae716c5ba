"""What the chat controller tells the window; its parts (the turn, the tool round) say it too."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChatSignals(QObject):
    busy_changed = Signal(bool)
    conversation_changed = Signal(object)  # ConversationId | None
    conversations_changed = Signal()  # titles, order or the list itself changed
    context_changed = Signal(int, int, bool)  # tokens used, n_ctx, exact
    image_tokens_changed = Signal(object)  # tuple[int, ...]: what each image of it takes
    speed_changed = Signal(object)  # tokens/s of the last answer, or None
    failed = Signal(str)  # something the user must know went wrong
    info = Signal(str)
    approval_needed = Signal(object)  # ToolApproval
    tool_started = Signal(object)  # ToolCall now running
    tool_ended = Signal()  # no call is waiting or running any more
