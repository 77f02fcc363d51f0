# Sourced by scripts/test (and scripts/bench): starts every service in scripts/services/ and stops
# them again. Protocol of a service script:
#   scripts/services/NAME.sh start STATE_DIR   starts it; prints `export VAR=value` lines on stdout
#   scripts/services/NAME.sh stop STATE_DIR    stops it (must succeed even if start half-failed)
SERVICES_STATE=""
SERVICES_STARTED=()

services_start_all() {
  SERVICES_STATE=$(mktemp -d /tmp/contentgen-services.XXXXXX)
  chmod 755 "$SERVICES_STATE"
  local script name
  for script in "$ROOT"/scripts/services/*.sh; do
    [ -e "$script" ] || continue
    name=$(basename "$script" .sh)
    mkdir -p "$SERVICES_STATE/$name"
    SERVICES_STARTED+=("$name")
    echo "== service $name: starting" >&2
    local exports
    if ! exports=$("$script" start "$SERVICES_STATE/$name"); then
      echo "== service $name: failed to start" >&2
      return 1
    fi
    eval "$exports"
  done
}

services_stop_all() {
  local name
  for name in "${SERVICES_STARTED[@]}"; do
    "$ROOT/scripts/services/$name.sh" stop "$SERVICES_STATE/$name" >/dev/null 2>&1 || true
  done
  SERVICES_STARTED=()
  [ -z "$SERVICES_STATE" ] || rm -rf "$SERVICES_STATE"
}
