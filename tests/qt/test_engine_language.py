"""The engine process speaks the window's language, except to the local API's clients."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from app.core.i18n import english, install_translator, translate
from app.core.locale_format import format_count, install_formats
from app.core.messages import ChatMessage, Role
from app.core.mistral_rules import ConversationRefused, prepare
from app.core.sampling import SamplingParams
from app.engine.protocol import EngineError, ErrorKind, Event, Generate, LoadModel
from app.qt_bridge.engine_controller import EngineClientLike, default_client_factory
from app.qt_bridge.engine_language import engine_language
from app.qt_bridge.language import WindowLanguage
from tests.integration.engine_helpers import HELLO

TIMEOUT = 60


@pytest.fixture
def french_engine(qapp: QApplication) -> Iterator[tuple[EngineClientLike, queue.Queue[Event]]]:
    """A real engine process started, as the window starts it, by a window speaking French."""
    language = WindowLanguage(qapp)
    language.use("fr")
    events: queue.Queue[Event] = queue.Queue()
    client = default_client_factory(events.put)
    language.remove()  # the engine keeps the language it started with
    client.start()
    yield client, events
    client.stop()


def _error(events: queue.Queue[Event]) -> EngineError:
    event = events.get(timeout=TIMEOUT)
    assert isinstance(event, EngineError), event
    return event


def test_a_french_window_hears_the_engine_in_french(
    french_engine: tuple[EngineClientLike, queue.Queue[Event]], tmp_path: Path
) -> None:
    client, events = french_engine
    missing = tmp_path / "absent.gguf"
    client.send(LoadModel(missing))
    error = _error(events)
    assert error.kind is ErrorKind.FILE_NOT_FOUND
    assert error.message == f"Le fichier de modèle {missing} n’existe pas."


def test_answers_for_the_api_are_worded_in_english(
    french_engine: tuple[EngineClientLike, queue.Queue[Event]],
) -> None:
    client, events = french_engine
    client.send(Generate(1, HELLO, SamplingParams(max_tokens=4)))
    assert _error(events).message == "Aucun modèle n’est chargé. Chargez d’abord un modèle."
    client.send(Generate(2, HELLO, SamplingParams(max_tokens=4), english=True))
    assert _error(events).message == "No model is loaded. Load a model first."


@pytest.fixture
def german_locale(qapp: QApplication) -> Iterator[None]:
    """An English window on a German system: German is not shipped, its numbers are."""
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    yield
    QLocale.setDefault(before)
    install_translator(None)
    install_formats(None)


def test_an_english_window_hands_the_engine_its_locale(german_locale: None) -> None:
    setup = engine_language()
    assert setup is not None
    setup()  # what the engine process runs first
    assert format_count(32768) == "32.768"
    assert translate("EngineWorker", "Not sent: {reason}.") == "Not sent: {reason}."


def test_an_english_window_in_english_numbers_starts_the_engine_as_it_is(
    qapp: QApplication,
) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    try:
        assert engine_language() is None
    finally:
        QLocale.setDefault(before)


def test_a_refusal_reads_in_the_window_s_language_and_in_english_for_the_api(
    qapp: QApplication,
) -> None:
    language = WindowLanguage(qapp)
    language.use("fr")
    out_of_order = [ChatMessage(Role.USER, "Bonjour"), ChatMessage(Role.ASSISTANT, "Salut")]
    out_of_order.append(ChatMessage(Role.SYSTEM, "Sois bref."))
    try:
        with pytest.raises(ConversationRefused) as refused:
            prepare(out_of_order)
        with english(), pytest.raises(ConversationRefused) as refused_for_api:
            prepare(out_of_order)
    finally:
        language.remove()
    assert str(refused.value) == (
        "Message 3 : Un message système ne peut pas suivre un message de l’assistant."
    )
    assert str(refused_for_api.value) == (
        "Message 3: A system message cannot follow an assistant message."
    )
