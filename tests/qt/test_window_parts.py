"""The window's parts on their own: composer, sidebar, status bar, notices, small dialogs."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from app.core.conversation import ConversationRecord, SearchResult
from app.engine.protocol import Backend, Loaded
from app.qt_bridge.chat_ports import ContextOverflowFacts
from app.settings import ContextOverflow
from app.ui.composer import Composer, ComposerMode
from app.ui.context_dialog import ContextLimitDialog
from app.ui.conversation_list import relative_date, snippet_html
from app.ui.notice_bar import NoticeBar, Severity
from app.ui.shortcuts import ShortcutId, ShortcutsDialog, key_sequences, window_shortcuts
from app.ui.sidebar import Sidebar
from app.ui.status_bar import StatusBar
from app.ui.window_actions import WindowActions

NOW = datetime(2026, 5, 20, 15, 30)


@pytest.fixture
def composer(qtbot: QtBot) -> Composer:
    widget = Composer()
    qtbot.addWidget(widget)
    widget.show()
    return widget


# ---- composer -----------------------------------------------------------------------------------


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot: QtBot, composer: Composer) -> None:
    composer.set_mode(ComposerMode.READY)
    composer.focus_input()
    qtbot.keyClicks(composer._edit, "first line")
    qtbot.keyClick(composer._edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer._edit, "second line")
    with qtbot.waitSignal(composer.send_requested) as blocker:
        qtbot.keyClick(composer._edit, Qt.Key.Key_Return)
    assert blocker.args == ["first line\nsecond line"]
    assert composer.text() == "first line\nsecond line"  # cleared by the window once sent


def test_nothing_is_sent_without_a_model_or_text(qtbot: QtBot, composer: Composer) -> None:
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    composer.set_mode(ComposerMode.READY)
    qtbot.keyClick(composer._edit, Qt.Key.Key_Return)  # empty
    composer.set_text("hello")
    composer.set_mode(ComposerMode.NO_MODEL)
    composer.submit()
    assert sent == []
    assert not composer._edit.isEnabled()
    assert "Load a model" in composer._edit.placeholderText()
    assert composer._banner.isVisible() and composer._banner_button.text() == "Load model…"


def test_the_banner_button_asks_for_a_model_or_a_restart(qtbot: QtBot, composer: Composer) -> None:
    with qtbot.waitSignal(composer.load_model_requested):
        composer._banner_button.click()
    composer.set_mode(ComposerMode.ENGINE_STOPPED, "The engine stopped.")
    assert composer._banner_label.text() == "The engine stopped."
    with qtbot.waitSignal(composer.restart_engine_requested):
        composer._banner_button.click()


def test_while_generating_escape_and_the_stop_button_stop(qtbot: QtBot, composer: Composer) -> None:
    composer.set_mode(ComposerMode.GENERATING)
    assert composer._stop_button.isVisible() and not composer._send_button.isVisible()
    with qtbot.waitSignal(composer.stop_requested):
        qtbot.keyClick(composer._edit, Qt.Key.Key_Escape)
    with qtbot.waitSignal(composer.stop_requested):
        composer._stop_button.click()
    sent: list[str] = []
    composer.send_requested.connect(sent.append)
    composer.set_text("next question")
    qtbot.keyClick(composer._edit, Qt.Key.Key_Return)
    assert sent == []  # written while the answer streams, sent only once it is done


def test_the_field_grows_with_its_lines_up_to_a_limit(qtbot: QtBot, composer: Composer) -> None:
    composer.set_mode(ComposerMode.READY)
    one_line = composer._edit.sizeHint().height()
    composer.set_text("a\nb\nc")
    three_lines = composer._edit.sizeHint().height()
    composer.set_text("\n".join("x" * 50))
    many_lines = composer._edit.sizeHint().height()
    assert one_line < three_lines < many_lines
    assert many_lines <= one_line * composer._edit.MAX_LINES


# ---- sidebar ------------------------------------------------------------------------------------


def items() -> list[ConversationRecord]:
    return [
        ConversationRecord(1, "Old", NOW - timedelta(days=3)),
        ConversationRecord(2, "Newest", NOW),
        ConversationRecord(3, "Pinned old", NOW - timedelta(days=30), pinned=True),
        ConversationRecord(4, "Middle", NOW - timedelta(hours=5)),
    ]


@pytest.fixture
def sidebar(qtbot: QtBot) -> Sidebar:
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.resize(280, 600)
    widget.show()
    widget.set_conversations(items(), current=2)
    return widget


def test_pinned_first_then_newest_first(sidebar: Sidebar) -> None:
    assert [item.title for item in sidebar.conversations.items()] == [
        "Pinned old",
        "Newest",
        "Middle",
        "Old",
    ]
    assert sidebar.list_view.currentIndex().row() == 1


def test_clicking_a_conversation_opens_it(qtbot: QtBot, sidebar: Sidebar) -> None:
    rect = sidebar.list_view.visualRect(sidebar.conversations.index(3))
    with qtbot.waitSignal(sidebar.conversation_selected) as blocker:
        qtbot.mouseClick(sidebar.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [1]


def test_rename_in_place(qtbot: QtBot, sidebar: Sidebar) -> None:
    sidebar.start_rename(4)
    editor = sidebar.list_view.focusWidget()
    assert editor is not None and editor is not sidebar.list_view
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, "Holiday plans")
    with qtbot.waitSignal(sidebar.rename_requested) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert blocker.args == [4, "Holiday plans"]


def test_delete_key_and_menu_ask_to_delete(qtbot: QtBot, sidebar: Sidebar) -> None:
    sidebar.list_view.setFocus()
    with qtbot.waitSignal(sidebar.delete_requested) as blocker:
        qtbot.keyClick(sidebar.list_view, Qt.Key.Key_Delete)
    assert blocker.args == [2]
    menu = sidebar.context_menu_for(items()[2])
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels == [
        "Rename…",
        "Unpin",
        "Conversation settings…",
        "Export as Markdown…",
        "Export as JSON…",
        "Delete",
    ]
    with qtbot.waitSignal(sidebar.pin_requested) as pinned:
        next(a for a in menu.actions() if a.text() == "Unpin").trigger()
    assert pinned.args == [3, False]


def test_search_is_debounced_and_shows_hits(qtbot: QtBot, sidebar: Sidebar) -> None:
    queries: list[str] = []
    sidebar.search_changed.connect(queries.append)
    qtbot.keyClicks(sidebar.search_field, "pyth")
    qtbot.waitUntil(lambda: queries == ["pyth"], timeout=2000)
    hit = SearchResult(1, 42, "Old", "I like python a lot", ((7, 13),))
    sidebar.set_search_results("pyth", [hit])
    assert sidebar.pages.currentIndex() == Sidebar.SEARCH_PAGE
    rect = sidebar.results_view.visualRect(sidebar.results.index(0))
    with qtbot.waitSignal(sidebar.search_hit_activated) as blocker:
        qtbot.mouseClick(
            sidebar.results_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert blocker.args == [1, 42]
    sidebar.set_search_results("pyth", [])
    assert sidebar.pages.currentIndex() == Sidebar.EMPTY_PAGE
    assert "pyth" in sidebar.empty_label.text()
    qtbot.keyClick(sidebar.search_field, Qt.Key.Key_Escape)
    assert sidebar.search_field.text() == ""
    assert sidebar.pages.currentIndex() == Sidebar.LIST_PAGE
    assert queries[-1] == ""


def test_late_results_of_an_older_query_are_ignored(sidebar: Sidebar) -> None:
    sidebar.search_field.setText("python")
    sidebar.set_search_results("pyth", [SearchResult(1, 1, "Old", "pyth", ((0, 4),))])
    assert sidebar.results.hits() == []


def test_snippets_escape_text_and_mark_hits() -> None:
    hit = SearchResult(1, 1, "t", "<b>x</b> and x", ((3, 4), (13, 14)))
    assert snippet_html(hit) == ("&lt;b&gt;<b class='hit'>x</b>&lt;/b&gt; and <b class='hit'>x</b>")


def test_relative_dates() -> None:
    assert relative_date(NOW - timedelta(hours=1), NOW) == "14:30"
    assert relative_date(NOW - timedelta(days=1), NOW) == "Yesterday"
    assert relative_date(NOW - timedelta(days=3), NOW) == "Sunday"
    assert relative_date(NOW - timedelta(days=30), NOW) == "20 Apr"
    assert relative_date(NOW - timedelta(days=400), NOW) == "15/04/2025"


def test_undo_bar_offers_undo_then_expires(qtbot: QtBot, sidebar: Sidebar) -> None:
    bar = sidebar.undo_bar
    bar.show_message("“Old” was deleted.")
    assert bar.isVisible()
    with qtbot.waitSignal(sidebar.undo_requested):
        bar.undo_button.click()
    assert not bar.isVisible()
    with qtbot.waitSignal(bar.expired, timeout=3000):
        bar.show_message("“Old” was deleted.", seconds=1)
    assert not bar.isVisible()


def test_an_empty_list_says_so(qtbot: QtBot) -> None:
    widget = Sidebar()
    qtbot.addWidget(widget)
    widget.set_conversations([], current=None)
    assert widget.pages.currentIndex() == Sidebar.EMPTY_PAGE
    assert widget.empty_label.text() == "No conversations yet."


# ---- status bar ---------------------------------------------------------------------------------


def loaded(backend: Backend, gpu_layers: int = 41) -> Loaded:
    return Loaded(
        model_path=Path("/m/Mistral-Small-3.2-24B-Instruct-2506-UD-Q4_K_XL.gguf"),
        model_name="Mistral Small 3.2",
        backend=backend,
        n_ctx=32768,
        n_ctx_train=131072,
        n_layers=40,
        n_gpu_layers=gpu_layers,
        memory_bytes=16 * 2**30,
        has_vision=False,
        template_source="model",
    )


def test_status_bar_shows_model_quant_backend_context_and_speed(qtbot: QtBot) -> None:
    bar = StatusBar()
    qtbot.addWidget(bar)
    assert bar.model_text == "No model loaded"
    bar.show_model(loaded(Backend.CPU))
    assert bar.model_text == "Mistral-Small-3.2-24B-Instruct-2506 · UD-Q4_K_XL"
    assert bar.backend_text == "CPU only"
    bar.show_model(loaded(Backend.CUDA))
    assert bar.backend_text == "CUDA"
    bar.show_model(loaded(Backend.CUDA, gpu_layers=37))
    assert bar.backend_text == "CUDA · 37/41 layers on the GPU, answers about 2× slower"
    bar.show_model(loaded(Backend.METAL, gpu_layers=37))
    assert bar.backend_text.startswith("Metal · 37/41 layers on the GPU, answers a little")
    bar.set_context(1234, 32768, exact=True)
    assert bar.context_format == "1,234 / 32,768 tokens"
    bar.set_context(40000, 32768, exact=False)
    assert bar.context_format == "≈ 40,000 / 32,768 tokens"
    bar.set_speed(23.456)
    assert bar.speed_text == "23.5 tokens/s"


# ---- notices and small dialogs ------------------------------------------------------------------


def test_notice_bar_runs_its_action_once(qtbot: QtBot) -> None:
    bar = NoticeBar()
    qtbot.addWidget(bar)
    ran: list[bool] = []
    bar.show_notice("It broke.", Severity.ERROR, action=("Retry", lambda: ran.append(True)))
    assert bar.isVisibleTo(None) or not bar.isHidden()
    assert bar.text == "It broke." and bar.severity is Severity.ERROR
    bar.action_button.click()
    assert ran == [True]
    assert bar.isHidden()


def test_context_dialog_offers_to_drop_the_oldest(qtbot: QtBot) -> None:
    facts = ContextOverflowFacts(
        prompt_tokens=5000, n_ctx=4096, answer_budget=1024, dropped_messages=4
    )
    dialog = ContextLimitDialog(facts)
    qtbot.addWidget(dialog)
    dialog.set_remember(True)
    assert dialog.drop_button is not None
    dialog.drop_button.click()
    decision = dialog.decision()
    assert decision.choice is ContextOverflow.DROP_OLDEST and decision.remember


def test_context_dialog_only_offers_to_stop_when_nothing_can_be_dropped(qtbot: QtBot) -> None:
    facts = ContextOverflowFacts(
        prompt_tokens=5000, n_ctx=4096, answer_budget=1024, dropped_messages=0
    )
    dialog = ContextLimitDialog(facts)
    qtbot.addWidget(dialog)
    assert dialog.drop_button is None
    dialog.stop_button.click()
    assert dialog.decision().choice is ContextOverflow.STOP


def test_every_bound_shortcut_is_documented(qtbot: QtBot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = dict(dialog.rows)
    assert len(rows) == len(window_shortcuts())
    for shortcut_id in ShortcutId:
        assert key_sequences(shortcut_id)
    assert rows["New chat"] == "Ctrl+N"
    assert rows["Search all conversations"] == "Ctrl+F  or  Ctrl+K"
    assert rows["Copy the last answer"] == "Ctrl+Shift+C"


# ---- menus --------------------------------------------------------------------------------------


def test_each_menu_item_has_its_own_accelerator_and_a_description(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    WindowActions(window)
    menus = window.menuBar().findChildren(QMenu)
    assert len(menus) == len(window.menuBar().actions()) == 3
    titles = [action.text() for action in window.menuBar().actions()]
    items = [
        [action.text() for action in menu.actions() if not action.isSeparator()] for menu in menus
    ]
    for texts in [titles, *items]:
        letters = [re.findall(r"&(\w)", text) for text in texts]
        assert all(len(found) == 1 for found in letters), texts
        assert len({found[0].lower() for found in letters}) == len(texts), texts
    for menu in menus:
        assert all(action.statusTip() for action in menu.actions() if not action.isSeparator())
