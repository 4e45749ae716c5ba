"""What a conversation's answers are asked with: its own settings, system prompt, date, tools."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.core.conversation import ConversationId, ConversationRecord, ConversationSnapshot
from app.core.i18n import translate
from app.core.messages import ChatMessage, ToolSpec
from app.core.sampling import SamplingParams
from app.core.system_prompt import MODEL_NAME, fill_system_prompt
from app.qt_bridge.chat_ports import ChatStore
from app.qt_bridge.draft_reader import DraftPrompt
from app.qt_bridge.engine_controller import EngineController
from app.qt_bridge.settings_controller import SettingsController
from app.qt_bridge.store_writes import StoreWrites, not_read
from app.qt_bridge.tool_box import ToolBox
from app.settings import ConversationOverrides, SettingsError, overrides_from_dict


@dataclass(frozen=True, slots=True)
class TurnSettings:
    """What an answer is asked with, read once per answer."""

    system_prompt: str | None
    sampling: SamplingParams
    today: date  # the conversation's date, which its prompt gives
    tools: tuple[ToolSpec, ...] = ()


class ConversationPrompt:
    def __init__(
        self,
        *,
        store: ChatStore,
        writes: StoreWrites,
        engine: EngineController,
        settings: SettingsController,
        tools: ToolBox | None,
        today: Callable[[], date],
        report: Callable[[str], None],
    ) -> None:
        self._tools = tools
        self._store = store
        self._writes = writes
        self._engine = engine
        self._settings = settings
        self._today = today
        self._report = report

    def record(self, conversation_id: ConversationId | None) -> ConversationRecord | None:
        """The conversation's record (None for a new conversation, or one that cannot be read)."""
        if conversation_id is None:
            return None
        found = conversation_id
        return self._writes.attempt(lambda: self._store.conversation(found), not_read)

    def turn_settings(self, conversation_id: ConversationId) -> TurnSettings:
        record = self.record(conversation_id)
        overrides = self.overrides(record.overrides if record else None)
        return TurnSettings(
            system_prompt=self.system_prompt(record, overrides),
            sampling=overrides.sampling_for(self._settings.settings),
            today=self.date_of(record),
            tools=self.offered_tools(),
        )

    def prompt_now(self, snapshot: ConversationSnapshot | None, *more: ChatMessage) -> DraftPrompt:
        """What the shown conversation (`snapshot`; None: a new one), with `more` after it,
        would ask the engine now."""
        path = snapshot.active_path if snapshot else []
        conversation_id = snapshot.conversation_id if snapshot else None
        record = self.record(conversation_id)
        return DraftPrompt(
            messages=(*(n.message for n in path if not n.left_out), *more),
            system_prompt=self.system_prompt(record),
            tools=self.offered_tools(),
            conversation_id=conversation_id,
            today=self.date_of(record),
        )

    def offered_tools(self) -> tuple[ToolSpec, ...]:
        if self._tools is None:
            return ()
        return self._tools.offered(self._settings.settings.tools)

    def overrides(self, data: dict[str, object] | None) -> ConversationOverrides:
        if data is None:
            return ConversationOverrides()
        try:
            return overrides_from_dict(data)
        except SettingsError as exc:
            self._report(
                translate(
                    "ConversationPrompt",
                    "This conversation's own settings are unusable ({reason}); they are ignored.",
                ).format(reason=exc)
            )
            return ConversationOverrides()

    def system_prompt(
        self, record: ConversationRecord | None, overrides: ConversationOverrides | None = None
    ) -> str | None:
        settings = self._settings.settings
        if overrides is None:
            overrides = self.overrides(record.overrides if record else None)
        template = overrides.system_prompt_for(settings)
        if template is None:
            return None
        loaded = self._engine.loaded_model
        return fill_system_prompt(
            template,
            model_name=loaded.model_name if loaded is not None else MODEL_NAME,
            user_name=settings.user_name,
            today=self.date_of(record),
        )

    def date_of(self, record: ConversationRecord | None) -> date:
        """The date a conversation's prompt gives: the day it started or was renewed, so its
        prefix, and its KV snapshot, stay valid past midnight."""
        if record is None or record.prompt_date is None:
            return self._today()
        return record.prompt_date
