#!/usr/bin/env python3
"""`make run`: the whole platform on this machine, with SQLite under data/ and demo data.

Prints the gateway URL, the API docs and the demo accounts, then runs until Ctrl-C (or SIGTERM)
and stops every process it started. Database URLs, REDIS_URL and LOG_* are taken from the
environment when set (for instance PORTAL_DATABASE_URL=postgresql+psycopg://...).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import (
    DEFAULT_PORTS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    GATEWAY_MODES,
    REPO_ROOT,
    SERVICES,
    Stack,
    StackError,
    free_port,
)

# Settings passed through from the caller's environment when set.
PASSED_THROUGH = (
    *(f"{svc.upper()}_DATABASE_URL" for svc in SERVICES),
    "LOG_LEVEL",
    "LOG_FORMAT",
)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the Smart Customs platform locally.")
    parser.add_argument("--data-dir", default=str(REPO_ROOT / "data"), help="[data/]")
    parser.add_argument("--gateway", choices=GATEWAY_MODES, default="auto", help="[auto]")
    parser.add_argument("--port", type=int, default=DEFAULT_PORTS["gateway"], help="[8080]")
    parser.add_argument("--no-seed", action="store_true", help="skip the demo data")
    parser.add_argument(
        "--free-ports", action="store_true", help="pick free ports for every process (tests)"
    )
    return parser.parse_args(argv)


def _banner(stack: Stack, started_s: float) -> str:
    lines = [
        "",
        f"Smart Customs is running ({stack.gateway_mode} gateway, started in {started_s:.0f} s)",
        "",
        f"  Open:      {stack.url}/",
        f"  API docs:  {'  '.join(f'{stack.url}/api/v1/{svc}/docs' for svc in SERVICES)}",
        f"  Logs:      {stack.logs_dir}/",
        "",
    ]
    if stack.seed_demo:
        lines.append(f"  Demo accounts, password {DEMO_PASSWORD}:")
        lines += [f"    {login:<28} {role}" for login, role in DEMO_ACCOUNTS]
        lines.append("")
    lines.append("Press Ctrl-C to stop everything.")
    return "\n".join(lines)


def _raise_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _ports(args: argparse.Namespace) -> dict[str, int]:
    if args.free_ports:
        return {name: free_port() for name in DEFAULT_PORTS}
    return {"gateway": args.port}


def main(argv: list[str] | None = None) -> int:
    """Start, wait for Ctrl-C, stop."""
    args = _parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupt)  # SIGINT too: a background job ignores it
    env = {name: os.environ[name] for name in PASSED_THROUGH if os.environ.get(name)}
    stack = Stack(
        args.data_dir,
        ports=_ports(args),
        env=env,
        gateway=args.gateway,
        seed_demo=not args.no_seed,
        redis_url=os.environ.get("REDIS_URL") or None,
    )
    print(f"Starting Smart Customs (logs in {stack.logs_dir}/) ...", flush=True)
    started = time.monotonic()
    try:
        stack.start()
        print(_banner(stack, time.monotonic() - started), flush=True)
        while True:
            time.sleep(1)
            stack.check_alive()
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except StackError as error:
        print(f"\nThe platform stopped: {error}", file=sys.stderr)
        return 1
    finally:
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
