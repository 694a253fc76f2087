#!/usr/bin/env bash
# Two (or more) replicas of the bot in webhook mode on loopback, sharing one PostgreSQL store.
#
#   TELEGRAM_BOT_TOKEN=... WEBHOOK_URL=https://bot.example.org/hook WEBHOOK_SECRET=... \
#   BOT_PSEUDONYM_KEY=... examples/replicas.sh
#
# Without BOT_DB_URL a throw-away PostgreSQL is started on a free loopback port (initdb + pg_ctl,
# as the postgres user when run as root) and removed at exit; with it, that server is used.
# The replicas listen on 127.0.0.1 at REPLICA_PORTS (default "8441 8442"): point your reverse proxy
# (TLS, WEBHOOK_URL's host) at all of them, e.g. an nginx `upstream` with both. Ctrl-C or SIGTERM
# stops the replicas (each finishes or returns its updates to the shared inbox) and the server.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${TELEGRAM_BOT_TOKEN:?set TELEGRAM_BOT_TOKEN}" "${WEBHOOK_URL:?set WEBHOOK_URL (https://...)}"
: "${BOT_PSEUDONYM_KEY:?set BOT_PSEUDONYM_KEY (the same secret for every replica)}"
work="$(mktemp -d)"
pg=""
pids=()
stop() {
  trap - EXIT INT TERM
  if ((${#pids[@]})); then kill -TERM "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; fi
  if [[ -n "$pg" ]]; then python -m bot.testing.postgres stop "$pg" >/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 0' INT TERM
if [[ -z "${BOT_DB_URL:-}" ]]; then
  pg="$(mktemp -d)"
  line="$(python -m bot.testing.postgres start "$pg")"
  export BOT_DB_URL="${line#BOT_TEST_PG_URL=}"
  echo "PostgreSQL on ${BOT_DB_URL##*@}"
fi
ports=(${REPLICA_PORTS:-8441 8442})
export BOT_REPLICAS="${#ports[@]}"  # each takes its share of Telegram's 30 messages a second
for port in "${ports[@]}"; do
  mkdir -p "$work/$port"  # each replica's own spill file (and its log output)
  BOT_DB_PATH="$work/$port/log.sqlite3" WEBHOOK_LISTEN=127.0.0.1 WEBHOOK_PORT="$port" \
    python run.py >"$work/$port/stdout.txt" 2>"$work/$port/stderr.txt" &
  pids+=("$!")
  echo "replica on 127.0.0.1:$port (pid $!)"
done
wait -n "${pids[@]}" || true
echo "a replica stopped; stopping the others" >&2
