"""Fixtures of the integration tests: a real engine process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.engine_helpers import EngineProbe


@pytest.fixture
def engine() -> Iterator[EngineProbe]:
    probe = EngineProbe()
    probe.client.start()
    yield probe
    probe.client.stop()
