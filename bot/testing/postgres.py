"""A throw-away PostgreSQL server on loopback, for the tests, CI, the benchmark and the replica
example: Debian's `initdb` and `pg_ctl` (as the `postgres` user when we are root: initdb refuses
root) in a temporary folder, on a free port of 127.0.0.1, with a random password and the C
collation (text order = byte order, as in SQLite). Never used by the bot itself.

initdb costs seconds of CPU. With PG_TEMPLATE_DIR set (the test session sets it to its own
folder), the first server's fresh data folder is kept there and the next servers start from a copy
of it, given a password of their own; without it each server runs initdb.

    python -m bot.testing.postgres start DIR   # prints BOT_TEST_PG_URL=postgresql://...
    python -m bot.testing.postgres stop DIR
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ENV_URL = "BOT_TEST_PG_URL"
BIN_DIRS = (
    Path("/usr/lib/postgresql/15/bin"),
    *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True),
)
START_TIMEOUT = 30
TEMPLATE_ENV = "PG_TEMPLATE_DIR"


def find_bin() -> Path | None:
    """The folder with initdb and pg_ctl, or None."""
    override = os.environ.get("PG_BIN")
    if override:  # exactly there, or nowhere (how the tests of the skip path run)
        candidates = [Path(override)]
    else:
        candidates = list(BIN_DIRS)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """One server in `folder` (created if missing); `url` once started."""

    def __init__(self, folder: Path, bin_dir: Path) -> None:
        self.folder = folder
        self.bin_dir = bin_dir
        self.data = folder / "data"
        self.url = ""
        self._options = ""  # the server's command-line options, kept for a restart

    def _as_owner(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _run(self, *args: str, timeout: float = START_TIMEOUT, stdin: str | None = None) -> None:
        done = subprocess.run(
            self._as_owner(*args), input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode:
            raise RuntimeError(
                f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-600:]}"
            )

    def start(self) -> str:
        """initdb (or a copy of the template, see the module docstring), then pg_ctl start on a
        free port; return the URL (with its password)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        password = secrets.token_hex(12)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        template = self._template()
        with _locked(template):
            copied = template is not None and self._copy_template(template)
            if not copied:
                self._initdb(password)
                if template is not None:
                    self._keep_as_template(template)
        if copied:
            self._set_password(password)
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {self.folder} -c fsync=off -c max_connections=100"
        )
        self._options = options
        self.resume()
        self.url = f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
        (self.folder / "url").write_text(self.url + "\n")
        return self.url

    def _initdb(self, password: str) -> None:
        pwfile = self.folder / "pw"
        pwfile.write_text(password + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres")
        os.chmod(pwfile, 0o600)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        pwfile.unlink()

    def _template(self) -> Path | None:
        """This server version's template folder under PG_TEMPLATE_DIR, or None (no template)."""
        root = os.environ.get(TEMPLATE_ENV, "").strip()
        if not root:
            return None
        folder = Path(root) / re.sub(r"[^A-Za-z0-9]+", "-", str(self.bin_dir)).strip("-")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _copy_template(self, template: Path) -> bool:
        """The template's data folder copied to ours (owner and modes kept); False if none yet."""
        if not (template / "ready").is_file():
            return False
        _copy(template / "data", self.data)
        return True

    def _keep_as_template(self, template: Path) -> None:
        """A copy of our fresh data folder (never started), for the next servers."""
        shutil.rmtree(template / "data", ignore_errors=True)
        _copy(self.data, template / "data")
        (template / "ready").touch()

    def _set_password(self, password: str) -> None:
        """The copy has the template's password: give it its own (single-user mode, not started)."""
        statement = f"ALTER ROLE postgres PASSWORD '{password}';\n"  # hex digits: nothing to quote
        self._run(
            "postgres",
            "--single",
            "-D",
            str(self.data),
            "-c",
            "exit_on_error=true",
            "postgres",
            stdin=statement,
        )

    def stop_when_gone(self, pid: int) -> None:
        """Stop the server and remove its folder once process `pid` has ended, however it ended
        (a test run killed by `timeout` skips its fixtures' teardown): a small shell watchdog."""
        stop = " ".join(
            shlex.quote(a) for a in self._as_owner("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")
        )
        script = (
            f"while kill -0 {pid} 2>/dev/null; do sleep 2; done; {stop} >/dev/null 2>&1; "
            f"rm -rf {shlex.quote(str(self.folder))}"
        )
        # In the background of a shell that exits at once: nothing of it is left for us to wait for.
        subprocess.run(
            ["sh", "-c", f"( {script} ) </dev/null >/dev/null 2>&1 &"], check=False, start_new_session=True
        )

    def resume(self) -> None:
        """Start the server (again, after `stop`) on its port, with its data."""
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", self._options, "-w", "start")

    def stop(self) -> None:
        """Stop the server (fast: running sessions are ended)."""
        if self.data.is_dir():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def _copy(source: Path, target: Path) -> None:
    """`cp -a`: as root the copy stays the postgres user's, with the modes initdb gave it."""
    done = subprocess.run(
        ["cp", "-a", str(source), str(target)],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"copying {source} failed: {done.stderr.strip()[-600:]}")


@contextlib.contextmanager
def _locked(template: Path | None) -> Iterator[None]:
    """One process at a time makes or copies the template (nothing to lock without one)."""
    if template is None:
        yield
        return
    with open(template / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str]) -> int:
    """start DIR | stop DIR (see the module docstring)."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: python -m bot.testing.postgres start|stop DIR", file=sys.stderr)
        return 2
    folder = Path(argv[1]).resolve()
    bin_dir = find_bin()
    if bin_dir is None:
        print("PostgreSQL not found (initdb/pg_ctl); its tests will skip", file=sys.stderr)
        return 1
    server = PostgresServer(folder, bin_dir)
    if argv[0] == "start":
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                print(f"{ENV_URL}={server.start()}")
                return 0
            except RuntimeError as exc:  # a port taken between our check and the start: try another
                server.stop()
                shutil.rmtree(server.data, ignore_errors=True)
                if time.monotonic() > deadline:
                    print(f"PostgreSQL could not be started: {exc}", file=sys.stderr)
                    return 1
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
