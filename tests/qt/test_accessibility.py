"""What a screen reader gets from the conversation: the tree of accessible objects Qt hands to
the platform (names, roles, values, descriptions), and what is announced, and when."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.core.conversation import AnswerMeta, MessageNode, MessageState, TurnView
from app.core.messages import ChatMessage, DocumentPart, ImagePart, Role, ToolCall
from app.ui.accessibility import ANNOUNCER
from app.ui.chat_view import ChatView
from app.ui.image_viewer import ClickableThumbnail
from app.ui.message_text import shown_time
from app.ui.notice_bar import NoticeBar, Severity
from app.ui.rich_text import RichText

Role_ = QAccessible.Role
Text = QAccessible.Text
META = AnswerMeta(600, 42, 31.5, "Mistral-Small-3.2-24B-Instruct-2506-Q4_K_M.gguf", "Q4_K_M", 0.21)
CODE_ANSWER = "Here is **the** code:\n\n```python\nprint('hi')\n```\n\nDone."


@dataclass(frozen=True)
class Seen:
    """One accessible object as a screen reader reads it."""

    role: QAccessible.Role
    name: str
    value: str
    description: str
    children: tuple[Seen, ...]

    def find(self, role: QAccessible.Role) -> list[Seen]:
        found = [self] if self.role == role else []
        for child in self.children:
            found.extend(child.find(role))
        return found

    def named(self, name: str) -> Seen:
        (match,) = [seen for seen in self.all() if seen.name == name]
        return match

    def all(self) -> list[Seen]:
        return [self, *(seen for child in self.children for seen in child.all())]


def read(interface: QAccessibleInterface) -> Seen:
    """Walk the accessible tree from `interface`, leaving out what is not shown."""
    children = []
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and not child.state().invisible:
            children.append(read(child))
    return Seen(
        interface.role(),
        interface.text(Text.Name),
        interface.text(Text.Value),
        interface.text(Text.Description),
        tuple(children),
    )


def tree_of(view: ChatView) -> Seen:
    interface = QAccessible.queryAccessibleInterface(view)
    assert interface is not None and interface.isValid()
    return read(interface)


@pytest.fixture(autouse=True)
def screen_reader(qapp: QApplication) -> Iterator[None]:
    """A screen reader listens (offscreen Qt has none: accessibility is switched on)."""
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(False)


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 14, hour, minute)


def picture(path: Path) -> ImagePart:
    Image.new("RGB", (64, 48), "teal").save(path)
    return ImagePart(path, "0" * 64)


def conversation(image: ImagePart) -> list[TurnView]:
    call = ToolCall("call1", "get_weather", '{"city": "Paris"}')
    nodes = [
        MessageNode(
            1, None, ChatMessage(Role.USER, "What is in this picture?", images=(image,)),
            created_at=at(12, 4),
        ),
        MessageNode(
            2, 1, ChatMessage(Role.ASSISTANT, CODE_ANSWER), created_at=at(12, 5), meta=META
        ),
        MessageNode(3, 2, ChatMessage(Role.USER, "And the weather?"), created_at=at(12, 6)),
        MessageNode(
            4, 3, ChatMessage(Role.ASSISTANT, "", tool_calls=(call,)), created_at=at(12, 6)
        ),
        MessageNode(
            5, 4,
            ChatMessage(Role.TOOL, '{"temp": 21}', tool_call_id="call1", name="get_weather"),
            created_at=at(12, 6),
        ),
        MessageNode(
            6, 5, ChatMessage(Role.ASSISTANT, "It is *21 °C* in Paris."),
            MessageState.LENGTH, created_at=at(12, 7), meta=META,
        ),
    ]  # fmt: skip
    return [TurnView(node, 1, 1) for node in nodes]


@pytest.fixture
def view(qtbot: QtBot) -> ChatView:
    chat = ChatView()
    qtbot.addWidget(chat)
    chat.resize(800, 600)
    chat.show()
    qtbot.waitExposed(chat)
    return chat


def test_each_message_is_a_list_item_named_by_who_wrote_it_and_when(
    qtbot: QtBot, view: ChatView, tmp_path: Path
) -> None:
    image = picture(tmp_path / "teal.png")
    view.show_turns(conversation(image))
    qtbot.waitUntil(lambda: view.findChildren(ClickableThumbnail)[0].pixmap() is not None)
    qtbot.waitUntil(
        lambda: "64 × 48" in view.findChildren(ClickableThumbnail)[0].accessibleDescription()
    )
    tree = tree_of(view)
    assert (tree.name, tree.description) == (
        "Conversation",
        "Up and Down move between messages; Enter goes into a message; F1 lists the keys",
    )
    (messages,) = tree.find(Role_.List)
    assert messages.name == "Messages"
    items = messages.find(Role_.ListItem)
    four, five, six, seven = (shown_time(at(12, m)) for m in (4, 5, 6, 7))
    assert [item.name for item in items] == [
        f"You, {four}",
        f"Mistral, {five}",
        f"You, {six}",
        f"Mistral, {six}",
        f"Tool get_weather, {six}",
        f"Mistral, {seven}",
    ]
    question, answer, _, calling, tool, last = items

    # the user's message: its text, its image named with the file's name and size
    assert question.value == "What is in this picture?"
    assert question.description == "1 image(s) attached"
    size = (tmp_path / "teal.png").stat().st_size
    thumbnail = question.named("Attached image 1 of 1")
    assert thumbnail.description == f"teal.png, {size:,} bytes, 64 × 48 pixels"
    assert thumbnail.role in (Role_.Graphic, Role_.StaticText)

    # an answer: markdown read as plain text, code as a group named by its language
    assert answer.value == "Here is the code:\n\nprint('hi')\n\nDone."
    assert "42 token(s)" in answer.description and "31.5 tokens/s" in answer.description
    texts = [seen.value for seen in answer.find(Role_.StaticText) if seen.value]
    assert texts[:1] == ["Here is the code:"] and "Done." in texts
    (code,) = answer.find(Role_.Grouping)
    assert (code.name, code.value) == ("python code", "print('hi')")
    assert code.named("Copy code").role == Role_.Button
    buttons = {seen.name: seen.description for seen in answer.find(Role_.Button)}
    assert buttons["Copy message"] == "Copy this message"
    assert buttons["Delete message"] == "Delete this message and what follows it"

    # a tool call and its result
    assert calling.named('Called get_weather with {"city": "Paris"}').role == Role_.StaticText
    assert calling.value == 'Called get_weather with {"city": "Paris"}'
    assert tool.value == '{"temp": 21}'
    assert tool.named("Tool result of get_weather").role == Role_.CheckBox  # shown or hidden

    # the last answer: its state and what can be done to it
    assert last.value == "It is 21 °C in Paris."
    assert last.description.startswith("Cut off at the length limit. ")
    last_buttons = {seen.name for seen in last.find(Role_.Button)}
    assert {"Regenerate answer", "Continue answer", "Copy message"} <= last_buttons


def test_a_streamed_answer_is_announced_once_when_it_ends_not_per_piece(
    qtbot: QtBot, view: ChatView
) -> None:
    question = MessageNode(1, None, ChatMessage(Role.USER, "Count"), created_at=at(9, 0))
    answer = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
    view.show_turns([TurnView(question, 1, 1), TurnView(answer, 1, 1)])
    said: list[tuple[str, bool]] = []
    ANNOUNCER.announced.connect(lambda text, assertive: said.append((text, assertive)))
    widget = view.message_widget(2)
    assert widget is not None
    names: list[str] = []
    view.begin_streaming(2, "")
    for number in range(40):
        view.append_streaming(2, f"{number} ")
        names.append(widget.accessibleName() + "|" + widget.accessibleDescription())
    assert said == [("Mistral is writing.", False)]
    assert set(names) == {"Mistral|Being written"}  # nothing told to readers per piece
    view.end_streaming(2, MessageState.COMPLETE)
    counted = " ".join(str(n) for n in range(40))
    assert said[1:] == [(f"Mistral answered: {counted}", False)]
    item = QAccessible.queryAccessibleInterface(widget)
    assert item.text(Text.Value) == counted and item.text(Text.Description) == ""


def test_a_stopped_answer_is_announced_with_its_state(qtbot: QtBot, view: ChatView) -> None:
    question = MessageNode(1, None, ChatMessage(Role.USER, "Go"))
    answer = MessageNode(2, 1, ChatMessage(Role.ASSISTANT, ""), MessageState.STREAMING)
    view.show_turns([TurnView(question, 1, 1), TurnView(answer, 1, 1)])
    view.begin_streaming(2, "")
    view.append_streaming(2, "Half")
    said: list[str] = []
    ANNOUNCER.announced.connect(lambda text, _assertive: said.append(text))
    view.end_streaming(2, MessageState.CANCELLED)
    assert said == ["Mistral answered: Half\nStopped"]


def test_notices_are_announced_errors_at_once(qtbot: QtBot) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    said: list[tuple[str, bool]] = []
    ANNOUNCER.announced.connect(lambda text, assertive: said.append((text, assertive)))
    bar.show_notice("The engine stopped.", Severity.ERROR)
    bar.show_notice("Loading the model again.", Severity.INFO)
    assert said == [("The engine stopped.", True), ("Loading the model again.", False)]
    close = QAccessible.queryAccessibleInterface(bar)
    names = {seen.name for seen in read(close).find(Role_.Button)}
    assert "Dismiss" in names


def test_every_control_of_a_conversation_is_named_and_described(
    qtbot: QtBot, view: ChatView, tmp_path: Path
) -> None:
    document = DocumentPart('<document name="notes.txt">\nnine\n</document>')
    turns = conversation(picture(tmp_path / "teal.png"))
    first = turns[0].node
    with_document = replace(first, message=replace(first.message, documents=(document,)))
    view.show_turns([TurnView(with_document, 1, 1), *turns[1:]])
    question = view.message_widget(1)
    assert question is not None
    question.start_edit()  # the inline editor's controls too
    controls = [
        widget
        for widget in view.findChildren(QWidget)
        if isinstance(widget, (QAbstractButton, QPlainTextEdit, ClickableThumbnail, RichText))
    ]
    assert len(controls) > 20
    for control in controls:
        interface = QAccessible.queryAccessibleInterface(control)
        assert interface.text(Text.Name), control
        if not isinstance(control, RichText):  # text reads as itself
            assert interface.text(Text.Description), (control, interface.text(Text.Name))


def test_without_a_screen_reader_our_widgets_get_qt_s_plain_interface(qtbot: QtBot) -> None:
    QAccessible.setActive(False)
    text = RichText()
    qtbot.addWidget(text)
    assert QAccessible.queryAccessibleInterface(text).role() == Role_.Client


def test_a_widget_class_of_the_same_name_elsewhere_plays_no_role(qtbot: QtBot) -> None:
    namesake = type("RichText", (QWidget,), {"__module__": "elsewhere"})
    theirs, ours = namesake(), RichText()
    qtbot.addWidget(theirs)
    qtbot.addWidget(ours)
    assert QAccessible.queryAccessibleInterface(theirs).role() == Role_.Client
    assert QAccessible.queryAccessibleInterface(ours).role() == Role_.StaticText


# Two applications one after the other in a process: PySide takes the factory out with the first.
TWO_APPLICATIONS = """
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication
from app.ui.rich_text import RichText
for _ in range(2):
    app = QApplication([])
    QAccessible.setActive(True)
    text = RichText()
    print(QAccessible.queryAccessibleInterface(text).role().name)
    del text
    app.shutdown()
    del app
"""


def test_each_application_describes_our_widgets() -> None:
    child = subprocess.run(
        [sys.executable, "-c", TWO_APPLICATIONS],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout.split() == ["StaticText", "StaticText"]
