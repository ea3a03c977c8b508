"""A PostgreSQL cluster of a test's own (pg_createcluster on a free port, trust auth on 127.0.0.1),
so that a test can stop and start it without touching the shared server on 5432."""

import os
import shutil
import socket
import subprocess
import uuid


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing():
    """Why this machine cannot make a cluster of its own, or None."""
    if not shutil.which("pg_createcluster") or not os.path.isdir("/etc/postgresql"):
        return "pg_createcluster is not installed (postgresql-common)"
    if os.geteuid() != 0:
        return "pg_createcluster cannot run: it needs root"
    return None


class OwnPostgres:
    """create() → start()/stop() at will → drop(); `url(name)` is a database URL on it."""

    def __init__(self):
        self.version = sorted(os.listdir("/etc/postgresql"))[-1]
        self.name = f"test_{uuid.uuid4().hex[:10]}"
        self.port = free_port()

    def run(self, *command, timeout=120):
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout)

    def create(self):
        self.run(
            "pg_createcluster", self.version, self.name, "-p", str(self.port), "--",
            "--auth-host=trust", "--auth-local=trust",
        )  # fmt: skip
        self.start()

    def start(self):
        self.run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "start")

    def stop(self):
        self.run("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop", "-m", "fast")

    def drop(self):
        subprocess.run(
            ["pg_dropcluster", "--stop", self.version, self.name],
            capture_output=True,
            timeout=120,
            check=False,
        )

    def createdb(self, name):
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"
