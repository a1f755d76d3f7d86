#!/usr/bin/env bash
# Starts the platform as `make run` does, on the embedded default (SQLite, no
# Redis), in a scratch copy of the database; fetches the sign-in page; stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${SMOKE_PORT:-8765}"
workdir="$(mktemp -d)"
log="$workdir/run.log"
env -u DATABASE_URL -u REDIS_URL DATABASE_URL="sqlite:///$workdir/smoke.sqlite3" \
  setsid make run PORT="$PORT" >"$log" 2>&1 &
pid=$!
# Stop the whole process group (make, web server, worker, beat); whatever has not stopped in 15 s is killed,
# so no worker outlives the check.
stop() {
  kill -- -"$pid" 2>/dev/null || true
  for _ in $(seq 15); do kill -0 -- -"$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap stop EXIT

for _ in $(seq 180); do
  if curl -fsS "http://127.0.0.1:$PORT/accounts/login/" -o "$workdir/login.html" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$log"; echo "make run exited before serving" >&2; exit 1
  fi
  sleep 1
done
grep -qi "sign in" "$workdir/login.html" || { cat "$log"; echo "the sign-in page did not render" >&2; exit 1; }
echo "make run served the sign-in page on port $PORT"
for _ in $(seq 60); do
  grep -q "ready" var/log/worker.log 2>/dev/null && break
  sleep 1
done
grep -q "ready" var/log/worker.log || { cat var/log/worker.log; echo "the Celery worker did not start" >&2; exit 1; }
echo "the Celery worker and beat started beside it"
