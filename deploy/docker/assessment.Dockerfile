# syntax=docker/dockerfile:1
# The assessment service. Build from the repository root (docker-compose.yml does):
#   docker build -f deploy/docker/assessment.Dockerfile -t smartcustoms/assessment .
# The same image runs the web app (default command), `flask --app assessment events run` and
# `flask --app assessment init-db`.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
# Third-party dependencies first, from the lock: this layer is reused while only code changes.
# uv needs every workspace member's pyproject.toml to read the workspace.
COPY pyproject.toml uv.lock ./
COPY shared/pyproject.toml shared/
COPY services/portal/pyproject.toml services/portal/
COPY services/assessment/pyproject.toml services/assessment/
COPY services/reports/pyproject.toml services/reports/
RUN uv sync --frozen --package smartcustoms-assessment --no-dev --no-install-workspace
# Then our code, installed as regular (non-editable) packages: the venv is all the image needs.
COPY shared/shared shared/shared
COPY services/assessment/assessment services/assessment/assessment
RUN uv sync --frozen --package smartcustoms-assessment --no-dev --no-editable
# The interface catalogs, compiled beside their .po files (.mo files are not in git; without them
# each process compiles the .po files in memory on first use).
RUN for domain in shared assessment; do \
        .venv/bin/pybabel -q compile -d "$(.venv/bin/python -c 'import sys; from shared.translations import translations_dir; print(translations_dir(sys.argv[1]))' "$domain")"; \
    done

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app
COPY --from=build /app/.venv /app/.venv
# DATA_DIR: the only writable place an embedded (SQLite) fallback could use; compose and
# production set ASSESSMENT_DATABASE_URL to PostgreSQL.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/tmp/smartcustoms
WORKDIR /app
USER app
EXPOSE 8002
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8002/healthz', timeout=4)"]
# sh only expands the worker count (operators scale it per service), then hands over to gunicorn.
CMD ["sh", "-c", "exec gunicorn --workers \"${ASSESSMENT_WEB_WORKERS:-3}\" --config python:shared.gunicorn_conf --bind 0.0.0.0:8002 'assessment:create_app()'"]
