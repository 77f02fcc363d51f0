#!/usr/bin/env bash
# RabbitMQ for the events suites: Debian's rabbitmq-server run WITHOUT systemd from STATE_DIR, on
# free loopback ports chosen at start (AMQP, AMQPS, Erlang distribution, epmd), with its own node
# name, so several copies (CI, developers, benchmarks) can run side by side.
#
#   rabbitmq.sh start STATE_DIR   prints on stdout:
#     export CONTENTGEN_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:PORT
#     export CONTENTGEN_TEST_AMQPS_URL=amqps://guest:guest@localhost:TLS_PORT   (cert for "localhost" only)
#     export CONTENTGEN_TEST_AMQP_CA_FILE=STATE_DIR/tls/ca.pem                  (the CA that signed it)
#     export CONTENTGEN_TEST_RABBITMQCTL=STATE_DIR/rabbitmqctl                  (rabbitmqctl with this
#            broker's environment: tests run `$CONTENTGEN_TEST_RABBITMQCTL stop_app` / `start_app`)
#   rabbitmq.sh stop STATE_DIR    rabbitmqctl shutdown, then kills ITS epmd (by port) only.
#
# Logs go to STATE_DIR/log and STATE_DIR/server.out; nothing but export lines on stdout.
set -euo pipefail

cmd=${1:?usage: rabbitmq.sh start|stop STATE_DIR}
state=${2:?usage: rabbitmq.sh start|stop STATE_DIR}
mkdir -p "$state"
state=$(cd "$state" && pwd)
bin=/usr/lib/rabbitmq/bin

log() { echo "rabbitmq.sh: $*" >&2; }

# Four distinct free loopback ports, held open together while they are chosen so none repeats.
free_ports() {
  /usr/bin/python3 - <<'EOF'
import socket
socks = []
for _ in range(4):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# A throwaway CA and a server certificate for "localhost" (DNS name only, no IP SAN: a client that
# connects to 127.0.0.1 must fail hostname verification, which the TLS test checks).
make_tls_material() {
  local dir=$state/tls
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=contentgen test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n' > "$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/ext.cnf" -out "$dir/server.pem" >/dev/null 2>&1
  chmod 644 "$dir"/*.pem "$dir"/*.key
}

# The environment every rabbitmq command of this instance needs (HOME holds the Erlang cookie).
write_env() {
  local amqp=$1 tls=$2 dist=$3 epmd=$4
  cat > "$state/env.sh" <<EOF
export HOME=$state
export RABBITMQ_NODENAME=contentgen-$amqp@localhost
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$amqp
export RABBITMQ_DIST_PORT=$dist
export ERL_EPMD_PORT=$epmd
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE=$state/mnesia
export RABBITMQ_LOG_BASE=$state/log
export RABBITMQ_PID_FILE=$state/rabbit.pid
export RABBITMQ_ENABLED_PLUGINS_FILE=$state/enabled_plugins
export RABBITMQ_CONFIG_FILE=$state/rabbitmq
export RABBITMQ_CONF_ENV_FILE=$state/rabbitmq-env.conf
export RABBITMQ_ADVANCED_CONFIG_FILE=$state/advanced.config
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export PATH=$bin:\$PATH
AMQP_PORT=$amqp
AMQPS_PORT=$tls
EPMD_PORT=$epmd
EOF
  cat > "$state/rabbitmqctl" <<EOF
#!/usr/bin/env bash
# rabbitmqctl bound to the broker in $state
source "$state/env.sh"
exec $bin/rabbitmqctl "\$@"
EOF
  chmod 755 "$state/rabbitmqctl"
}

start() {
  local ports amqp tls dist epmd
  ports=$(free_ports)
  read -r amqp tls dist epmd <<<"$ports"
  mkdir -p "$state/log" "$state/mnesia"
  echo '[].' > "$state/enabled_plugins"
  : > "$state/rabbitmq-env.conf"
  make_tls_material
  cat > "$state/rabbitmq.conf" <<EOF
loopback_users = none
listeners.tcp.default = 127.0.0.1:$amqp
listeners.ssl.default = 127.0.0.1:$tls
ssl_options.cacertfile = $state/tls/ca.pem
ssl_options.certfile = $state/tls/server.pem
ssl_options.keyfile = $state/tls/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
EOF
  write_env "$amqp" "$tls" "$dist" "$epmd"
  # shellcheck disable=SC1091
  source "$state/env.sh"
  log "starting node $RABBITMQ_NODENAME (amqp $amqp, amqps $tls, dist $dist, epmd $epmd)"
  # From the state dir: Erlang writes crash dumps (MnesiaCore.*) into its working directory.
  (cd "$state" && exec setsid "$bin/rabbitmq-server")  > "$state/server.out" 2>&1 < /dev/null &
  echo $! > "$state/server.launcher.pid"
  if ! "$bin/rabbitmqctl" wait --timeout 120 "$state/rabbit.pid" >> "$state/server.out" 2>&1; then
    log "broker did not come up; see $state/server.out and $state/log"
    tail -20 "$state/server.out" >&2 || true
    return 1
  fi
  echo "export CONTENTGEN_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:$amqp"
  echo "export CONTENTGEN_TEST_AMQPS_URL=amqps://guest:guest@localhost:$tls"
  echo "export CONTENTGEN_TEST_AMQP_CA_FILE=$state/tls/ca.pem"
  echo "export CONTENTGEN_TEST_RABBITMQCTL=$state/rabbitmqctl"
}

stop() {
  [ -f "$state/env.sh" ] || return 0
  # shellcheck disable=SC1091
  source "$state/env.sh"
  "$bin/rabbitmqctl" shutdown --timeout 60 >> "$state/server.out" 2>&1 || {
    # The node never came up or is wedged: end the processes this script started, by pid.
    local pid
    for f in rabbit.pid server.launcher.pid; do
      pid=$(cat "$state/$f" 2>/dev/null || true)
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
  }
  epmd -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: rabbitmq.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
