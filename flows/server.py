"""A Prefect server with a scheduler for served deployments when none is configured (PREFECT_API_URL unset).

The temporary server Prefect starts on demand runs no scheduler service, so a deployment served
against it would never get scheduled runs. `scheduling_server` starts `prefect server start` as a
child process on a free local port (state in PREFECT_HOME, like every embedded run) and stops it
when serving ends.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from prefect.settings import PREFECT_API_URL, temporary_settings

STARTUP_TIMEOUT_SECONDS = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(api_url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the local Prefect server exited with code {process.returncode}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the local Prefect server did not answer at {api_url} within {timeout:.0f} s")


@contextmanager
def scheduling_server(timeout: float = STARTUP_TIMEOUT_SECONDS) -> Iterator[str]:
    """Yield the API URL to serve against: PREFECT_API_URL, or a local server started for the purpose."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield str(configured)
        return
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
               "--no-ui", "--analytics-off", "--log-level", "WARNING"]
    process = subprocess.Popen(command)
    try:
        wait_until_healthy(api_url, process, timeout)
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
