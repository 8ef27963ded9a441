"""A server may close a kept-alive connection while it sits in the pool (idle timeouts,
restarts): the next GET to that host then fails before any answer. A GET is safe to send
again, so it is sent once more on a new connection instead of failing the source; a
connection that breaks off after the answer began still fails, with a message that says
so even when the error has no text of its own."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tracker.fetchers.http import FetchError, get, make_client

OK = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
      b"Connection: keep-alive\r\n\r\nok")


async def _serve(on_second_request):
    """Answers each connection's first request and keeps it open; on a later request on
    the same connection, does what ``on_second_request`` says (close, reset)."""
    async def answer(reader, writer):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(OK)
        await writer.drain()
        try:
            await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        on_second_request(writer)

    return await asyncio.start_server(answer, "127.0.0.1", 0)


@pytest.mark.parametrize("how", ["reset", "close"])
async def test_a_kept_alive_connection_closed_by_the_server_is_replaced(how):
    def hang_up(writer):
        if how == "reset":
            writer.transport.abort()
        else:
            writer.close()

    server = await _serve(hang_up)
    port = server.sockets[0].getsockname()[1]
    async with server, make_client() as client:
        first = await get(client, f"http://127.0.0.1:{port}/a.txt", accept=("text/plain",))
        second = await get(client, f"http://127.0.0.1:{port}/b.txt", accept=("text/plain",))
    assert first.body == b"ok" and second.body == b"ok"


async def test_an_answer_that_breaks_off_still_fails_with_a_message():
    def handler(request):
        raise httpx.ReadError("")

    async with make_client(httpx.MockTransport(handler)) as client:
        with pytest.raises(FetchError) as caught:
            await get(client, "https://src.test/a.txt", accept=("text/plain",))
    assert str(caught.value).startswith("ReadError: ") and len(str(caught.value)) > 12
