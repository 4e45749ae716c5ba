"""The engine process speaks the window's language, except to the local API's clients."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.core.sampling import SamplingParams
from app.engine.protocol import EngineError, ErrorKind, Event, Generate, LoadModel
from app.qt_bridge.engine_controller import EngineClientLike, default_client_factory
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
