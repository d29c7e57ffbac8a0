# syntax=docker/dockerfile:1
# One image for every Digis process: `api` (default), `worker` and `beat` override the
# command (see compose.yaml and docs/deployment.md).

# --- The web app ------------------------------------------------------------------------
FROM node:20-slim AS web
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY frontend/package.json frontend/
RUN PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]") \
    && npm install --global "pnpm@${PNPM_VERSION}" \
    && pnpm install --frozen-lockfile
COPY frontend/ frontend/
RUN pnpm -C frontend build

# --- The Python application ---------------------------------------------------------------
FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 10001 digis && mkdir -p /data/media && chown digis /data/media
COPY requirements/main.txt requirements/main.txt
RUN pip install --require-hashes -r requirements/main.txt
COPY pyproject.toml README.md ./
COPY backend/ backend/
COPY worker/ worker/
COPY migrations/ migrations/
RUN pip install --no-deps --no-build-isolation .
COPY --from=web /src/frontend/dist frontend/dist

ENV APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    FRONTEND_DIST=/app/frontend/dist \
    MEDIA_ROOT=/data/media \
    BEAT_SCHEDULE_PATH=/tmp/celerybeat-schedule \
    WORKER_METRICS_HOST=0.0.0.0
USER digis
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/live' % os.environ.get('PORT', '8000'), timeout=2)"
CMD ["python", "-m", "backend"]
