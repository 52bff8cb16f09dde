"""The polite client retries what may pass (refused, reset, timed out) and not what won't."""

import socket
import threading

import pytest

from core.http.client import FetchError, PoliteClient, TransientFetchError


def client(**options):
    sleeps = []
    defaults = {"timeout": 0.5, "min_interval": 0, "retries": 2, "backoff": 1.0}
    return PoliteClient(**{**defaults, **options}, sleep=sleeps.append), sleeps


@pytest.fixture
def flaky_server():
    """Resets the first connection, then answers 200: a server restarting under us."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(conn)
            conn.recv(65536)
            if len(connections) == 1:
                # SO_LINGER 0: close with a RST, as a crashing server does.
                conn.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                conn.close()
                continue
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", connections
    listener.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_reset_connection_is_retried_and_then_answers(flaky_server):
    url, connections = flaky_server
    polite, sleeps = client()
    response = polite.get(url)
    assert (response.status, response.body) == (200, b"ok")
    assert len(connections) == 2
    assert sleeps == [1.0]  # one backoff before the second try


def test_a_refused_connection_is_retried_with_backoff_then_reported():
    polite, sleeps = client(retries=3)
    with pytest.raises(TransientFetchError, match="refused"):
        polite.get(f"http://127.0.0.1:{free_port()}/")
    assert sleeps == [1.0, 2.0, 4.0]


def test_a_bad_url_is_not_retried():
    polite, sleeps = client()
    with pytest.raises(FetchError) as raised:
        polite.get("http://[::1/")
    assert not isinstance(raised.value, TransientFetchError)
    assert sleeps == []
