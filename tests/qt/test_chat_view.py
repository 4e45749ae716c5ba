"""The chat view as a person sees and uses it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.conversation import (
    AnswerMeta,
    ConversationSnapshot,
    MessageNode,
    MessageState,
    TurnView,
)
from app.core.messages import ChatMessage, Role
from app.ui.chat_view import PAGE, ChatView
from app.ui.message_widget import CodeBlockWidget, MessageWidget

CODE_ANSWER = "Here:\n\n```python\nprint('hi')\n```\n\nDone."


def turns(*pairs: tuple[Role, str], alternatives: int = 1) -> list[TurnView]:
    nodes, parent = [], None
    for index, (role, text) in enumerate(pairs, start=1):
        nodes.append(MessageNode(index, parent, ChatMessage(role, text)))
        parent = index
    return [TurnView(n, alternatives, alternatives) for n in nodes]


def make_view(qtbot: QtBot) -> ChatView:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_messages_show_markdown_and_code_blocks(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show_turns(turns((Role.USER, "Show **code**"), (Role.ASSISTANT, CODE_ANSWER)), None)
    user, answer = view.message_widgets
    assert user.objectName() == "userMessage" and answer.objectName() == "answerMessage"
    (code,) = answer.findChildren(CodeBlockWidget)
    assert code.code == "print('hi')"
    code.copy_button.click()
    assert QApplication.clipboard().text() == "print('hi')"


def test_copy_puts_the_message_text_on_the_clipboard(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, CODE_ANSWER)), None)
    view.message_widgets[1].copy_button.click()
    assert QApplication.clipboard().text() == CODE_ANSWER


def test_actions_emit_signals_with_the_message_id(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "A"), alternatives=3), None)
    user, answer = view.message_widgets
    with qtbot.waitSignal(view.regenerate_requested) as regenerate:
        answer.regenerate_requested.emit(answer.message_id)
    assert regenerate.args == [2]
    with qtbot.waitSignal(view.alternative_requested) as alternative:
        answer.alternative_requested.emit(answer.message_id, -1)
    assert alternative.args == [2, -1]
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Q edited", True))
    with qtbot.waitSignal(view.edit_submitted) as edit:
        user.edit_requested.emit(user.message_id)
    assert edit.args == [1, "Q edited"]


def test_alternatives_and_state_marks_are_shown(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    meta = AnswerMeta(
        600, 42, 31.5, "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf", "Q4_K_M", 0.21
    )
    node = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, "cut"), MessageState.LENGTH, meta=meta)
    view.show_turns(
        [TurnView(MessageNode(1, None, ChatMessage(Role.USER, "Q")), 1, 1), TurnView(node, 2, 3)],
        None,
    )
    answer = view.message_widgets[1]
    labels = [w.text() for w in answer.findChildren(type(answer.state_label))]
    assert "2/3" in labels
    assert answer.state_label.text() == "Cut off at the length limit"
    assert answer.continue_button.isVisibleTo(answer)
    assert "Q4_K_M" in answer.footer.text() and "31.5 tokens/s" in answer.footer.text()
    assert "42 tokens" in answer.footer.text() and "0.21 s" in answer.footer.text()


def test_streaming_appends_only_to_the_open_block(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "")), None)
    answer = view.message_widgets[1]
    view.begin_streaming(2, "")
    for piece in ["First para", "graph.\n\n", "```py\nx = 1\n", "```\n\nEnd"]:
        view.append_streaming(2, piece)
    view.end_streaming(2, MessageState.COMPLETE)
    QApplication.processEvents()  # replaced tail widgets are deleted later
    assert answer.text == "First paragraph.\n\n```py\nx = 1\n```\n\nEnd"
    (code,) = answer.findChildren(CodeBlockWidget)
    assert code.code == "x = 1"
    assert not answer.state_label.isVisibleTo(answer)


def test_autoscroll_follows_only_when_at_the_bottom(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    long = [
        (Role.USER if i % 2 == 0 else Role.ASSISTANT, f"Message {i}\n\n" + "text " * 200)
        for i in range(8)
    ]
    view.show_turns(turns(*long, (Role.ASSISTANT, "")), None)
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    view.begin_streaming(9, "")
    view.append_streaming(9, "line\n\n" * 40)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    bar.setValue(bar.maximum() // 2)  # the user scrolls up to read
    held = bar.value()
    view.append_streaming(9, "more\n\n" * 40)
    QApplication.processEvents()
    assert bar.value() == held


def test_a_long_conversation_builds_only_its_latest_page(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    many = [(Role.USER if i % 2 == 0 else Role.ASSISTANT, f"m{i}") for i in range(PAGE * 3)]
    view.show_turns(turns(*many), None)
    assert len(view.message_widgets) == PAGE
    view.show_earlier()
    assert len(view.message_widgets) == 2 * PAGE
    assert isinstance(view.message_widgets[0], MessageWidget)


def test_a_search_hit_is_shown_even_when_it_is_old(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    many = [(Role.USER if i % 2 == 0 else Role.ASSISTANT, f"m{i}") for i in range(PAGE * 3)]
    view.show_turns(turns(*many), focus_message_id=3)
    assert any(w.message_id == 3 for w in view.message_widgets)


def test_empty_conversation_invites_a_question(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.show_turns([], None)
    assert view.message_widgets == []


def test_snapshot_turns_are_accepted(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    snapshot = ConversationSnapshot(
        1, tuple(t.node for t in turns((Role.USER, "a"), (Role.ASSISTANT, "b"))), 2
    )
    view.show_turns(snapshot.turns(), None)
    assert [w.text for w in view.message_widgets] == ["a", "b"]


def test_delete_asks_first(qtbot: QtBot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    view = make_view(qtbot)
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "A")), None)
    answer = view.message_widgets[1]
    deleted: list[int] = []
    view.delete_requested.connect(deleted.append)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    answer.delete_requested.emit(answer.message_id)
    assert deleted == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    answer.delete_requested.emit(answer.message_id)
    assert deleted == [2]
