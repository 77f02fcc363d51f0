#!/usr/bin/env bash
# moto (the image's Python 3.11: `python3 -m moto.server`) as an S3 server that VERIFIES SigV4, for
# the S3 store suites. moto checks signatures once an IAM user exists: it starts with
# INITIAL_NO_AUTH_ACTION_COUNT=3, and this script spends exactly those three unauthenticated calls
# on iam.create_user, iam.create_access_key and iam.put_user_policy (Allow *) with boto3. From then
# on every request must be signed with the new key; a wrong secret gets 403 SignatureDoesNotMatch.
# It then creates the test bucket (signed) and checks that a wrong secret is refused.
#
#   moto.sh start STATE_DIR   prints on stdout:
#     export CONTENTGEN_TEST_MOTO_ENDPOINT=http://127.0.0.1:PORT
#     export CONTENTGEN_TEST_MOTO_ACCESS_KEY_ID=...      (the IAM user's key, made at start)
#     export CONTENTGEN_TEST_MOTO_SECRET_ACCESS_KEY=...
#     export CONTENTGEN_TEST_MOTO_REGION=us-east-1
#     export CONTENTGEN_TEST_MOTO_BUCKET=contentgen-test (exists; suites may create their own)
#   moto.sh stop STATE_DIR    stops the server this script started (pid in STATE_DIR/moto.pid)
#
# The port is a free loopback port picked at start. MOTO_PYTHON names a Python that has moto;
# default: the first of python3 and pyenv's versions that can import it. Logs: STATE_DIR/moto.log.
set -euo pipefail

cmd=${1:?usage: moto.sh start|stop STATE_DIR}
state=${2:?usage: moto.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
region=us-east-1
bucket=contentgen-test

source "$(dirname "$0")/../lib/ports.sh"

log() { echo "moto.sh: $*" >&2; }

find_python() {
  local candidates=() py
  [ -n "${MOTO_PYTHON:-}" ] && candidates+=("$MOTO_PYTHON")
  candidates+=(python3)
  if command -v pyenv >/dev/null 2>&1; then
    for py in "$(pyenv root)"/versions/*/bin/python3; do candidates+=("$py"); done
  fi
  for py in /root/.pyenv/versions/*/bin/python3; do candidates+=("$py"); done
  for py in "${candidates[@]}"; do
    if "$py" -c 'import moto.server, boto3' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

start() {
  local python port pid attempt
  python=$(find_python) || { log "no Python with moto and boto3 found (set MOTO_PYTHON)"; return 1; }
  for attempt in 1 2 3; do
    port=$(free_port)
    # setsid: its own process group, so stop can end the server and any child it spawned.
    INITIAL_NO_AUTH_ACTION_COUNT=3 MOTO_PORT="$port" setsid "$python" -m moto.server -H 127.0.0.1 -p "$port" \
      >> "$state/moto.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$state/moto.pid"
    if wait_for_port "$port" "$pid"; then break; fi
    log "moto did not come up on port $port (attempt $attempt)"
    kill -- "-$pid" 2>/dev/null || true
    port=""
  done
  [ -n "$port" ] || { tail -20 "$state/moto.log" >&2; return 1; }

  # The three unauthenticated calls, then signed calls only. Prints "ACCESS_KEY SECRET".
  local keys
  keys=$("$python" - "$port" "$region" "$bucket" <<'PY'
import sys, json, boto3, botocore
port, region, bucket = sys.argv[1], sys.argv[2], sys.argv[3]
endpoint = f"http://127.0.0.1:{port}"
bootstrap = dict(endpoint_url=endpoint, region_name=region,
                 aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam = boto3.client("iam", **bootstrap)
iam.create_user(UserName="contentgen")
key = iam.create_access_key(UserName="contentgen")["AccessKey"]
iam.put_user_policy(UserName="contentgen", PolicyName="allow-all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
signed = dict(endpoint_url=endpoint, region_name=region,
              aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
s3 = boto3.client("s3", **signed)
s3.create_bucket(Bucket=bucket)
wrong = boto3.client("s3", **dict(signed, aws_secret_access_key=key["SecretAccessKey"] + "x"))
try:
    wrong.head_bucket(Bucket=bucket)
    sys.exit("moto accepted a wrong secret: signature verification is not on")
except botocore.exceptions.ClientError as e:
    if e.response["ResponseMetadata"]["HTTPStatusCode"] != 403:
        sys.exit(f"unexpected reply to a wrong secret: {e}")
print(key["AccessKeyId"], key["SecretAccessKey"])
PY
  ) || { log "IAM bootstrap failed"; tail -20 "$state/moto.log" >&2; return 1; }
  local access_key=${keys%% *} secret=${keys#* }
  log "moto on 127.0.0.1:$port (pid $pid), SigV4 verification on, bucket $bucket"
  echo "export CONTENTGEN_TEST_MOTO_ENDPOINT=http://127.0.0.1:$port"
  echo "export CONTENTGEN_TEST_MOTO_ACCESS_KEY_ID=$access_key"
  echo "export CONTENTGEN_TEST_MOTO_SECRET_ACCESS_KEY=$secret"
  echo "export CONTENTGEN_TEST_MOTO_REGION=$region"
  echo "export CONTENTGEN_TEST_MOTO_BUCKET=$bucket"
}

stop() {
  [ -f "$state/moto.pid" ] || return 0
  local pid i
  pid=$(cat "$state/moto.pid")
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 -- "-$pid" 2>/dev/null || true
  rm -f "$state/moto.pid"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: moto.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
