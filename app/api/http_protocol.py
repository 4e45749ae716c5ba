"""uvicorn's HTTP/1.1 protocol with a deadline for each request's head.

uvicorn closes a keep-alive connection idle after an answer, but a connection that sends nothing,
or a head one byte every few seconds, would be held open for ever, one of the server's few
connection slots each. Here a connection must send a whole request head within
`HEAD_TIMEOUT_S` of opening, and again after each answer, or it is closed.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

HEAD_TIMEOUT_S = 10.0


class DeadlineH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def _arm(self) -> None:
        self.loop.call_later(HEAD_TIMEOUT_S, self._expire, self.cycle)

    def _expire(self, cycle: RequestResponseCycle | None) -> None:
        """No request began since the deadline was set: close the connection."""
        waiting = cycle is None or cycle.response_complete
        if self.cycle is cycle and waiting and not self.transport.is_closing():
            self.timeout_keep_alive_handler()
