"""Real faults: a Redis or PostgreSQL of the test's own on a spare loopback port, stopped, frozen
(SIGSTOP) and brought back; a worker process killed. Skipped with a reason when the binaries are absent
(failed under REQUIRE_SERVICES=1)."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import missing


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class RedisServer:
    """redis-server on a spare port, in memory only; stop/start keep the port, freeze/thaw SIGSTOP/SIGCONT."""

    def __init__(self, binary: str) -> None:
        self.binary, self.port, self.process = binary, spare_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: port_answers(self.port), 10), "redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)
        assert wait_until(lambda: not port_answers(self.port), 10)

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if not binary:
        missing("redis-server is not installed")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


def postgres_bin() -> Path | None:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(os.path.join(folder, "pg_ctl"), os.X_OK) and os.access(os.path.join(folder, "initdb"), os.X_OK):
            return Path(folder)
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


class PostgresCluster:
    """A throw-away cluster (initdb) on a spare port, trust auth, stopped and started with pg_ctl."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin, self.root, self.port = bin_dir, root, spare_port()
        self.data = root / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/testimonials"

    def _run(self, *args: str) -> None:
        user = {}
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the cluster folder's owner
            user = {"user": "postgres"}
        subprocess.run([str(self.bin / args[0]), *args[1:]], check=True, capture_output=True, timeout=120, **user)

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "testimonials")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def postgres_cluster():
    bin_dir = postgres_bin()
    if bin_dir is None:
        missing("PostgreSQL's initdb/pg_ctl are not installed")
    root = Path(tempfile.mkdtemp(prefix="pg-fault-"))
    cluster = PostgresCluster(bin_dir, root)
    cluster.init()
    yield cluster
    try:
        cluster.stop()
    except subprocess.CalledProcessError:
        pass  # already stopped by the test
    shutil.rmtree(root, ignore_errors=True)
