"""The chat view as a person sees and uses it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.conversation import AnswerMeta, MessageNode, MessageState, TurnView
from app.core.markdown_render import COPY_SCHEME
from app.core.messages import ChatMessage, ImagePart, Role, ToolCall
from app.ui.chat_view import FOCUS_OFFSET, ChatView
from app.ui.image_viewer import ClickableThumbnail, ImageViewer
from app.ui.markdown_widgets import CodeBlockWidget, RichTextLabel
from app.ui.message_widget import MessageWidget
from app.ui.rich_text import RichText

CODE_ANSWER = "Here:\n\n```python\nprint('hi')\n```\n\nDone."
META = AnswerMeta(600, 42, 31.5, "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf", "Q4_K_M", 0.21)


def turns(
    *messages: tuple[Role, str], alternatives: int = 1, last_state: MessageState | None = None
) -> list[TurnView]:
    nodes, parent = [], None
    for index, (role, text) in enumerate(messages, start=1):
        state = last_state if last_state and index == len(messages) else MessageState.COMPLETE
        nodes.append(MessageNode(index, parent, ChatMessage(role, text), state))
        parent = index
    return [TurnView(node, alternatives, alternatives) for node in nodes]


def conversation(count: int, size: int = 400) -> list[TurnView]:
    return turns(
        *(
            (Role.USER if i % 2 == 0 else Role.ASSISTANT, f"Message {i}\n\n" + "text " * size)
            for i in range(count)
        )
    )


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    chat = ChatView()
    qtbot.addWidget(chat)
    chat.resize(800, 600)
    chat.show()
    qtbot.waitExposed(chat)
    return chat


def widgets(view: ChatView) -> list[MessageWidget]:
    return view.message_widgets


def link_point(label: RichText, href: str) -> QPointF:
    """Where on the label the link to `href` is (searched on a grid of points)."""
    for y in range(2, label.height(), 3):
        for x in range(2, label.width(), 4):
            if label.link_at(QPointF(x, y)) == href:
                return QPointF(x, y)
    raise AssertionError(f"no link to {href}")


def body_html(widget: MessageWidget) -> list[str]:
    shown = []
    for block in widget.body.block_widgets:
        if isinstance(block, CodeBlockWidget):
            shown.append("code:" + "".join(label.html for label in block.chunk_labels))
        elif isinstance(block, RichTextLabel):
            shown.append(block.html)
    return shown


def test_messages_show_markdown_and_code_blocks_with_a_copy_button(view: ChatView) -> None:
    view.show_turns(turns((Role.USER, "Show **code**"), (Role.ASSISTANT, CODE_ANSWER)))
    user, answer = widgets(view)
    assert user.objectName() == "userMessage" and answer.objectName() == "answerMessage"
    assert user.bubble is not None and user.plain_label is not None
    assert user.plain_label.text() == "Show **code**"  # the user's text is shown as typed
    (code,) = answer.findChildren(CodeBlockWidget)
    assert code.code == "print('hi')" and code.language_label.text() == "python"
    code.copy_button.click()
    assert QApplication.clipboard().text() == "print('hi')"
    assert code.copy_button.text() == "Copied"


def test_code_nested_in_a_list_is_copied_from_its_link(view: ChatView, qtbot: QtBot) -> None:
    answer_text = "Steps:\n\n1. Install:\n   ```bash\n   pip install tramontane\n   ```\n2. Run it."
    view.show_turns(turns((Role.USER, "How?"), (Role.ASSISTANT, answer_text)))
    answer = widgets(view)[1]
    (label,) = [w for w in answer.body.block_widgets if COPY_SCHEME in getattr(w, "html", "")]
    assert isinstance(label, RichTextLabel)
    href = label.html.split(f'href="{COPY_SCHEME}:')[1].split('"')[0]
    qtbot.waitUntil(lambda: label.height() > 0)
    point = link_point(label, f"{COPY_SCHEME}:{href}").toPoint()
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=point)
    assert QApplication.clipboard().text() == "pip install tramontane"


def test_web_links_open_in_the_browser(
    view: ChatView, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    view.show_turns(
        turns((Role.USER, "Q"), (Role.ASSISTANT, "See [the docs](https://example.org/)"))
    )
    (label,) = widgets(view)[1].body.block_widgets
    assert isinstance(label, RichText)
    qtbot.waitUntil(lambda: label.height() > 0)
    point = link_point(label, "https://example.org/").toPoint()
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=point)
    assert opened == ["https://example.org/"]


def test_copy_puts_the_message_text_on_the_clipboard(view: ChatView) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, CODE_ANSWER)))
    widgets(view)[1].copy_button.click()
    assert QApplication.clipboard().text() == CODE_ANSWER
    widgets(view)[0].copy_button.click()
    assert QApplication.clipboard().text() == "Q"


def test_text_can_be_selected_and_copied(view: ChatView, qtbot: QtBot) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "Some *answer* text.")))
    (label,) = widgets(view)[1].body.block_widgets
    assert isinstance(label, RichText)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=label.rect().center())
    qtbot.keyClick(label, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Some answer text."


def test_answer_actions_emit_signals_with_the_message_id(view: ChatView, qtbot: QtBot) -> None:
    view.show_turns(
        turns(
            (Role.USER, "Q"),
            (Role.ASSISTANT, "cut"),
            alternatives=3,
            last_state=MessageState.LENGTH,
        )
    )
    answer = widgets(view)[1]
    with qtbot.waitSignal(view.regenerate_requested) as regenerate:
        answer.regenerate_button.click()
    assert regenerate.args == [2]
    with qtbot.waitSignal(view.continue_requested) as continued:
        answer.continue_button.click()
    assert continued.args == [2]


def test_alternatives_are_navigated_with_previous_and_next(view: ChatView, qtbot: QtBot) -> None:
    question = MessageNode(1, None, ChatMessage(Role.USER, "Q"))
    answer_node = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, "A"))
    view.show_turns([TurnView(question, 1, 1), TurnView(answer_node, 2, 3)])
    answer = widgets(view)[1]
    assert answer.position_label.text() == "2/3" and answer.position_label.isVisibleTo(answer)
    assert not widgets(view)[0].position_label.isVisibleTo(widgets(view)[0])
    with qtbot.waitSignal(view.alternative_requested) as previous:
        answer.previous_button.click()
    assert previous.args == [2, -1]
    with qtbot.waitSignal(view.alternative_requested) as following:
        answer.next_button.click()
    assert following.args == [2, 1]
    view.show_turns([TurnView(question, 1, 1), TurnView(answer_node, 3, 3)])
    assert not answer.next_button.isEnabled() and answer.previous_button.isEnabled()


def test_regenerate_and_continue_are_offered_on_the_last_answer_only(view: ChatView) -> None:
    view.show_turns(
        turns(
            (Role.USER, "Q1"),
            (Role.ASSISTANT, "A1"),
            (Role.USER, "Q2"),
            (Role.ASSISTANT, "A2"),
            last_state=MessageState.COMPLETE,
        )
    )
    first, last = widgets(view)[1], widgets(view)[3]
    assert not first.regenerate_button.isVisibleTo(first)
    assert last.regenerate_button.isVisibleTo(last)
    assert not last.continue_button.isVisibleTo(last)  # complete answers are not continued


def test_a_user_message_is_edited_in_place(view: ChatView, qtbot: QtBot) -> None:
    view.show_turns(turns((Role.USER, "Original question"), (Role.ASSISTANT, "A")))
    user = widgets(view)[0]
    user.edit_button.click()
    edit_box = user.edit_box
    assert edit_box is not None and edit_box.editor.toPlainText() == "Original question"
    edit_box.editor.setPlainText("Edited question")
    with qtbot.waitSignal(view.edit_submitted) as edited:
        edit_box.send_button.click()
    assert edited.args == [1, "Edited question"] and user.edit_box is None

    user.edit_button.click()
    assert user.edit_box is not None
    with qtbot.assertNotEmitted(view.edit_submitted):
        user.edit_box.cancel_button.click()  # cancelling sends nothing
    assert user.edit_box is None and user.plain_label is not None
    assert user.plain_label.isVisibleTo(user)
    user.edit_button.click()
    assert user.edit_box is not None
    user.edit_box.editor.setPlainText("Sent with the keyboard")
    with qtbot.waitSignal(view.edit_submitted) as keyboard:
        qtbot.keyClick(user.edit_box.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert keyboard.args == [1, "Sent with the keyboard"]


def test_delete_asks_first(view: ChatView, monkeypatch: pytest.MonkeyPatch) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "A")))
    deleted: list[int] = []
    view.delete_requested.connect(deleted.append)
    answer = widgets(view)[1]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    answer.delete_button.click()
    assert deleted == []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    answer.delete_button.click()
    assert deleted == [2]


def test_state_marks_statistics_and_left_out_mark_are_shown(view: ChatView) -> None:
    question = MessageNode(1, None, ChatMessage(Role.USER, "Q"), left_out=True)
    node = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, "cut"), MessageState.LENGTH, meta=META)
    view.show_turns([TurnView(question, 1, 1), TurnView(node, 1, 1)])
    user, answer = widgets(view)
    assert user.left_out_mark.isVisibleTo(user) and not answer.left_out_mark.isVisibleTo(answer)
    assert answer.state_label.text() == "Cut off at the length limit"
    assert answer.continue_button.isVisibleTo(answer)
    footer = answer.footer.text()
    assert "Q4_K_M" in footer and "31.5 tokens/s" in footer
    assert "42 token" in footer and "first token 0.21 s" in footer
    for state, mark in [
        (MessageState.CANCELLED, "Stopped"),
        (MessageState.ERROR, "The engine failed while writing this answer"),
        (MessageState.REPETITION, "Stopped: the model was repeating itself"),
        (MessageState.INTERRUPTED, "Interrupted: Tramontane closed while this was written"),
    ]:
        answer.set_state(state)
        assert answer.state_label.text() == mark


def test_a_streamed_answer_ends_as_showing_its_text_would_show_it(
    view: ChatView, qtbot: QtBot
) -> None:
    final = (
        "# Plan\n\nFirst paragraph.\n\n- a\n- b\n\n```py\n"
        + "x = 1\n" * 40
        + "```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quote\n\nEnd."
    )
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "")))
    answer = widgets(view)[1]
    view.begin_streaming(2, "")
    assert answer.writing_label.isVisibleTo(answer)
    view.append_streaming(2, final[:30])
    first_block = answer.body.block_widgets[0]
    for start in range(30, len(final), 7):
        view.append_streaming(2, final[start : start + 7])
        assert answer.body.block_widgets[0] is first_block  # finished blocks stay as they are
    view.end_streaming(2, MessageState.COMPLETE)
    assert answer.text == final and not answer.writing_label.isVisibleTo(answer)

    other = ChatView()
    qtbot.addWidget(other)
    other.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, final)))
    assert body_html(answer) == body_html(other.message_widgets[1])


def test_actions_wait_while_an_answer_streams(view: ChatView) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "")))
    user, answer = widgets(view)
    view.begin_streaming(2, "")
    assert not user.edit_button.isEnabled() and not answer.regenerate_button.isEnabled()
    assert not answer.delete_button.isEnabled() and answer.copy_button.isEnabled()
    view.end_streaming(2, MessageState.CANCELLED)
    assert user.edit_button.isEnabled() and answer.regenerate_button.isEnabled()
    assert answer.state_label.text() == "Stopped" and answer.continue_button.isVisibleTo(answer)


def test_continuing_keeps_the_text_already_there(view: ChatView) -> None:
    view.show_turns(
        turns((Role.USER, "Q"), (Role.ASSISTANT, "Begun"), last_state=MessageState.LENGTH)
    )
    view.begin_streaming(2, "Begun")
    view.append_streaming(2, " and finished.")
    view.end_streaming(2, MessageState.COMPLETE)
    assert widgets(view)[1].text == "Begun and finished."


def test_autoscroll_follows_only_when_at_the_bottom(view: ChatView, qtbot: QtBot) -> None:
    chat = conversation(6, 200)
    streaming = MessageNode(7, 6, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
    view.show_turns([*chat, TurnView(streaming, 1, 1)])
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    view.begin_streaming(7, "")
    view.append_streaming(7, "line\n\n" * 40)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())
    assert view.at_bottom()
    bar.setValue(bar.maximum() // 2)  # the user scrolls up to read
    reading = next(w for w in widgets(view) if w.y() + w.height() > bar.value())
    offset = reading.y() - bar.value()
    view.append_streaming(7, "more\n\n" * 40)
    qtbot.wait(50)  # earlier messages may be built above meanwhile: what is read stays put
    assert reading.y() - bar.value() == offset and not view.at_bottom()
    view.scroll_to_bottom()
    view.append_streaming(7, "again\n\n" * 40)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum())


def test_a_long_conversation_builds_its_newest_messages_then_more_on_scrolling_up(
    view: ChatView, qtbot: QtBot
) -> None:
    chat = conversation(300)
    view.show_turns(chat)
    lo, hi = view.built_range
    assert hi == 300 and 0 < 300 - lo < 20
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    lo = view.built_range[0]
    top = widgets(view)[0]
    bar.setValue(0)  # the user reaches the top of what is built
    qtbot.waitUntil(lambda: view.built_range[0] < lo)
    qtbot.waitUntil(lambda: top.y() - bar.value() >= 0)  # the old top stays in view, moved down
    assert top.y() - bar.value() < view.viewport().height()
    assert widgets(view)[0].message_id < top.message_id


def test_a_search_hit_is_built_and_scrolled_to(view: ChatView, qtbot: QtBot) -> None:
    chat = conversation(300)
    view.show_turns(chat, focus_message_id=11)
    target = view.message_widget(11)
    assert target is not None and view.built_range[0] <= 10 < view.built_range[1]
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: abs(target.y() - FOCUS_OFFSET - bar.value()) <= 1)


def test_showing_the_same_conversation_again_keeps_unchanged_messages(view: ChatView) -> None:
    chat = conversation(6, size=20)
    view.show_turns(chat)
    before = {w.message_id: w for w in widgets(view)}
    changed = TurnView(MessageNode(6, 5, ChatMessage(Role.ASSISTANT, "Rewritten")), 2, 2)
    view.show_turns([*chat[:5], changed])
    after = {w.message_id: w for w in widgets(view)}
    assert all(after[i] is before[i] for i in range(1, 6))
    assert after[6].text == "Rewritten" and after[6].position_label.text() == "2/2"


def test_colors_follow_a_dark_palette(view: ChatView) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, CODE_ANSWER)))
    (code,) = widgets(view)[1].findChildren(CodeBlockWidget)
    light_html = code.chunk_labels[0].html
    palette = QPalette(view.palette())
    for role, color in [
        (QPalette.ColorRole.Base, "#24272c"),
        (QPalette.ColorRole.Window, "#1d1f23"),
        (QPalette.ColorRole.Text, "#e4e6ea"),
    ]:
        palette.setColor(role, QColor(color))
    view.setPalette(palette)
    (code,) = widgets(view)[1].findChildren(CodeBlockWidget)
    assert code.chunk_labels[0].html != light_html
    assert "#0d1117" in view.styleSheet().lower()  # the dark code background (github-dark)


def test_the_font_size_can_be_changed(view: ChatView, qtbot: QtBot) -> None:
    view.show_turns(turns((Role.USER, "Q"), (Role.ASSISTANT, "A paragraph of text.")))
    (label,) = widgets(view)[1].body.block_widgets
    qtbot.waitUntil(lambda: label.height() > 0)
    small = label.height()
    view.set_font_point_size(view.font_point_size() * 2)
    qtbot.waitUntil(lambda: label.height() > small * 1.5)


def test_an_empty_conversation_invites_a_question(view: ChatView) -> None:
    view.show_turns(turns((Role.USER, "Q")))
    placeholder = view.findChild(QLabel, "emptyConversation")
    assert isinstance(placeholder, QLabel) and not placeholder.isVisible()
    view.show_turns([])
    assert widgets(view) == [] and placeholder.isVisible()


def test_tool_calls_are_shown_and_results_fold_open_on_a_click(
    view: ChatView, qtbot: QtBot
) -> None:
    call = ToolCall("abc123XYZ", "calculator", '{"expression": "6*7"}')
    nodes = [
        MessageNode(1, None, ChatMessage(Role.USER, "6 times 7?"), MessageState.COMPLETE),
        MessageNode(
            2, 1, ChatMessage(Role.ASSISTANT, "", tool_calls=(call,)), MessageState.COMPLETE
        ),
        MessageNode(
            3,
            2,
            ChatMessage(Role.TOOL, "42", tool_call_id=call.id, name="calculator"),
            MessageState.COMPLETE,
        ),
    ]
    view.show_turns([TurnView(node, 1, 1) for node in nodes], None)
    answer, result = widgets(view)[1], widgets(view)[2]
    qtbot.waitUntil(result.isVisible)
    calls = [label.text() for label in answer.findChildren(QLabel, "toolCall")]
    assert calls == ['Called calculator with {"expression": "6*7"}']
    assert result.result_toggle.text() == "Tool result · calculator"
    assert not result.body.isVisible()

    qtbot.mouseClick(result.result_toggle, Qt.MouseButton.LeftButton)

    assert result.body.isVisible() and result.text == "42"


def test_a_thumbnail_in_a_message_opens_the_image_at_full_size(
    view: ChatView, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "shot.png"
    Image.new("RGB", (640, 300), "navy").save(path)
    message = ChatMessage(Role.USER, "Look", images=(ImagePart(path, "a" * 64),))
    view.show_turns([TurnView(MessageNode(1, None, message, MessageState.COMPLETE), 1, 1)], None)
    thumbnail = widgets(view)[0].findChild(ClickableThumbnail)
    assert thumbnail is not None
    qtbot.waitUntil(lambda: thumbnail.pixmap() is not None and not thumbnail.pixmap().isNull())
    assert thumbnail.pixmap().height() == 96

    qtbot.mouseClick(thumbnail, Qt.MouseButton.LeftButton)

    viewer = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ImageViewer))
    qtbot.addWidget(viewer)
    assert viewer.windowTitle() == "Attached image 1 of 1"
    assert viewer.picture.pixmap().size().toTuple() == (640, 300)


def test_the_viewer_says_when_the_image_file_is_gone(qtbot: QtBot, tmp_path: Path) -> None:
    viewer = ImageViewer(tmp_path / "gone.png", "Attached image 2 of 3")
    qtbot.addWidget(viewer)
    assert viewer.picture.text() == (
        "Attached image 2 of 3 cannot be shown: its file is missing or damaged."
    )


def test_the_footer_tells_what_drafting_gave_when_it_was_tried(view: ChatView) -> None:
    drafted = replace(META, draft_tokens=200, accepted_tokens=150, speculative_speedup=2.314)
    question = MessageNode(1, None, ChatMessage(Role.USER, "Q"))
    footers = []
    for meta in (META, drafted):
        answer = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, "A"), meta=meta)
        view.show_turns([TurnView(question, 1, 1), TurnView(answer, 1, 1)])
        footers.append(widgets(view)[1].footer.text())
    assert "drafted" not in footers[0]
    assert "75% of drafted tokens kept, 2.31× the speed" in footers[1]
