"""Chat flows through the real window and controllers, against the scripted engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.context_fit import ContextFit, droppable_turns
from app.core.conversation import MessageNode, MessageState
from app.core.messages import ChatMessage, Role
from app.core.sampling import SamplingParams
from app.engine.protocol import ErrorKind
from app.qt_bridge.chat_controller import title_from
from app.qt_bridge.chat_ports import ContextOverflowDecision, ContextOverflowFacts
from app.qt_bridge.text_batcher import TextBatcher
from app.settings import ContextOverflow, ConversationOverrides
from app.ui.composer import ComposerMode
from app.ui.context_dialog import ContextLimitDialog
from app.ui.main_window import MainWindow
from tests.qt.drive import load_model, send, view_of, wait_idle
from tests.qt.observed_store import ObservedStore
from tests.qt.scripted_engine import Script, fake_model_file


def the_conversation(store: ObservedStore) -> int:
    (record,) = store.list_conversations()
    return record.id


def test_send_streams_the_answer_and_stores_it_with_its_facts(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "What is the tramontane?")
    assert window.composer.text() == ""
    conversation_id = the_conversation(store)
    assert store.conversation(conversation_id).title == "What is the tramontane?"
    view = view_of(window)
    assert view.contents() == [("user", "What is the tramontane?"), ("assistant", script.answer)]
    answer = view.turns[-1].node
    assert answer.state is MessageState.COMPLETE
    assert view.streams[answer.id] == script.answer
    assert view.ended == [(answer.id, MessageState.COMPLETE)]
    meta = store.answer_meta(answer.id)
    assert meta is not None
    assert meta.model_file == "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf"
    assert meta.quant == "Q4_K_M"
    assert meta.completion_tokens > 0 and meta.tokens_per_s > 0
    assert window.status.speed_text.endswith("tokens/s")
    assert "/ 4,096 tokens" in window.status.context_format
    assert [r.title for r in window.sidebar.conversations.items()] == ["What is the tramontane?"]
    assert window.windowTitle() == "What is the tramontane? — Tramontane"
    generated = script.generated[-1]
    assert generated.system_prompt is None  # the model's own prompt
    assert generated.sampling.max_tokens == 256
    assert [m.role for m in generated.messages] == [Role.USER]


def test_a_second_message_continues_the_same_conversation(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "First")
    send(qtbot, window, "Second")
    assert len(store.list_conversations()) == 1
    assert [m.content for m in script.generated[-1].messages] == ["First", script.answer, "Second"]


def test_escape_stops_the_answer_and_keeps_what_was_written(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "word " * 400
    script.token_interval_s = 0.01
    send(qtbot, window, "Talk a lot", wait=False)
    view = view_of(window)
    qtbot.waitUntil(lambda: bool(view.streams) and len(next(iter(view.streams.values()))) > 20)
    assert window.composer.mode is ComposerMode.GENERATING
    assert window.commands.stop.isEnabled()
    qtbot.keyClick(window.composer._edit, Qt.Key.Key_Escape)
    wait_idle(qtbot, window)
    answer = view.turns[-1].node
    assert answer.state is MessageState.CANCELLED
    assert 0 < len(answer.message.content) < len(script.answer)
    stored = store.node_in(the_conversation(store), answer.id)
    assert stored.message.content == answer.message.content
    assert window.composer.mode is ComposerMode.READY
    assert window.commands.continue_answer.isEnabled()


def test_the_answer_is_saved_while_it_streams(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "slow " * 300
    script.token_interval_s = 0.01
    send(qtbot, window, "Take your time", wait=False)
    qtbot.waitUntil(
        lambda: any(state is MessageState.STREAMING and text for _, text, state in store.updates),
        timeout=4000,
    )
    window.chat.stop()
    wait_idle(qtbot, window)


def test_regenerate_keeps_earlier_answers_as_alternatives(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["First answer.", "Second answer."]
    send(qtbot, window, "Say something")
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    view = view_of(window)
    assert view.contents()[-1] == ("assistant", "Second answer.")
    assert (view.turns[-1].alternative, view.turns[-1].alternatives) == (2, 2)
    assert len(script.generated) == 2
    assert [m.content for m in script.generated[1].messages] == ["Say something"]

    view.alternative_requested.emit(view.turns[-1].node.id, -1)
    assert view.contents()[-1] == ("assistant", "First answer.")
    assert (view.turns[-1].alternative, view.turns[-1].alternatives) == (1, 2)
    view.alternative_requested.emit(view.turns[-1].node.id, -1)  # nothing before the first
    assert view.turns[-1].alternative == 1


def test_editing_a_user_message_makes_a_branch(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["About cats.", "About dogs.", "About birds."]
    send(qtbot, window, "Tell me about cats")
    send(qtbot, window, "More")
    view = view_of(window)
    first_user = view.turns[0].node
    view.edit_submitted.emit(first_user.id, "Tell me about birds")
    wait_idle(qtbot, window)
    assert view.contents() == [("user", "Tell me about birds"), ("assistant", "About birds.")]
    assert (view.turns[0].alternative, view.turns[0].alternatives) == (2, 2)
    assert [m.content for m in script.generated[-1].messages] == ["Tell me about birds"]

    view.alternative_requested.emit(view.turns[0].node.id, -1)
    assert [c for _, c in view.contents()] == [
        "Tell me about cats",
        "About cats.",
        "More",
        "About dogs.",
    ]


def test_a_cut_off_answer_can_be_continued(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    conversation = ConversationOverrides(sampling=SamplingParams(max_tokens=3))
    # The model reads the cut answer without its trailing space, as Mistral's encoder writes it,
    # so its continuation starts with one.
    script.answers = ["Ready.", "one two three four five", " four five"]
    send(qtbot, window, "Count")
    window.chat.set_overrides(the_conversation(store), conversation)
    view = view_of(window)
    window.chat.regenerate()
    wait_idle(qtbot, window)
    cut = view.turns[-1].node
    assert cut.state is MessageState.LENGTH
    assert cut.message.content == "one two three "
    assert window.commands.continue_answer.isEnabled()
    window.chat.set_overrides(the_conversation(store), ConversationOverrides())
    window.commands.continue_answer.trigger()
    wait_idle(qtbot, window)
    generated = script.generated[-1]
    assert generated.continue_last
    assert generated.messages[-1].role is Role.ASSISTANT
    assert generated.messages[-1].content == "one two three "
    final = view.turns[-1].node
    assert final.id == cut.id
    assert final.message.content == "one two three four five"
    assert final.state is MessageState.COMPLETE


def test_an_engine_crash_keeps_the_partial_answer_and_offers_a_restart(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.crash_after_tokens = 4
    send(qtbot, window, "Crash please")
    view = view_of(window)
    answer = store.node_in(the_conversation(store), view.turns[-1].node.id)
    assert answer.state is MessageState.ERROR
    assert answer.message.content == "".join(script.answer.split(" ")[i] + " " for i in range(4))
    assert window.notice.isVisible()
    assert "stopped unexpectedly" in window.notice.text
    assert "kept" in window.notice.text
    assert window.composer.mode is ComposerMode.ENGINE_STOPPED
    assert window.status.model_text == "Engine stopped"

    engine = window.chat._engine
    with qtbot.waitSignal(engine.loaded, timeout=5000):
        window.notice.action_button.click()
    assert window.composer.mode is ComposerMode.READY
    send(qtbot, window, "Again")
    assert view.turns[-1].node.state is MessageState.COMPLETE


def test_other_engine_errors_are_shown_in_the_window(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    script.load_error = ErrorKind.OUT_OF_MEMORY
    engine = window.chat._engine
    with qtbot.waitSignal(engine.error, timeout=5000):
        window.loader.load(fake_model_file(tmp_path))
    assert window.notice.isVisible()
    assert "could not be loaded" in window.notice.text
    assert "smaller quant" in window.notice.text
    qtbot.waitUntil(lambda: window.composer.mode is ComposerMode.NO_MODEL)


def test_a_store_failure_is_shown_and_the_message_stays_in_the_composer(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    store.fail_writes = True
    send(qtbot, window, "Keep me")
    assert window.composer.text() == "Keep me"
    assert window.notice.text == "The disk is full (simulated)."
    store.fail_writes = False
    send(qtbot, window, "Keep me")
    assert window.composer.text() == ""


def test_the_system_prompt_and_sampling_of_a_conversation_are_used(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    settings = window.chat._settings
    settings.update(replace(settings.settings, user_name="Ada", system_prompt="Global."))
    load_model(qtbot, window, tmp_path)
    send(qtbot, window, "Hi")
    assert script.generated[-1].system_prompt == "Global."
    overrides = ConversationOverrides(
        override_system_prompt=True,
        system_prompt="You are {name}; you help {user} on {today}.",
        sampling=SamplingParams(temperature=0.9, max_tokens=100),
    )
    window.chat.set_overrides(the_conversation(store), overrides)
    send(qtbot, window, "Again")
    generated = script.generated[-1]
    assert generated.system_prompt == (
        f"You are Scripted Mistral; you help Ada on {date.today():%Y-%m-%d}."
    )
    assert generated.sampling.temperature == 0.9
    title, back = window.chat.overrides_of(the_conversation(store))
    assert title == "Hi" and back == overrides


# ---- the context window -------------------------------------------------------------------------

LONG = " ".join(["word"] * 120)


def fill(qtbot: QtBot, window: MainWindow, turns: int) -> None:
    for n in range(turns):
        send(qtbot, window, f"Question {n} {LONG}")


@pytest.fixture
def small_context(window: MainWindow, script: Script) -> None:
    script.n_ctx = 1024  # the scripted model's largest context
    script.answer = "Short answer."


def test_a_conversation_too_long_asks_and_leaves_out_the_oldest_turns(
    qtbot: QtBot,
    window: MainWindow,
    store: ObservedStore,
    script: Script,
    tmp_path: Path,
    small_context: None,
) -> None:
    load_model(qtbot, window, tmp_path)
    fill(qtbot, window, 5)  # each turn is ~135 tokens; 1024 - 256 leaves room for 5
    asked: list[ContextOverflowFacts] = []

    def ask(facts: ContextOverflowFacts) -> ContextOverflowDecision:
        asked.append(facts)
        return ContextOverflowDecision(ContextOverflow.DROP_OLDEST, remember=False)

    window.chat._ask_overflow = ask
    send(qtbot, window, f"Question 5 {LONG}")
    send(qtbot, window, f"Question 6 {LONG}")
    assert len(asked) == 2
    facts = asked[0]
    assert facts.n_ctx == 1024 and facts.answer_budget == 256
    assert facts.prompt_tokens > 1024 - 256
    assert facts.dropped_messages == 2  # one user message and its answer
    sent = script.generated[-1].messages
    assert not any(m.content.startswith("Question 0 ") for m in sent)
    assert not any(m.content.startswith("Question 1 ") for m in sent)
    assert sent[-1].content.startswith("Question 6 ")
    left_out = [t.node for t in view_of(window).turns if t.node.left_out]
    assert [n.message.content.split()[1] for n in left_out if n.message.role is Role.USER] == [
        "0",
        "1",
    ]
    assert "left out" in window.notice.text


def test_pinned_messages_stay_in_the_context(
    qtbot: QtBot,
    window: MainWindow,
    store: ObservedStore,
    script: Script,
    tmp_path: Path,
    small_context: None,
) -> None:
    load_model(qtbot, window, tmp_path)
    fill(qtbot, window, 5)
    first = view_of(window).turns[0].node
    store.pin_message(first.id)
    window.chat._ask_overflow = lambda facts: ContextOverflowDecision(
        ContextOverflow.DROP_OLDEST, remember=False
    )
    send(qtbot, window, f"Question 5 {LONG}")
    sent = script.generated[-1].messages
    assert sent[0].content.startswith("Question 0 ")
    assert not any(m.content.startswith("Question 1 ") for m in sent)


def test_choosing_stop_sends_nothing_and_the_choice_can_be_remembered(
    qtbot: QtBot,
    window: MainWindow,
    store: ObservedStore,
    script: Script,
    tmp_path: Path,
    small_context: None,
) -> None:
    load_model(qtbot, window, tmp_path)
    fill(qtbot, window, 5)
    generated = len(script.generated)

    def press_dont_send_remembering() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ContextLimitDialog)
        dialog.set_remember(True)
        dialog.stop_button.click()

    QTimer.singleShot(200, press_dont_send_remembering)
    send(qtbot, window, f"Question 5 {LONG}")
    assert len(script.generated) == generated
    assert "Not sent" in window.notice.text
    keys = QKeySequence("Ctrl+R").toString(QKeySequence.SequenceFormat.NativeText)
    assert f"regenerate ({keys})" in window.notice.text  # as this system writes the shortcut
    assert view_of(window).contents()[-1][0] == "user"  # the message is kept
    assert window.chat._settings.settings.context_overflow is ContextOverflow.STOP
    send(qtbot, window, f"Question 6 {LONG}")  # no dialog now: the choice is remembered
    assert len(script.generated) == generated


def test_nothing_left_to_leave_out_is_explained(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path, small_context: None
) -> None:
    load_model(qtbot, window, tmp_path)
    asked: list[ContextOverflowFacts] = []

    def ask(facts: ContextOverflowFacts) -> ContextOverflowDecision:
        asked.append(facts)
        return ContextOverflowDecision(ContextOverflow.STOP, remember=False)

    window.chat._ask_overflow = ask
    send(qtbot, window, " ".join(["word"] * 900))
    assert script.generated == []
    assert len(asked) == 1 and asked[0].dropped_messages == 0


# ---- pure helpers -------------------------------------------------------------------------------


def test_titles_are_short_single_lines() -> None:
    assert title_from("  Hello\n  world ") == "Hello world"
    long = title_from("x " * 100)
    assert len(long) <= 48 and long.endswith("…")


def test_whole_turns_are_dropped_and_pinned_or_system_turns_kept() -> None:
    def node(i: int, role: Role, pinned: bool = False) -> MessageNode:
        return MessageNode(i, i - 1 if i > 1 else None, ChatMessage(role, str(i)), pinned=pinned)

    path = [
        node(1, Role.USER),
        node(2, Role.ASSISTANT),
        node(3, Role.USER, pinned=True),
        node(4, Role.ASSISTANT),
        node(5, Role.USER),
        node(6, Role.ASSISTANT),
        node(7, Role.USER),
    ]
    assert droppable_turns(path, keep_from=6) == [[1, 2], [5, 6]]


def test_an_answer_that_wrote_nothing_is_not_sent_again() -> None:
    def node(i: int, role: Role, text: str) -> MessageNode:
        return MessageNode(i, i - 1 if i > 1 else None, ChatMessage(role, text))

    path = [node(1, Role.USER, "Hi"), node(2, Role.ASSISTANT, ""), node(3, Role.USER, "Hello?")]
    sent = ContextFit(path, answer_budget=0, keep_last=1).messages()
    assert [m.content for m in sent] == ["Hi", "Hello?"]
    continued = ContextFit(path[:2], answer_budget=0, keep_last=1).messages()
    assert [m.content for m in continued] == ["Hi", ""]


def test_an_answer_streams_on_while_another_conversation_is_shown(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["Quick."]
    send(qtbot, window, "First conversation")
    first = window.chat.conversation_id
    window.new_chat()
    script.answer = "long " * 150
    script.token_interval_s = 0.005
    send(qtbot, window, "Second conversation", wait=False)
    second = window.chat.conversation_id
    view = view_of(window)
    qtbot.waitUntil(lambda: view.appends > 3)
    assert first is not None and second is not None
    window.open_conversation(first)
    appends = view.appends
    assert view.contents() == [("user", "First conversation"), ("assistant", "Quick.")]
    assert window.composer.mode is ComposerMode.GENERATING  # one answer at a time
    window.open_conversation(second)
    assert view.appends >= appends
    wait_idle(qtbot, window)
    assert view.contents()[-1] == ("assistant", script.answer)
    assert store.snapshot(second).active_path[-1].state is MessageState.COMPLETE


def test_deleting_the_conversation_that_streams_stops_its_answer(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "long " * 400
    script.token_interval_s = 0.01
    send(qtbot, window, "Doomed", wait=False)
    qtbot.waitUntil(lambda: view_of(window).appends > 3)
    streaming = window.chat.streaming_conversation_id
    assert streaming is not None
    window.sidebar.delete_requested.emit(streaming)
    wait_idle(qtbot, window, timeout=3000)
    assert window.chat.conversation_id is None


def test_streamed_text_reaches_the_view_in_batches(qtbot: QtBot) -> None:
    batcher = TextBatcher()
    received: list[str] = []
    batcher.flushed.connect(received.append)
    for piece in ("a", "b", "c"):
        batcher.push(piece)
    assert received == []
    qtbot.waitUntil(lambda: received == ["abc"], timeout=1000)
    batcher.push("d")
    batcher.flush()
    assert received == ["abc", "d"]
    batcher.push("e")
    batcher.discard()
    qtbot.wait(60)
    assert received == ["abc", "d"]


def test_a_fast_stream_updates_the_view_about_thirty_times_a_second(
    qtbot: QtBot, window: MainWindow, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answer = "x " * 200  # within the answer length of the test settings
    script.token_interval_s = 0.001
    send(qtbot, window, "Fast")
    view = view_of(window)
    answer = view.turns[-1].node
    assert answer.state is MessageState.COMPLETE
    assert view.streams[answer.id] == script.answer
    assert view.appends < 100  # 200 tokens in a fraction of a second, batched


def test_deleting_an_answer_shows_the_remaining_alternative(
    qtbot: QtBot, window: MainWindow, store: ObservedStore, script: Script, tmp_path: Path
) -> None:
    load_model(qtbot, window, tmp_path)
    script.answers = ["First answer.", "Second answer."]
    send(qtbot, window, "Say something")
    window.chat.regenerate()
    wait_idle(qtbot, window)
    view = view_of(window)
    second = view.turns[-1].node.id
    view.delete_requested.emit(second)
    assert view.contents() == [("user", "Say something"), ("assistant", "First answer.")]
    assert view.turns[-1].alternatives == 1
    conversation_id = the_conversation(store)
    assert second not in {n.id for n in store.snapshot(conversation_id).nodes}

    view.delete_requested.emit(view.turns[0].node.id)  # the question and its answers
    assert view.contents() == []
    assert store.snapshot(conversation_id).nodes == ()
