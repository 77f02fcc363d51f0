# Sourced by scripts/services/*.sh: loopback port helpers.

# A free TCP port on 127.0.0.1 (free when asked; callers retry if someone takes it first).
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PORT PID: until 127.0.0.1:PORT accepts connections (15 s at most); fails early if
# PID exits.
wait_for_port() {
  local port=$1 pid=$2 i
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 1
    if /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}
