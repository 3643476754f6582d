# Shell functions shared by the cluster's scripts (cluster-db, cluster-s3, cluster-backup,
# restore-drill, s3-up), sourced by them. Each script defines its own `log`.

maybe_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

# Runs the command after `what tries` every 0.5 s until it succeeds, at most `tries` times.
wait_for() {
  local what=$1 tries=$2; shift 2
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "not ready: $what"
  return 1
}

# Stops the process of a pid file (signal TERM, or the one given) and waits, up to 10 s, until it
# is gone.
kill_pidfile() {
  local f=$1 sig=${2:-TERM} pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  kill "-$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$f"
}

# On a Garage whose layout is applied (`garage -c CONF`): imports the key KEY_ID/SECRET as NAME
# and makes each BUCKET, readable and writable with it.
garage_key_and_buckets() {
  local conf=$1 name=$2 id=$3 secret=$4; shift 4
  garage -c "$conf" key import --yes -n "$name" "$id" "$secret" >/dev/null
  for b in "$@"; do
    garage -c "$conf" bucket create "$b" >/dev/null
    garage -c "$conf" bucket allow --read --write --owner "$b" --key "$name" >/dev/null
  done
}
