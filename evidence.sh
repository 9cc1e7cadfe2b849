#!/usr/bin/env bash
# The one entry point: local services (PostgreSQL, RabbitMQ), the test run and the running product.
#   ./evidence.sh services up|down|status|env, or services stop|start postgres|rabbitmq
#   ./evidence.sh test
#   ./evidence.sh run [--detach] [--development]
#   ./evidence.sh stop
#   ./evidence.sh load [--scenario latency|throughput|import|rebuild] [harness options]   (not part of the tests)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCAL="$ROOT/.local"
cd "$ROOT"

# Fixed, non-default ports, so a machine's own PostgreSQL or RabbitMQ never gets in the way.
PG_PORT=55432
RMQ_PORT=55672
RMQ_MANAGEMENT_PORT=55673
RMQ_DIST_PORT=55674
RMQ_EPMD_PORT=55675
RMQ_CTL_PORTS=(55676 55685)
RMQ_NODE=evidence@localhost
# The services' database role owns its database and the schemas in it, and is no superuser; the
# cluster's superuser (its password is its name) only provisions.
DB_USER=evidence
DB_PASSWORD=evidence
DB_NAME=evidence
DB_ADMIN=postgres
# The broker's users as deploy/rabbitmq/definitions.json defines them (each one's password is its
# name): an administrator for provisioning and the tests, and a user per host with only the rights
# it needs. The services used to log in as RMQ_LEGACY_USER, an administrator; provisioning removes it.
RMQ_ADMIN=evidence-admin
RMQ_API=evidence-api
RMQ_WORKER=evidence-worker
RMQ_LEGACY_USER=evidence

PG_BIN=/usr/lib/postgresql/15/bin
RMQ_BIN=/usr/lib/rabbitmq/bin
RMQ_HOME="$LOCAL/rabbitmq"
RUN_DIR="$LOCAL/run"
URL="${EVIDENCE_URL:-http://127.0.0.1:5080}"
# run serves optimised builds; tests build Debug as dotnet test does.
CONFIGURATION="${EVIDENCE_CONFIGURATION:-Release}"
WAIT_SECONDS="${EVIDENCE_WAIT_SECONDS:-120}"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf 'evidence: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
pid_in() { [[ -s "$1" ]] && head -n1 "$1" | tr -dc '0-9'; }

# ---------------------------------------------------------------- connection strings

postgres_cs() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASSWORD"; }
rabbitmq_cs() { echo "amqp://$1:$1@127.0.0.1:$RMQ_PORT/"; }
management_url() { echo "http://127.0.0.1:$RMQ_MANAGEMENT_PORT/"; }
# The management API with the administrator's credentials, as the tests take it.
management_admin_url() { echo "http://$RMQ_ADMIN:$RMQ_ADMIN@127.0.0.1:$RMQ_MANAGEMENT_PORT/"; }

# ConnectionStrings__RabbitMq is the API's user; the worker gets EVIDENCE_RABBITMQ_WORKER as its own.
# The cluster's superuser, for the tests only: each test class gets a database of its own.
postgres_admin_cs() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=postgres;Username=$DB_ADMIN;Password=$DB_ADMIN"; }

export_env() {
  export ConnectionStrings__Postgres ConnectionStrings__RabbitMq EVIDENCE_RABBITMQ_WORKER EVIDENCE_RABBITMQ_MANAGEMENT EVIDENCE_POSTGRES_ADMIN
  ConnectionStrings__Postgres="$(postgres_cs)"
  EVIDENCE_POSTGRES_ADMIN="$(postgres_admin_cs)"
  ConnectionStrings__RabbitMq="$(rabbitmq_cs "$RMQ_API")"
  EVIDENCE_RABBITMQ_WORKER="$(rabbitmq_cs "$RMQ_WORKER")"
  EVIDENCE_RABBITMQ_MANAGEMENT="$(management_admin_url)"
}

print_env() {
  echo "export ConnectionStrings__Postgres='$(postgres_cs)'"
  echo "export ConnectionStrings__RabbitMq='$(rabbitmq_cs "$RMQ_API")'"
  echo "export EVIDENCE_RABBITMQ_WORKER='$(rabbitmq_cs "$RMQ_WORKER")'"
  echo "export EVIDENCE_RABBITMQ_MANAGEMENT='$(management_admin_url)'"
  echo "export EVIDENCE_POSTGRES_ADMIN='$(postgres_admin_cs)'"
}

# ---------------------------------------------------------------- installing

install_packages() {
  local missing=()
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql)
  [[ -x "$RMQ_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  command -v curl >/dev/null || missing+=(curl)
  # The web view's tests drive Debian's headless Chromium through its driver.
  if [[ ${1:-} == --browser ]]; then
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    [[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
  fi
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
}

# R with metafor and jsonlite: the tests run every bundle's analysis.R with Rscript.
install_r() {
  command -v Rscript >/dev/null \
    && Rscript -e 'quit(status = if (all(c("metafor", "jsonlite") %in% rownames(installed.packages()))) 0 else 1)' >/dev/null 2>&1 \
    && return 0
  local missing=() package
  for package in r-base-core r-cran-metafor r-cran-jsonlite; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  apt_install "${missing[@]}"
}

# apt_install PACKAGE...: from Debian's packages, non-interactively, as root.
apt_install() {
  local missing=("$@")
  [[ $EUID -eq 0 ]] || die "missing ${missing[*]}: install them as root (apt-get install -y ${missing[*]})"

  log "installing ${missing[*]} from Debian packages"
  # The packages' maintainer scripts would start instances on the default ports; nothing here
  # needs those, and without systemd they would outlive any cleanup. policy-rc.d vetoes them.
  local policy=/usr/sbin/policy-rc.d created=false rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created=true
  fi
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } </dev/null || rc=$?
  if $created; then rm -f "$policy"; fi
  ((rc == 0)) || die "apt-get failed ($rc)"
}

# ---------------------------------------------------------------- PostgreSQL

# PostgreSQL refuses to run as root, so a root caller runs it as the postgres user. That user must
# reach the data folder; if the checkout sits below a folder it cannot enter, use /var/tmp.
pg_home() {
  if [[ $EUID -ne 0 ]] || runuser -u postgres -- sh -c "test -x '$ROOT' && { test ! -e '$LOCAL' || test -x '$LOCAL'; }" 2>/dev/null; then
    echo "$LOCAL/postgres"
  else
    echo "/var/tmp/evidence-postgres-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
  fi
}

pg_as() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_running() {
  local data; data="$(pg_home)/data"
  [[ -s "$data/PG_VERSION" ]] && pg_as "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# pg_psql USER PASSWORD psql-arguments...
pg_psql() {
  PGPASSWORD="$2" PGOPTIONS="-c client_min_messages=warning" "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$1" -v ON_ERROR_STOP=1 -qtA "${@:3}"
}

pg_admin() { pg_psql "$DB_ADMIN" "$DB_ADMIN" "$@"; }

# The services' role and its database, on a new cluster as on one that predates them; running it
# again changes nothing.
pg_provision() {
  if ! pg_admin -d postgres -c 'select 1' >/dev/null 2>&1; then
    pg_psql "$DB_USER" "$DB_PASSWORD" -d postgres -c 'select 1' >/dev/null 2>&1 \
      || die "postgres: neither '$DB_ADMIN' nor '$DB_USER' can log in to provision the cluster"
    pg_demote_services_role
  fi
  if [[ -z "$(pg_admin -d postgres -c "select 1 from pg_roles where rolname = '$DB_USER'")" ]]; then
    pg_admin -d postgres -c "create role $DB_USER login password '$DB_PASSWORD'"
  fi
  pg_admin -d postgres -c "alter role $DB_USER nosuperuser nocreatedb nocreaterole noreplication nobypassrls"
  if [[ -z "$(pg_admin -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")" ]]; then
    pg_admin -d postgres -c "create database $DB_NAME owner $DB_USER"
  fi
}

# A cluster initialised before the services had a role of their own: its superuser, the one that
# owns the system catalogues, was the services' role. That role is renamed to the superuser
# DB_ADMIN (a session cannot rename its own user, hence a helper that exists for this step only),
# and a new, ordinary DB_USER takes over the databases and everything the services created in them.
pg_demote_services_role() {
  log "postgres: the superuser becomes '$DB_ADMIN'; '$DB_USER' becomes an ordinary role that owns its database"
  local helper=evidence_provisioning secret database
  secret="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
  pg_psql "$DB_USER" "$DB_PASSWORD" -d postgres -c "drop role if exists $helper" -c "create role $helper superuser login password '$secret'"
  pg_psql "$helper" "$secret" -d postgres \
    -c "alter role $DB_USER rename to $DB_ADMIN" \
    -c "alter role $DB_ADMIN password '$DB_ADMIN'" \
    -c "create role $DB_USER login password '$DB_PASSWORD'"
  for database in $(pg_admin -d postgres -c "select datname from pg_database where not datistemplate and datname <> 'postgres'"); do
    pg_admin -d postgres -c "alter database \"$database\" owner to $DB_USER"
    pg_admin -d "$database" -c "$(pg_handover_sql)"
  done
  pg_admin -d postgres -c "drop role $helper"
}

# Hands every schema outside the system ones, and what is in them, from DB_ADMIN to DB_USER.
# (REASSIGN OWNED cannot: the cluster's first superuser also owns the system catalogues.)
pg_handover_sql() {
  local own="n.nspname <> 'information_schema' and n.nspname !~ '^pg_'"
  cat <<EOF
do \$\$
declare
  item record;
begin
  for item in select n.nspname from pg_namespace n where n.nspowner = '$DB_ADMIN'::regrole and $own loop
    execute format('alter schema %I owner to $DB_USER', item.nspname);
  end loop;
  -- Tables, views and sequences; a table takes the sequences of its own columns along.
  for item in
    select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relowner = '$DB_ADMIN'::regrole and $own and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid
                        and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i'))
  loop
    execute format('alter table %s owner to $DB_USER', item.name);
  end loop;
  for item in
    select p.oid::regprocedure as name, p.prokind from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.proowner = '$DB_ADMIN'::regrole and $own
  loop
    execute format(case item.prokind when 'a' then 'alter aggregate %s owner to $DB_USER' else 'alter routine %s owner to $DB_USER' end, item.name);
  end loop;
  -- Types of their own (enums, domains, ranges, composite types); a table's row type follows the table.
  for item in
    select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where t.typowner = '$DB_ADMIN'::regrole and $own and t.typtype in ('e', 'd', 'r', 'c') and t.typelem = 0
      and (t.typrelid = 0 or exists (select 1 from pg_class c where c.oid = t.typrelid and c.relkind = 'c'))
  loop
    execute format('alter type %s owner to $DB_USER', item.name);
  end loop;
end
\$\$;
EOF
}

pg_up() {
  local home data logfile
  home="$(pg_home)" data="$(pg_home)/data" logfile="$(pg_home)/postgres.log"
  if pg_running; then
    log "postgres already running on 127.0.0.1:$PG_PORT ($data)"
    pg_provision
    return 0
  fi
  mkdir -p "$LOCAL" "$home"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$home"; fi
  chmod 700 "$home"

  if [[ ! -s "$data/PG_VERSION" ]]; then
    log "initialising postgres in $data"
    local pwfile="$home/pwfile"
    pg_as sh -c "umask 077 && printf '%s\n' '$DB_ADMIN' >'$pwfile'"
    pg_as "$PG_BIN/initdb" -D "$data" -U "$DB_ADMIN" --pwfile="$pwfile" -E UTF8 --locale=C \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$home/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; die "initdb failed, see $home/initdb.log"; }
    rm -f "$pwfile"
    # TCP on loopback only; no socket directory, so nothing depends on /var/run/postgresql.
    pg_as tee -a "$data/postgresql.conf" >/dev/null <<EOF

listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = ''
max_connections = 300
EOF
  fi

  log "starting postgres on 127.0.0.1:$PG_PORT"
  pg_as "$PG_BIN/pg_ctl" -D "$data" -l "$logfile" -w -t "$WAIT_SECONDS" start >/dev/null \
    || die "postgres did not start, see $logfile"
  local waited=0
  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    ((waited++ < WAIT_SECONDS)) || die "postgres does not answer on port $PG_PORT, see $logfile"
    sleep 1
  done
  pg_provision
}

pg_down() {
  local data; data="$(pg_home)/data"
  if pg_running; then
    log "stopping postgres"
    pg_as "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  else
    log "postgres is not running"
  fi
}

pg_status() {
  if pg_running; then
    echo "postgres: running, pid $(pid_in "$(pg_home)/data/postmaster.pid"), 127.0.0.1:$PG_PORT, data $(pg_home)/data"
  else
    echo "postgres: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------- RabbitMQ

# Everything of the node lives under .local/rabbitmq, including HOME and so the Erlang cookie
# shared by the server and the CLI tools. Run in a subshell so nothing leaks into this one.
rmq_env() {
  export HOME="$RMQ_HOME/home"
  export RABBITMQ_NODENAME="$RMQ_NODE"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$RMQ_PORT"
  export RABBITMQ_DIST_PORT="$RMQ_DIST_PORT"
  export ERL_EPMD_PORT="$RMQ_EPMD_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_CTL_DIST_PORT_MIN="${RMQ_CTL_PORTS[0]}"
  export RABBITMQ_CTL_DIST_PORT_MAX="${RMQ_CTL_PORTS[1]}"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CONF_ENV_FILE="$RMQ_HOME/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RMQ_HOME/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_HOME/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_HOME/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RMQ_HOME/mnesia"
  export RABBITMQ_LOG_BASE="$RMQ_HOME/log"
  export RABBITMQ_PID_FILE="$RMQ_HOME/rabbitmq.pid"
}

rmq() ( rmq_env; exec "$RMQ_BIN/$1" "${@:2}" )

rmq_pid() {
  local pid; pid="$(pid_in "$RMQ_HOME/rabbitmq.pid" || true)"
  # The Erlang VM's name guards against a pid reused after a reboot.
  if alive "$pid" && grep -q beam "/proc/$pid/comm" 2>/dev/null; then echo "$pid"; fi
}

# Any HTTP answer will do: on a node that predates its users, no login works before provisioning.
rmq_answers() {
  [[ "$(curl -sS -o /dev/null -w '%{http_code}' "$(management_url)api/overview" 2>/dev/null || true)" != 000 ]] \
    && (exec 3<>"/dev/tcp/127.0.0.1/$RMQ_PORT") 2>/dev/null
}

# The users and their rights from deploy/rabbitmq/definitions.json, on a new node as on one that
# predates them; importing again changes nothing. The former administrator goes.
rmq_provision() {
  rmq rabbitmqctl -q -n "$RMQ_NODE" import_definitions "$ROOT/deploy/rabbitmq/definitions.json" >/dev/null \
    || die "importing the broker's users failed (rabbitmqctl import_definitions)"
  local users
  users="$(rmq rabbitmqctl -q -n "$RMQ_NODE" list_users)"
  if awk -v user="$RMQ_LEGACY_USER" '$1 == user { found = 1 } END { exit !found }' <<<"$users"; then
    log "rabbitmq: removing the administrator '$RMQ_LEGACY_USER' the services logged in as before they had users of their own"
    rmq rabbitmqctl -q -n "$RMQ_NODE" delete_user "$RMQ_LEGACY_USER" >/dev/null
  fi
  curl -fsS -o /dev/null -u "$RMQ_ADMIN:$RMQ_ADMIN" "$(management_url)api/whoami" \
    || die "rabbitmq: the administrator '$RMQ_ADMIN' cannot log in to the management API after provisioning"
}

rmq_configure() {
  mkdir -p "$RMQ_HOME/home" "$RMQ_HOME/mnesia" "$RMQ_HOME/log"
  : >"$RMQ_HOME/rabbitmq-env.conf"
  if [[ ! -s "$RMQ_HOME/home/.erlang.cookie" ]]; then
    local cookie
    cookie="$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc '[:upper:]')"
    (umask 077 && printf '%s' "${cookie:0:32}" >"$RMQ_HOME/home/.erlang.cookie")
    chmod 400 "$RMQ_HOME/home/.erlang.cookie"
  fi
  echo '[rabbitmq_management].' >"$RMQ_HOME/enabled_plugins"
  # The default user is created on the node's first boot only (instead of guest); provisioning
  # then adds the services' own users.
  cat >"$RMQ_HOME/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MANAGEMENT_PORT
default_user = $RMQ_ADMIN
default_pass = $RMQ_ADMIN
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
disk_free_limit.absolute = 100MB
log.console = false
log.file.level = info
EOF
}

rmq_up() {
  if [[ -n "$(rmq_pid)" ]]; then
    log "rabbitmq already running on 127.0.0.1:$RMQ_PORT (node $RMQ_NODE)"
    rmq_provision
    return 0
  fi
  rmq_configure
  local startlog="$RMQ_HOME/log/startup.log"
  log "starting rabbitmq on 127.0.0.1:$RMQ_PORT (management $RMQ_MANAGEMENT_PORT, node $RMQ_NODE)"
  rm -f "$RMQ_HOME/rabbitmq.pid"
  # Its own session, so a Ctrl-C meant for `run` does not reach the broker.
  (rmq_env && exec setsid "$RMQ_BIN/rabbitmq-server") >"$startlog" 2>&1 </dev/null &
  local wrapper=$! waited=0
  until rmq_answers; do
    alive "$wrapper" || die "rabbitmq exited during startup, see $startlog and $RMQ_HOME/log/"
    ((waited++ < WAIT_SECONDS)) || die "rabbitmq did not answer within ${WAIT_SECONDS}s, see $startlog and $RMQ_HOME/log/"
    sleep 1
  done
  rmq_provision
}

rmq_down() {
  local pid; pid="$(rmq_pid)"
  if [[ -z "$pid" ]]; then
    log "rabbitmq is not running"
  else
    log "stopping rabbitmq"
    rmq rabbitmqctl -q -n "$RMQ_NODE" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    local waited=0
    while alive "$pid"; do
      ((waited++ < 30)) || { kill -9 "$pid" 2>/dev/null || true; break; }
      sleep 1
    done
  fi
  rm -f "$RMQ_HOME/rabbitmq.pid"
  # The node's epmd listens on our own port, so it is ours to stop.
  ERL_EPMD_PORT="$RMQ_EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
}

rmq_status() {
  local pid; pid="$(rmq_pid)"
  if [[ -n "$pid" ]]; then
    echo "rabbitmq: running, pid $pid, amqp 127.0.0.1:$RMQ_PORT, management $(management_url), node $RMQ_NODE"
  else
    echo "rabbitmq: stopped"
    return 1
  fi
}

# ---------------------------------------------------------------- services

# Docker is used where an engine answers, unless EVIDENCE_SERVICES=local says otherwise.
use_docker() {
  [[ "${EVIDENCE_SERVICES:-}" != local ]] && command -v docker >/dev/null \
    && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1
}

services_mode() { cat "$LOCAL/services.mode" 2>/dev/null || echo local; }

services_up() {
  mkdir -p "$LOCAL"
  if use_docker; then
    log "docker engine found: starting postgres and rabbitmq containers"
    docker compose up -d --wait postgres rabbitmq
    echo docker >"$LOCAL/services.mode"
  else
    install_packages
    pg_up
    rmq_up
    echo local >"$LOCAL/services.mode"
  fi
  print_env
}

# One local service stopped or started alone: the fault tests take the broker or the database away
# while the rest of the system keeps running.
service_one() {
  local action=$1 service=$2
  [[ "$(services_mode)" == local ]] || die "services $action $service works on the local services only"
  # Stopping what this checkout did not start would stop nothing, and a fault test would go on
  # against a service that is still up; say so instead.
  local elsewhere="is not running from $ROOT (./evidence.sh services up starts it; another checkout's may hold its port)"
  case "$action:$service" in
    stop:postgres) pg_running || die "postgres $elsewhere"; pg_down ;;
    start:postgres) pg_up ;;
    stop:rabbitmq) [[ -n "$(rmq_pid)" ]] || die "rabbitmq $elsewhere"; rmq_down ;;
    start:rabbitmq) rmq_up ;;
    *) die "usage: services stop|start postgres|rabbitmq" ;;
  esac
}

services_down() {
  if [[ "$(services_mode)" == docker ]]; then
    docker compose stop postgres rabbitmq
  else
    pg_down
    rmq_down
  fi
  rm -f "$LOCAL/services.mode"
}

services_status() {
  if [[ "$(services_mode)" == docker ]]; then
    docker compose ps postgres rabbitmq
    return
  fi
  local rc=0
  pg_status || rc=1
  rmq_status || rc=1
  return "$rc"
}

# ---------------------------------------------------------------- test

cmd_test() {
  install_packages --browser
  services_up >/dev/null
  install_r
  export_env
  local results="$LOCAL/test-results" code=0
  rm -rf "$results"
  dotnet test Evidence.sln --logger trx --results-directory "$results" </dev/null || code=$?

  # Totals come from every assembly's TRX file, not from the runner's per-assembly lines.
  local passed=0 failed=0 skipped=0 files=0 expected trx
  expected="$(grep -c '"tests\\[^"]*\.csproj"' Evidence.sln || true)"
  shopt -s nullglob
  for trx in "$results"/*.trx; do
    files=$((files + 1))
    local counters
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1 || true)"
    passed=$((passed + $(attr passed "$counters")))
    failed=$((failed + $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters")))
    # Skipped tests are counted in total but not in executed (notExecuted stays 0).
    skipped=$((skipped + $(attr total "$counters") - $(attr executed "$counters")))
  done
  if ((files < expected)); then
    log "only $files of $expected test projects reported results (build error or crashed test host, see above)"
    ((code != 0)) || code=1
  fi
  ((failed == 0)) || ((code != 0)) || code=1
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  return "$code"
}

attr() { [[ "$2" =~ $1=\"([0-9]+)\" ]] && echo "${BASH_REMATCH[1]}" || echo 0; }

# ---------------------------------------------------------------- run / stop

# Called once the API answers; importing a demo review belongs here.
# The administrator key of this installation: EVIDENCE_ADMIN_KEY if set, else one generated once
# into .local/admin.key (readable by its owner only). The API stores only its hash.
admin_key() {
  local file="$LOCAL/admin.key"
  if [[ -n "${EVIDENCE_ADMIN_KEY:-}" ]]; then
    echo "$EVIDENCE_ADMIN_KEY"
    return
  fi
  if [[ ! -s "$file" ]]; then
    mkdir -p "$LOCAL"
    (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c 48 >"$file")
  fi
  cat "$file"
}

# The key that keeps webhook secrets encrypted, shared by the API and the worker: Webhooks__SecretKey
# if set, else 32 random bytes (base64) generated once into .local/webhooks.key (owner only).
webhooks_key() {
  local file="$LOCAL/webhooks.key"
  if [[ -n "${Webhooks__SecretKey:-}" ]]; then
    echo "$Webhooks__SecretKey"
    return
  fi
  if [[ ! -s "$file" ]]; then
    mkdir -p "$LOCAL"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '\n' >"$file")
  fi
  cat "$file"
}

# The sample review, imported through the API (a rerun appends nothing), then reported once the
# worker has caught up: each outcome's history, what the correction changed, the plots and each
# outcome's latest version as a bundle to re-run in R.
import_demo_review() {
  local cli=(dotnet "$ROOT/src/Evidence.Cli/bin/$CONFIGURATION/net10.0/evidence.dll") samples="$ROOT/samples/ld-il2"
  log "importing the sample review ld-il2 in year order"
  "${cli[@]}" import --api "$URL" --review ld-il2 \
    --title "Low-dose IL-2 in autoimmune rheumatic diseases" \
    --question "What do low-dose IL-2 regimens do to Treg and Th17 cells, disease activity, response and adverse events in autoimmune rheumatic diseases?" \
    --outcomes "$samples/outcomes.csv" --trials "$samples/trials.csv" --corrections "$samples/corrections.csv" --thresholds "$samples/thresholds.csv" \
    --sequential "$samples/sequential.csv" </dev/null
  "${cli[@]}" report --api "$URL" --review ld-il2 --out "$LOCAL/plots/ld-il2" </dev/null
}

# start_host NAME PROJECT [VARIABLE=VALUE...]: the variables are the host's own.
start_host() {
  local name=$1 project=$2
  local dll="$ROOT/src/$project/bin/$CONFIGURATION/net10.0/$project.dll"
  [[ -f "$dll" ]] || die "$dll is missing; the build did not produce it"
  # Own session: --detach leaves them running, and Ctrl-C reaches them only through the trap.
  (cd "$ROOT/src/$project" && exec env "${@:3}" setsid dotnet "$dll") >"$RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

stop_hosts() {
  local name pid waited
  for name in api worker; do
    pid="$(pid_in "$RUN_DIR/$name.pid" || true)"
    if alive "$pid"; then
      log "stopping $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      waited=0
      while alive "$pid"; do
        ((waited++ < 20)) || { kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 1
      done
    fi
    rm -f "$RUN_DIR/$name.pid"
  done
  rm -f "$RUN_DIR/worker.healthy"
}

cmd_run() {
  local detach=false
  for arg in "$@"; do
    case "$arg" in
      --detach | -d) detach=true ;;
      --development) export DOTNET_ENVIRONMENT=Development ;;
      *) die "unknown option for run: $arg" ;;
    esac
  done
  services_up >/dev/null
  export_env
  stop_hosts
  mkdir -p "$RUN_DIR"

  log "building the API and the worker"
  : >"$RUN_DIR/build.log"
  local project
  for project in src/Evidence.Api src/Evidence.Worker src/Evidence.Cli; do
    if ! dotnet build "$project" -c "$CONFIGURATION" -v q </dev/null >>"$RUN_DIR/build.log" 2>&1; then
      grep -E ': error ' "$RUN_DIR/build.log" | sort -u | head -n 20 >&2 || true
      die "building $project failed; full log: $RUN_DIR/build.log"
    fi
  done

  EVIDENCE_ADMIN_KEY="$(admin_key)"
  export EVIDENCE_ADMIN_KEY EVIDENCE_API_KEY="$EVIDENCE_ADMIN_KEY"
  Webhooks__SecretKey="$(webhooks_key)"
  export Webhooks__SecretKey
  # Production unless asked otherwise: no development defaults (detailed errors, the Development
  # settings files) in what a user runs.
  export ASPNETCORE_URLS="$URL" DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-${ASPNETCORE_ENVIRONMENT:-Production}}"
  export ASPNETCORE_ENVIRONMENT="$DOTNET_ENVIRONMENT" Health__File="$RUN_DIR/worker.healthy"
  start_host api Evidence.Api
  start_host worker Evidence.Worker ConnectionStrings__RabbitMq="$EVIDENCE_RABBITMQ_WORKER"
  if ! $detach; then trap 'stop_hosts; exit 130' INT TERM; fi

  local api worker waited=0
  api="$(pid_in "$RUN_DIR/api.pid")" worker="$(pid_in "$RUN_DIR/worker.pid")"
  until curl -fsS -o /dev/null "$URL/health/ready" 2>/dev/null; do
    if ! alive "$api" || ! alive "$worker" || ((waited++ >= WAIT_SECONDS)); then
      tail -n 20 "$RUN_DIR/api.log" "$RUN_DIR/worker.log" >&2 || true
      stop_hosts
      die "the API did not become ready at $URL/health/ready; logs: $RUN_DIR/api.log, $RUN_DIR/worker.log"
    fi
    sleep 1
  done
  import_demo_review

  echo "Evidence API: $URL  (OpenAPI $URL/openapi/v1.json, reference $URL/scalar)"
  echo "web view of the demo review: $URL/ui/reviews/ld-il2  (private: sign in at $URL/ui/sign-in with the administrator key)"
  if [[ -s "$LOCAL/admin.key" && "$(cat "$LOCAL/admin.key")" == "$EVIDENCE_ADMIN_KEY" ]]; then
    echo "administrator API key: in $LOCAL/admin.key (send it as Authorization: Bearer <key>)"
  else
    echo "administrator API key: the value of EVIDENCE_ADMIN_KEY"
  fi
  echo "logs: $RUN_DIR/api.log, $RUN_DIR/worker.log"
  if $detach; then
    echo "running in the background; stop with ./evidence.sh stop"
    return 0
  fi
  echo "press Ctrl-C to stop"
  while alive "$api" && alive "$worker"; do sleep 1; done
  log "a host exited on its own; see the logs"
  stop_hosts
  return 1
}

# The load harness (bench/Evidence.Load) against the running product: the API and worker are
# restarted with the per-key rate limit lifted (a load test would otherwise measure the limiter),
# then every scenario runs; the report goes to the terminal and to .local/load/<time>.txt.
cmd_load() {
  export RateLimit__PermitsPerSecond=1000000 RateLimit__Burst=1000000
  # run leaves the connection strings and EVIDENCE_API_KEY (the administrator key) exported.
  cmd_run --detach >/dev/null
  export EVIDENCE_URL="$URL"
  mkdir -p "$LOCAL/load"
  local report
  report="$LOCAL/load/$(date -u +%Y%m%dT%H%M%SZ).txt"
  log "load harness: report in $report"
  dotnet run -c Release --project bench/Evidence.Load -- --scenario all "$@" </dev/null 2>&1 | tee "$report"
}

# ---------------------------------------------------------------- main

main() {
  local command="${1:-help}"
  shift || true
  case "$command" in
    services)
      local sub="${1:-status}"
      case "$sub" in
        up) services_up ;;
        down) services_down ;;
        status) services_status ;;
        env) print_env ;;
        stop | start) service_one "$sub" "${2:-}" ;;
        *) die "unknown services command: $sub (up, down, status, env, stop|start postgres|rabbitmq)" ;;
      esac
      ;;
    test) cmd_test ;;
    run) cmd_run "$@" ;;
    stop) stop_hosts ;;
    load) cmd_load "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
