"""Which engine answers: the local llama.cpp process, or the server of Settings → Engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.api_key import load_api_key
from app.engine.protocol import Event, LoadModel
from app.qt_bridge.engine_controller import ClientFactory, EngineClientLike, default_client_factory
from app.settings import Settings

SERVER_MODEL_PATH = Path("server")  # a load command for a server names no file


def client_factory_for(settings: Settings) -> ClientFactory:
    remote = settings.remote
    if not remote.enabled or not remote.base_url:
        return default_client_factory
    from app.engine.remote import RemoteEngineClient, RemoteServer  # the SDK only when used

    server = RemoteServer(
        remote.base_url, api_key=load_api_key(), model=remote.model, n_ctx=settings.model.n_ctx
    )

    def factory(on_event: Callable[[Event], None]) -> EngineClientLike:
        return RemoteEngineClient(on_event, server)

    return factory


def uses_server(settings: Settings) -> bool:
    return settings.remote.enabled and bool(settings.remote.base_url)


def server_load() -> LoadModel:
    return LoadModel(SERVER_MODEL_PATH)
