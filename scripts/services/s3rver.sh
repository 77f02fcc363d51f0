#!/usr/bin/env bash
# s3rver (npm, pinned 3.7.1 by tests/stores/node/package-lock.json) for the S3 store suites: round
# trips with awkward keys (spaces, '+', '%', '~', "//", non-ASCII), which moto's own signature
# check mishandles. s3rver checks the access key id (it must be S3RVER) but NOT the SigV4
# signature: it proves interoperability, not signing (the vectors and moto do that).
# Two instances on free loopback ports: plain HTTP, and HTTPS with a throwaway CA (for the
# transport's TLS rules: verified with the CA file, refused without it).
#
#   s3rver.sh start STATE_DIR   installs the pinned package (npm ci, once) and prints on stdout:
#     export CONTENTGEN_TEST_S3RVER_ENDPOINT=http://127.0.0.1:PORT
#     export CONTENTGEN_TEST_S3RVER_TLS_ENDPOINT=https://127.0.0.1:TLS_PORT
#     export CONTENTGEN_TEST_S3RVER_CA_FILE=STATE_DIR/tls/ca.pem
#     export CONTENTGEN_TEST_S3RVER_ACCESS_KEY_ID=S3RVER
#     export CONTENTGEN_TEST_S3RVER_SECRET_ACCESS_KEY=S3RVER
#     export CONTENTGEN_TEST_S3RVER_REGION=us-east-1
#     export CONTENTGEN_TEST_S3RVER_BUCKET=contentgen-test   (created at start on both instances)
#   s3rver.sh stop STATE_DIR    stops the two servers this script started (pids in STATE_DIR)
#
# Started with `node node_modules/s3rver/bin/s3rver.js` (not npx) so the recorded pid is the
# server's. Logs: STATE_DIR/*.log; nothing but export lines on stdout.
set -euo pipefail

cmd=${1:?usage: s3rver.sh start|stop STATE_DIR}
state=${2:?usage: s3rver.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
node_dir="$root/tests/stores/node"
bucket=contentgen-test

source "$(dirname "$0")/../lib/ports.sh"

log() { echo "s3rver.sh: $*" >&2; }

install() {
  local installed=""
  [ -f "$node_dir/node_modules/s3rver/package.json" ] &&
    installed=$(node -p "require('$node_dir/node_modules/s3rver/package.json').version" 2>/dev/null || true)
  [ "$installed" = "3.7.1" ] && return 0
  command -v npm >/dev/null 2>&1 || { log "npm is missing (scripts/lib/deps.sh installs nodejs + npm)"; return 1; }
  log "installing s3rver 3.7.1 into $node_dir/node_modules (npm ci)"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
}

# A throwaway CA and a certificate for 127.0.0.1 (IP SAN) and localhost.
make_tls_material() {
  local dir="$state/tls"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=contentgen test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/ext.cnf" -out "$dir/server.pem" 2>/dev/null
}

# launch NAME [extra s3rver args...]: starts one instance, prints its port.
launch() {
  local name=$1 port pid attempt
  shift
  mkdir -p "$state/$name-data"
  for attempt in 1 2 3; do
    port=$(free_port)
    node "$node_dir/node_modules/s3rver/bin/s3rver.js" -d "$state/$name-data" -a 127.0.0.1 -p "$port" --silent \
      --configure-bucket "$bucket" "$@" >> "$state/$name.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$state/$name.pid"
    if wait_for_port "$port" "$pid"; then
      echo "$port"
      return 0
    fi
    log "$name did not come up on port $port (attempt $attempt)"
    kill "$pid" 2>/dev/null || true
  done
  tail -20 "$state/$name.log" >&2
  return 1
}

start() {
  install
  make_tls_material
  local port tls_port
  port=$(launch http)
  tls_port=$(launch https --key "$state/tls/server.key" --cert "$state/tls/server.pem")
  log "s3rver 3.7.1 on http://127.0.0.1:$port and https://127.0.0.1:$tls_port, bucket $bucket"
  echo "export CONTENTGEN_TEST_S3RVER_ENDPOINT=http://127.0.0.1:$port"
  echo "export CONTENTGEN_TEST_S3RVER_TLS_ENDPOINT=https://127.0.0.1:$tls_port"
  echo "export CONTENTGEN_TEST_S3RVER_CA_FILE=$state/tls/ca.pem"
  echo "export CONTENTGEN_TEST_S3RVER_ACCESS_KEY_ID=S3RVER"
  echo "export CONTENTGEN_TEST_S3RVER_SECRET_ACCESS_KEY=S3RVER"
  echo "export CONTENTGEN_TEST_S3RVER_REGION=us-east-1"
  echo "export CONTENTGEN_TEST_S3RVER_BUCKET=$bucket"
}

stop() {
  local name pid i
  for name in http https; do
    [ -f "$state/$name.pid" ] || continue
    pid=$(cat "$state/$name.pid")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/$name.pid"
  done
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: s3rver.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
