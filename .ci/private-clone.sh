#!/usr/bin/env bash
# As root, from a clone in a folder only root may enter (mode 700, like /root or `mktemp -d`):
# `npm start` until /readyz answers 200, then tests on the embedded PostgreSQL (the start's own, and
# a few that load, import and rank), both from that clone (the whole suite runs on Node 22 and 24).
# PostgreSQL refuses to run as root; the service then runs it as the `postgres` user, which
# cannot enter such a folder, so its binaries and data must be placed where it can (issue #16).
set -euo pipefail
source="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "not root: the private-clone check needs root, skipped"
  exit 0
fi
private="$(mktemp -d)"
chmod 700 "$private"
cleanup() {
  [ -n "${server:-}" ] && kill -- "-$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  # The data of a private clone lives where the postgres user can reach it, linked from DATA_DIR.
  [ -L "$private/clone/.data" ] && rm -rf "$(readlink "$private/clone/.data")"
  rm -rf "$private"
}
trap cleanup EXIT
git clone -q "$source" "$private/clone"
cd "$private/clone"
npm ci --no-audit --no-fund > /dev/null
free_port='const s = require("net").createServer();
s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
port="$(node -e "$free_port")"
# In a process group of its own: npm start runs the service as its grandchild, which a signal to
# npm alone leaves running; the whole group is stopped.
PORT="$port" HOST=127.0.0.1 DATABASE_URL= REDIS_URL= setsid npm start > "$private/start.log" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$private/start.log"; echo "npm start died"; exit 1; fi
  sleep 0.5
done
if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" != 200 ]; then
  tail -20 "$private/start.log"
  echo "/readyz never answered 200"
  exit 1
fi
echo "npm start: /readyz 200 from $private/clone"
kill -- "-$server"
wait "$server" || true
for _ in $(seq 1 60); do
  if ! pgrep -g "$server" > /dev/null; then break; fi
  sleep 0.5
done
if pgrep -g "$server" > /dev/null; then
  pgrep -a -g "$server"
  echo "npm start left processes running after SIGTERM"
  exit 1
fi
server=
DATABASE_URL= npm test -- test/e2e/start.test.ts test/integration/import.test.ts \
  test/integration/match-index.test.ts test/integration/match-index-writes.test.ts test/integration/safeguarding.test.ts
