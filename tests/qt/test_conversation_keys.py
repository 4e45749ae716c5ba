"""The conversation's own keys, on the real view: moving between messages (built on demand),
acting on the focused one, going inside it and back, and their list in Help → Keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from app.core.conversation import MessageNode, TurnView
from app.core.messages import ChatMessage, ImagePart, Role
from app.ui.chat_view import ChatView
from app.ui.image_viewer import ImageViewer
from app.ui.message_widget import MessageWidget
from app.ui.rich_text import RichText
from app.ui.shortcuts import ShortcutsDialog, conversation_keys
from app.ui.theme import DARK, LIGHT, Colors, build_palette, style_sheet

Key = Qt.Key


class Window(QMainWindow):
    """A window around the view with the main window's Escape (Stop) shortcut."""

    def __init__(self) -> None:
        super().__init__()
        self.view = ChatView()
        self.setCentralWidget(self.view)
        self.stops = 0
        stop = QAction("Stop", self)
        stop.setShortcut(QKeySequence("Esc"))
        stop.triggered.connect(self._stop)
        self.addAction(stop)

    def _stop(self) -> None:
        self.stops += 1


@pytest.fixture
def window(qtbot: QtBot) -> Window:
    shown = Window()
    qtbot.addWidget(shown)
    shown.resize(800, 600)
    shown.show()
    shown.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shown)
    return shown


def turns(count: int, image: ImagePart | None = None) -> list[TurnView]:
    nodes: list[MessageNode] = []
    for index in range(1, count + 1):
        role = Role.USER if index % 2 else Role.ASSISTANT
        images = (image,) if image is not None and index == 1 else ()
        text = f"Message {index}\n\n" + "words " * 300
        nodes.append(MessageNode(index, index - 1 or None, ChatMessage(role, text, images=images)))
    return [TurnView(node, 1, 1) for node in nodes]


def tab_into(view: ChatView) -> None:
    """Tab arriving at the conversation (as from the conversation list)."""
    view.clearFocus()
    view.setFocus(Qt.FocusReason.TabFocusReason)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: QtBot, key: Qt.Key) -> None:
    qtbot.keyClick(focus(), key)


def on_message(number: int) -> bool:
    widget = QApplication.focusWidget()
    return isinstance(widget, MessageWidget) and widget.message_id == number


def test_arrows_home_and_end_move_between_messages_building_those_not_built(
    qtbot: QtBot, window: Window
) -> None:
    view = window.view
    view.show_turns(turns(40))
    assert view.built_range[0] > 0  # the oldest are not built yet
    tab_into(view)
    assert on_message(40)  # the newest, when nothing was read before
    press(qtbot, Key.Key_Up)
    assert on_message(39)
    press(qtbot, Key.Key_Home)
    assert on_message(1) and view.built_range[0] == 0
    message = view.message_widget(1)
    assert message is not None and message.visibleRegion().boundingRect().height() > 0
    press(qtbot, Key.Key_Down)
    assert on_message(2)
    press(qtbot, Key.Key_End)
    assert on_message(40)
    press(qtbot, Key.Key_Down)
    assert on_message(40)  # nothing after the newest


def test_inside_a_message_tab_goes_round_and_escape_comes_back_before_stop(
    qtbot: QtBot, window: Window
) -> None:
    view = window.view
    view.show_turns(turns(2))
    tab_into(view)
    answer = focus()
    assert isinstance(answer, MessageWidget)
    press(qtbot, Key.Key_Return)
    assert isinstance(focus(), RichText) and answer.isAncestorOf(focus())
    visited = []
    for _ in range(6):
        press(qtbot, Key.Key_Tab)
        visited.append(focus())
    assert all(answer.isAncestorOf(widget) for widget in visited)
    assert answer.copy_button in visited and answer.delete_button in visited
    while focus() is not answer.copy_button:
        press(qtbot, Key.Key_Tab)
    button = QRect(answer.copy_button.mapTo(answer, QPoint()), answer.copy_button.size())
    framed = answer.grab().toImage()
    highlight = answer.palette().color(QPalette.ColorRole.Highlight)
    left_of_button = QPoint(button.left() - 2, button.center().y())
    assert framed.pixelColor(left_of_button) == highlight  # the part's focus frame
    press(qtbot, Key.Key_Escape)
    assert focus() is answer and window.stops == 0
    assert answer.grab().toImage().pixelColor(left_of_button) != highlight
    press(qtbot, Key.Key_Escape)
    assert window.stops == 1  # on the message itself Escape is the window's again


def test_keys_act_on_the_focused_message(qtbot: QtBot, window: Window, tmp_path: Path) -> None:
    picture = tmp_path / "shot.png"
    Image.new("RGB", (32, 32), "orange").save(picture)
    view = window.view
    view.show_turns(turns(2, ImagePart(picture, "1" * 64)))
    regenerated: list[int] = []
    view.regenerate_requested.connect(regenerated.append)
    tab_into(view)
    press(qtbot, Key.Key_C)
    assert QApplication.clipboard().text().startswith("Message 2")
    press(qtbot, Key.Key_R)
    assert regenerated == [2]
    press(qtbot, Key.Key_Up)
    question = focus()
    assert isinstance(question, MessageWidget) and question.role is Role.USER
    press(qtbot, Key.Key_O)
    (viewer,) = question.window().findChildren(ImageViewer)
    assert viewer.windowTitle() == "Attached image 1 of 1"
    viewer.close()
    press(qtbot, Key.Key_R)  # a question has nothing to regenerate
    assert regenerated == [2]
    question.setFocus()
    press(qtbot, Key.Key_E)
    assert question.edit_box is not None and focus() is question.edit_box.editor


def test_the_conversation_keys_are_listed_in_help_keyboard(qtbot: QtBot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = dict(dialog.conversation_rows)
    assert len(rows) == len(conversation_keys())
    assert rows["Previous message"] == "Up" and rows["Next message"] == "Down"
    assert rows["Copy the message"] == "C  or  Ctrl+C"
    assert rows["Regenerate the answer (the last one)"] == "R"
    assert rows["Edit your message"] == "E  or  F2"
    assert rows["Open the message's image"] == "O"


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(color: QColor) -> float:
        channels = [color.redF(), color.greenF(), color.blueF()]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture(params=[LIGHT, DARK], ids=["light", "dark"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[Colors]:
    """The whole application in a theme's palette and style sheet, as the theme manager sets
    them; put back afterwards."""
    colors: Colors = request.param
    palette, sheet = qapp.palette(), qapp.styleSheet()
    try:
        qapp.setPalette(build_palette(colors))
        qapp.setStyleSheet(style_sheet(colors, qapp.font().pointSizeF()))
        yield colors
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_the_focused_message_has_a_visible_frame_in_both_themes(
    qtbot: QtBot, themed: Colors, window: Window
) -> None:
    view = window.view
    view.show_turns(turns(2))
    tab_into(view)
    answer = focus()
    assert isinstance(answer, MessageWidget)
    highlight = answer.palette().color(QPalette.ColorRole.Highlight)
    assert highlight == QColor(themed.accent)
    assert contrast(highlight, QColor(themed.base)) >= 3.0  # WCAG 2.2 for focus indicators
    middle = answer.height() // 2
    focused = answer.grab().toImage()
    assert focused.pixelColor(1, middle) == highlight
    press(qtbot, Key.Key_Up)
    unfocused = answer.grab().toImage()
    assert unfocused.pixelColor(1, middle) != highlight
