import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def classifier():
    from kb.classify import get_classifier
    return get_classifier()


@pytest.fixture(scope="session")
def kb(classifier):
    return classifier.kb


@pytest.fixture()
def kb_copy(tmp_path):
    """A private copy of the knowledge files, to break on purpose."""
    for sub in ("rules", "standards"):
        shutil.copytree(ROOT / sub, tmp_path / sub)
    return tmp_path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real service: `hazardkb serve` (uvicorn) on a free local port."""
    port = free_port()
    env = dict(os.environ, HAZARDKB_CACHE=str(tmp_path_factory.mktemp("cache")))
    # The server's log goes to a file: a pipe nobody reads fills up after some
    # thousand access-log lines and then blocks the server.
    log_path = tmp_path_factory.mktemp("server") / "serve.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([sys.executable, "-m", "kb.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    import httpx
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + log_path.read_text(errors="replace"))
        try:
            if httpx.get(base + "/v1/version", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not start in 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
