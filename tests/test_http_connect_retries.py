"""A refused connection is tried again by the transport before a source fails."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
import pytest

from tracker.fetchers.http import CONNECT_RETRIES, FetchError, get, make_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _serve(port: int) -> asyncio.Server:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n"
                     b"Connection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", port)


async def test_a_server_that_refuses_the_first_connection_is_reached():
    port = _free_port()  # nothing listens yet: the first attempt is refused
    url = f"http://127.0.0.1:{port}/data.txt"
    server = None

    async def open_later() -> None:
        nonlocal server
        await asyncio.sleep(0.2)  # after the first attempt, before the retry at 0.5 s
        server = await _serve(port)

    opener = asyncio.create_task(open_later())
    try:
        async with make_client() as client:
            response = await get(client, url, accept=("text/plain",))
        assert response.body == b"ok"
    finally:
        await opener
        server.close()
        await server.wait_closed()


async def test_without_the_transport_retries_the_same_start_fails():
    port = _free_port()
    async with make_client(transport=httpx.AsyncHTTPTransport()) as client:
        with pytest.raises(FetchError, match="ConnectError"):
            await get(client, f"http://127.0.0.1:{port}/", accept=("text/plain",))


async def test_a_port_that_stays_closed_fails_after_the_retries():
    port = _free_port()
    started = time.monotonic()
    async with make_client() as client:
        with pytest.raises(FetchError, match="ConnectError"):
            await get(client, f"http://127.0.0.1:{port}/", accept=("text/plain",))
    # 0 + 0.5 + 1 s of backoff for 3 retries: bounded, and more than no retry at all.
    assert CONNECT_RETRIES == 3
    assert 1.0 < time.monotonic() - started < 10
