"""Clients' tool-call ids (`call_Xy12…`, `toolu_01…`) to the nine letters and digits Mistral's
template demands, and back. The mapping is a hash, so the same client id gets the same model id
in every request of a conversation; an id already in Mistral's shape is kept as it is."""

from __future__ import annotations

import hashlib
import string

from app.core.tool_calls import CALL_ID_LENGTH, checked_call_id

_ALPHABET = string.ascii_letters + string.digits


def _hashed(client_id: str, salt: int) -> str:
    number = int.from_bytes(hashlib.sha256(f"{salt}:{client_id}".encode()).digest(), "big")
    letters = []
    for _ in range(CALL_ID_LENGTH):
        number, index = divmod(number, len(_ALPHABET))
        letters.append(_ALPHABET[index])
    return "".join(letters)


class CallIds:
    """The ids of one request: `for_model` while reading it, `for_client` on the answer."""

    def __init__(self) -> None:
        self._to_model: dict[str, str] = {}
        self._to_client: dict[str, str] = {}

    def for_model(self, client_id: str) -> str:
        known = self._to_model.get(client_id)
        if known is not None:
            return known
        model_id = client_id if checked_call_id(client_id) == client_id else _hashed(client_id, 0)
        salt = 0
        while model_id in self._to_client:  # two client ids, one hash: very unlikely
            salt += 1
            model_id = _hashed(client_id, salt)
        self._to_model[client_id] = model_id
        self._to_client[model_id] = client_id
        return model_id

    def for_client(self, model_id: str) -> str:
        return self._to_client.get(model_id, model_id)
