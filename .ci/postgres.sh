#!/usr/bin/env bash
# A throw-away PostgreSQL on loopback for the store tests (both backends), started and stopped
# around the test line by .ci/run. Without PostgreSQL on the machine `start` prints why and the
# PostgreSQL cases skip with that reason; the test line itself never depends on this script.
#   . <(.ci/postgres.sh start DIR)   # exports BOT_TEST_PG_URL
#   .ci/postgres.sh stop DIR
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:?usage: .ci/postgres.sh start|stop DIR}"
folder="${2:?usage: .ci/postgres.sh start|stop DIR}"
case "$action" in
  start)
    if line="$(python -m bot.testing.postgres start "$folder")"; then
      echo "export $line"
    else
      echo "echo 'PostgreSQL not started: its store tests will skip' >&2"
    fi
    ;;
  stop) python -m bot.testing.postgres stop "$folder" ;;
  *) echo "usage: .ci/postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
