#!/usr/bin/env bash
# `make tutorial` (its serving half, tutorial-serve: `make tutorial` first runs
# scripts/deps, which a test must not): it prints the page's URL and serves build/web/tutorial on
# 127.0.0.1 only (TUTORIAL_PORT, here a free port), the same bytes as the files.
set -u
cd "$(dirname "$0")/../../.."
SUITE=make_tutorial
. tests/harness/expect.sh
B=${B:-build}
DIR=$B/web/tutorial
LOG=$B/test-logs/make_tutorial.log
mkdir -p "$B/test-logs"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port/"
setsid make --no-print-directory tutorial-serve TUTORIAL_PORT="$port" > "$LOG" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null' EXIT

up=0
for _ in $(seq 120); do
	curl -sf -o /dev/null "$url" && { up=1; break; }
	kill -0 "$server" 2>/dev/null || break
	sleep 0.5
done
if [ "$up" = 1 ]; then pass serves; else fail serves "nothing answered at $url: $(cat "$LOG")"; exit 0; fi

if grep -qF "ncScript tutorial: $url" "$LOG" && grep -qF "$PWD/$DIR/index.html" "$LOG"
then pass prints_url_and_file
else fail prints_url_and_file "$(cat "$LOG")"; fi

bad=
for f in index.html style.css app.js editor.js lessons.js fakes.js ncs-client.js ncs-worker.js; do
	curl -sf "$url$f" | cmp -s - "$DIR/$f" || bad="$bad $f"
done
if [ -z "$bad" ]; then pass same_files; else fail same_files "served differently:$bad"; fi

code=$(curl -s -o /dev/null -w '%{http_code}' "${url}no-such-file.js")
if [ "$code" = 404 ]; then pass missing_file_404; else fail missing_file_404 "status $code"; fi

# Listening on 127.0.0.1 only: no socket on the port bound to any other address.
others=$(ss -Hltn "sport = :$port" | awk '{ print $4 }' | grep -v "^127\.0\.0\.1:$port$")
if [ -z "$others" ] && ss -Hltn "sport = :$port" | grep -qF "127.0.0.1:$port"
then pass loopback_only; else fail loopback_only "listening on: $(ss -Hltn "sport = :$port")"; fi
