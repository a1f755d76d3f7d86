#!/usr/bin/env bash
# Runs the web server with a Celery worker and beat beside it (the embedded
# mode: SQLite and a filesystem broker unless DATABASE_URL / REDIS_URL are
# set). Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
mkdir -p var/celery/processed var/log var/mail

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

.venv/bin/celery -A socialgov worker --loglevel=INFO --concurrency=2 -Q default,urgent >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A socialgov beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

echo "SocialGov on http://127.0.0.1:${PORT}"
echo "  emails: var/mail/ (one file per batch) unless EMAIL_URL is set; worker and beat logs: var/log/"
"$PY" manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
wait -n
