#!/usr/bin/env python3
"""Run commands at once (or ``--first-after-s`` later), then every interval: the schedulers.

    python deploy/local/every.py --interval-s 3600 -- flask --app assessment actions remind --days 7
    python deploy/local/every.py --interval-s 3600 \
        --command "flask --app reports digests send --period daily" \
        --command "flask --app reports digests purge --older-than-days 90"

Each round runs the commands one after the other and logs each one's exit status; a failing run
(a non-zero status, a missing program) is logged and the next round comes all the same. SIGTERM
or SIGINT stops it: a command that is running gets the signal too and is waited for, then the
runner exits 0. The scheduled commands are idempotent (ADR 0010, ADR 0013): the interval only
bounds how late their work is done. In Kubernetes, CronJobs run them instead.

Stdlib only.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from types import FrameType

TICK_S = 0.5  # how often the wait between rounds looks whether it was asked to stop


class Runner:
    """Runs its commands every ``interval_s`` seconds until ``stop()``."""

    def __init__(
        self, commands: Sequence[Sequence[str]], interval_s: float, first_after_s: float = 0.0
    ) -> None:
        """Describe the rounds; nothing runs before ``run_forever()``."""
        self.commands = [list(c) for c in commands]
        self.interval_s = interval_s
        self.first_after_s = first_after_s
        self.stopping = False
        self._child: subprocess.Popen[bytes] | None = None

    def stop(self, signum: int = signal.SIGTERM, _frame: FrameType | None = None) -> None:
        """Stop after the running command (which gets ``signum`` too); no further round."""
        self.stopping = True
        child = self._child
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    def run_once(self, argv: list[str]) -> int | None:
        """Run one command to its end and log its exit status (None: it could not start)."""
        started = time.monotonic()
        try:
            self._child = subprocess.Popen(argv)  # noqa: S603 - the operator's own command
        except OSError as error:
            _log(f"{shlex.join(argv)}: could not start: {error}")
            return None
        try:
            code = self._child.wait()
        finally:
            self._child = None
        _log(f"{shlex.join(argv)}: exited {code} after {time.monotonic() - started:.1f} s")
        return code

    def run_forever(self) -> int:
        """Run a round after ``first_after_s``, then one every interval, until stopped; return 0."""
        self._wait_until(time.monotonic() + self.first_after_s)
        while not self.stopping:
            began = time.monotonic()
            for argv in self.commands:
                if self.stopping:
                    break
                self.run_once(argv)
            self._wait_until(began + self.interval_s)
        _log("stopped")
        return 0

    def _wait_until(self, deadline: float) -> None:
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(TICK_S, max(0.0, deadline - time.monotonic())))


def _log(message: str) -> None:
    print(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} every: {message}", flush=True)


def parse_args(argv: Sequence[str]) -> tuple[list[list[str]], float, float]:
    """Return the commands (``--command`` strings, then the one after ``--``), the interval and
    the wait before the first round."""
    argv = list(argv)
    tail: list[str] = []
    if "--" in argv:
        split = argv.index("--")
        argv, tail = argv[:split], argv[split + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--interval-s", type=float, required=True, help="seconds between rounds")
    parser.add_argument(
        "--first-after-s",
        type=float,
        default=0.0,
        help="seconds before the first round (0: at once); a starting platform is busy",
    )
    parser.add_argument(
        "--command", action="append", default=[], help="a command line (repeatable, in order)"
    )
    args = parser.parse_args(argv)
    commands = [shlex.split(c) for c in args.command] + ([tail] if tail else [])
    if not commands or not all(commands):
        parser.error("give a command: --command '...' or -- program args...")
    if args.interval_s <= 0:
        parser.error("--interval-s must be positive")
    if args.first_after_s < 0:
        parser.error("--first-after-s must not be negative")
    return commands, args.interval_s, args.first_after_s


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, install the signal handlers and run until stopped."""
    commands, interval_s, first_after_s = parse_args(sys.argv[1:] if argv is None else argv)
    runner = Runner(commands, interval_s, first_after_s)
    signal.signal(signal.SIGTERM, runner.stop)
    signal.signal(signal.SIGINT, runner.stop)
    _log(f"every {interval_s:g} s: {'; '.join(shlex.join(c) for c in commands)}")
    return runner.run_forever()


if __name__ == "__main__":
    sys.exit(main())
