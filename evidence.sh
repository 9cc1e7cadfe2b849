#!/usr/bin/env bash
# The one entry point: local services (PostgreSQL, RabbitMQ), the test run and the running product.
#   ./evidence.sh services up|down|status|env, or services stop|start postgres|rabbitmq
#   ./evidence.sh cluster up|down|status|env, or cluster stop|start|kill|restart PIECE (node1..3, api1..2, worker1..2, postgres)
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
  sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
pid_in() { [[ -s "$1" ]] && head -n1 "$1" | tr -dc '0-9'; }
# Waits up to $2 seconds for process $1 to end after it was asked to stop, then kills it.
await_exit() {
  local waited=0
  while alive "$1"; do
    ((waited++ < $2)) || { kill -9 "$1" 2>/dev/null || true; break; }
    sleep 1
  done
}

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
  # The cluster's script reads rabbitmqctl's and the management API's JSON.
  command -v jq >/dev/null || missing+=(jq)
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
# PG_NAME names the instance: "postgres" is the services' one; the cluster may have its own.
PG_NAME=postgres
pg_home() {
  if [[ $EUID -ne 0 ]] || runuser -u postgres -- sh -c "test -x '$ROOT' && { test ! -e '$LOCAL' || test -x '$LOCAL'; }" 2>/dev/null; then
    echo "$LOCAL/$PG_NAME"
  else
    echo "/var/tmp/evidence-$PG_NAME-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
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
# rabbitmq_env HOME CLI_HOME NODENAME AMQP_PORT DIST_PORT EPMD_PORT CTL_PORT_MIN CTL_PORT_MAX: the
# environment of a RabbitMQ node kept in HOME, and of the CLI tools that talk to it (CLI_HOME holds
# the Erlang cookie they share), all on loopback.
rabbitmq_env() {
  local home="$1"
  export HOME="$2"
  export RABBITMQ_NODENAME="$3"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$4"
  export RABBITMQ_DIST_PORT="$5"
  export ERL_EPMD_PORT="$6"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_CTL_DIST_PORT_MIN="$7"
  export RABBITMQ_CTL_DIST_PORT_MAX="$8"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CONF_ENV_FILE="$home/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$home/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$home/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$home/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$home/mnesia"
  export RABBITMQ_LOG_BASE="$home/log"
  export RABBITMQ_PID_FILE="$home/rabbitmq.pid"
}

rmq_env() {
  rabbitmq_env "$RMQ_HOME" "$RMQ_HOME/home" "$RMQ_NODE" "$RMQ_PORT" "$RMQ_DIST_PORT" "$RMQ_EPMD_PORT" "${RMQ_CTL_PORTS[0]}" "${RMQ_CTL_PORTS[1]}"
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

# rabbitmq_files HOME COOKIE_FILE AMQP_PORT MANAGEMENT_PORT [EXTRA_CONFIG_LINE...]: a node's cookie
# (made once), plugins and configuration. The default user is created on the node's first boot only
# (instead of guest); provisioning then adds the services' own users.
rabbitmq_files() {
  local home="$1" cookie_file="$2" amqp_port="$3" management_port="$4"
  mkdir -p "$home/mnesia" "$home/log" "$(dirname "$cookie_file")"
  : >"$home/rabbitmq-env.conf"
  if [[ ! -s "$cookie_file" ]]; then
    local cookie
    cookie="$(head -c 4096 /dev/urandom | LC_ALL=C tr -dc '[:upper:]')"
    (umask 077 && printf '%s' "${cookie:0:32}" >"$cookie_file")
    chmod 400 "$cookie_file"
  fi
  echo '[rabbitmq_management].' >"$home/enabled_plugins"
  {
    cat <<EOF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $management_port
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
    if (($# > 4)); then printf '%s\n' "${@:5}"; fi
  } >"$home/rabbitmq.conf"
}

rmq_configure() {
  rabbitmq_files "$RMQ_HOME" "$RMQ_HOME/home/.erlang.cookie" "$RMQ_PORT" "$RMQ_MANAGEMENT_PORT"
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
    await_exit "$pid" 30
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
  local name pid
  for name in api worker; do
    pid="$(pid_in "$RUN_DIR/$name.pid" || true)"
    if alive "$pid"; then
      log "stopping $name (pid $pid)"
      kill "$pid" 2>/dev/null || true
      await_exit "$pid" 20
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

# ---------------------------------------------------------------- cluster

# A three-node RabbitMQ cluster on loopback, two APIs and two workers: the shape of a production
# deployment on one machine. Everything lives under .local/cluster; nothing is shared with the
# single-node services above except, by default, their PostgreSQL (a database of its own there).
# EVIDENCE_CLUSTER_POSTGRES=own gives the cluster a PostgreSQL instance of its own (port 55442),
# which `cluster restart postgres` may restart without touching anyone else's database.
CLUSTER_HOME="$LOCAL/cluster"
CLUSTER_NODES=(1 2 3)
CLUSTER_EPMD_PORT=55700
CLUSTER_CTL_PORTS=(55704 55714)
CLUSTER_APIS=(1 2)
CLUSTER_WORKERS=(1 2)
CLUSTER_DB=evidence_cluster
CLUSTER_OWN_PG_PORT=55442

node_name() { echo "evidence-c$1@localhost"; }
node_amqp_port() { echo $((55680 + $1)); }
node_management_port() { echo $((55690 + $1)); }
node_dist_port() { echo $((55700 + $1)); }
node_home() { echo "$CLUSTER_HOME/rabbitmq/c$1"; }
api_port() { echo $((5180 + $1)); }
api_url() { echo "http://127.0.0.1:$(api_port "$1")"; }

# One node's environment. The nodes and the CLI share one HOME, and so one Erlang cookie, and one
# epmd on a port of their own; each node has its own distribution port and data.
node_env() {
  rabbitmq_env "$(node_home "$1")" "$CLUSTER_HOME/rabbitmq/home" "$(node_name "$1")" "$(node_amqp_port "$1")" "$(node_dist_port "$1")" \
    "$CLUSTER_EPMD_PORT" "${CLUSTER_CTL_PORTS[0]}" "${CLUSTER_CTL_PORTS[1]}"
}

# node N COMMAND ARGS...: a RabbitMQ tool with node N's environment.
node_run() ( node_env "$1"; exec "$RMQ_BIN/$2" "${@:3}" )
node_ctl() { node_run "$1" rabbitmqctl -q -n "$(node_name "$1")" "${@:2}"; }

node_pid() {
  local pid; pid="$(pid_in "$(node_home "$1")/rabbitmq.pid" || true)"
  if alive "$pid" && grep -q beam "/proc/$pid/comm" 2>/dev/null; then echo "$pid"; fi
}

node_answers() {
  [[ "$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(node_management_port "$1")/api/overview" 2>/dev/null || true)" != 000 ]] \
    && (exec 3<>"/dev/tcp/127.0.0.1/$(node_amqp_port "$1")") 2>/dev/null
}

node_configure() {
  # pause_minority: a node cut off from the other two stops serving rather than diverging.
  rabbitmq_files "$(node_home "$1")" "$CLUSTER_HOME/rabbitmq/home/.erlang.cookie" "$(node_amqp_port "$1")" "$(node_management_port "$1")" \
    "cluster_partition_handling = pause_minority"
}

# Starts node N unless it runs; returns without waiting for it.
node_start() {
  [[ -n "$(node_pid "$1")" ]] && return 0
  node_configure "$1"
  local home; home="$(node_home "$1")"
  rm -f "$home/rabbitmq.pid"
  log "cluster: starting rabbitmq node $(node_name "$1") (amqp $(node_amqp_port "$1"), management $(node_management_port "$1"))"
  (node_env "$1" && exec setsid "$RMQ_BIN/rabbitmq-server") >"$home/log/startup.log" 2>&1 </dev/null &
}

node_wait() {
  local waited=0
  until node_answers "$1"; do
    ((waited++ < WAIT_SECONDS)) || die "cluster: node $(node_name "$1") did not answer within ${WAIT_SECONDS}s, see $(node_home "$1")/log/"
    sleep 1
  done
}

node_stop() {
  local pid; pid="$(node_pid "$1")"
  [[ -n "$pid" ]] || { log "cluster: node $(node_name "$1") is not running"; return 0; }
  log "cluster: stopping rabbitmq node $(node_name "$1")"
  node_ctl "$1" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  await_exit "$pid" 30
  rm -f "$(node_home "$1")/rabbitmq.pid"
}

# Node N (2 or 3) joins node 1's cluster unless it is already a member. Joining resets the node:
# it takes the cluster's users, vhosts and queues.
node_join() {
  local first; first="$(node_name 1)"
  if node_ctl "$1" cluster_status --formatter json 2>/dev/null | jq -e --arg n "$first" '.disk_nodes | index($n)' >/dev/null; then
    return 0
  fi
  log "cluster: $(node_name "$1") joins $first"
  # The CLI prints the node's boot warnings; only a failure matters here.
  node_ctl "$1" stop_app >/dev/null 2>&1 || die "cluster: rabbitmqctl stop_app failed on $(node_name "$1")"
  node_ctl "$1" reset >/dev/null 2>&1 || die "cluster: rabbitmqctl reset failed on $(node_name "$1")"
  node_ctl "$1" join_cluster "$first" >/dev/null 2>&1 || die "cluster: $(node_name "$1") could not join $first"
  node_ctl "$1" start_app >/dev/null 2>&1 || die "cluster: rabbitmqctl start_app failed on $(node_name "$1")"
}

# The same users, vhost and permissions as the single node (deploy/rabbitmq/definitions.json).
cluster_provision() {
  node_ctl 1 import_definitions "$ROOT/deploy/rabbitmq/definitions.json" >/dev/null \
    || die "cluster: importing the broker's users failed (rabbitmqctl import_definitions)"
  curl -fsS -o /dev/null -u "$RMQ_ADMIN:$RMQ_ADMIN" "http://127.0.0.1:$(node_management_port 1)/api/whoami" \
    || die "cluster: the administrator '$RMQ_ADMIN' cannot log in to the management API after provisioning"
}

rabbitmq_cluster_up() {
  local n
  # All at once: a node that was stopped last waits for its peers when it boots.
  for n in "${CLUSTER_NODES[@]}"; do node_start "$n"; done
  for n in "${CLUSTER_NODES[@]}"; do node_wait "$n"; done
  for n in "${CLUSTER_NODES[@]:1}"; do node_join "$n"; done
  cluster_provision
}

# ---- the cluster's PostgreSQL

cluster_postgres_mode() {
  if [[ -s "$CLUSTER_HOME/postgres.mode" ]]; then cat "$CLUSTER_HOME/postgres.mode"; else echo "${EVIDENCE_CLUSTER_POSTGRES:-shared}"; fi
}

# Points the PostgreSQL functions above at the cluster's instance and database.
cluster_postgres_select() {
  DB_NAME="$CLUSTER_DB"
  if [[ "$(cluster_postgres_mode)" == own ]]; then
    PG_NAME=cluster-postgres PG_PORT="$CLUSTER_OWN_PG_PORT"
  fi
}

cluster_postgres_up() {
  cluster_postgres_select
  if [[ "$(cluster_postgres_mode)" == own ]]; then
    pg_up
  elif "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    # The services' PostgreSQL, wherever it was started from: only a database of the cluster's own.
    pg_provision
  else
    pg_up
  fi
}

# ---- the hosts

host_pid_file() { echo "$CLUSTER_HOME/run/$1.pid"; }
host_pid() { local pid; pid="$(pid_in "$(host_pid_file "$1")" || true)"; alive "$pid" && echo "$pid"; true; }

# The broker's nodes for host number N, its "own" node first: the clients spread over the nodes and
# move to the next one listed when theirs goes.
broker_nodes() {
  local first=$1 i nodes=()
  for i in 0 1 2; do nodes+=("127.0.0.1:$(node_amqp_port $((((first - 1 + i) % 3) + 1)))"); done
  (IFS=,; echo "${nodes[*]}")
}

# host_start NAME PROJECT NODE [VARIABLE=VALUE...]
host_start() {
  local name=$1 project=$2 node=$3
  [[ -n "$(host_pid "$name")" ]] && return 0
  local dll="$ROOT/src/$project/bin/$CONFIGURATION/net10.0/$project.dll"
  [[ -f "$dll" ]] || die "$dll is missing; build it (dotnet build src/$project -c $CONFIGURATION)"
  local user=$RMQ_API
  [[ $project == Evidence.Worker ]] && user=$RMQ_WORKER
  mkdir -p "$CLUSTER_HOME/run"
  log "cluster: starting $name"
  (cd "$ROOT/src/$project" && exec env \
    "ConnectionStrings__Postgres=$(postgres_cs);Application Name=evidence-$name" \
    "ConnectionStrings__RabbitMq=amqp://$user:$user@127.0.0.1:$(node_amqp_port "$node")/" \
    "RabbitMq__Nodes=$(broker_nodes "$node")" \
    "RabbitMq__QueueType=quorum" \
    "Health__File=$CLUSTER_HOME/run/$name.healthy" \
    "Logging__Console__TimestampFormat=HH:mm:ss.fff " "Logging__Console__UseUtcTimestamp=true" \
    "${@:4}" setsid dotnet "$dll") >>"$CLUSTER_HOME/run/$name.log" 2>&1 </dev/null &
  echo $! >"$(host_pid_file "$name")"
}

host_stop() {
  local pid; pid="$(host_pid "$1")"
  if [[ -n "$pid" ]]; then
    log "cluster: stopping $1 (pid $pid)"
    kill "$pid" 2>/dev/null || true
    await_exit "$pid" 20
  fi
  rm -f "$(host_pid_file "$1")"
}

cluster_hosts_env() {
  EVIDENCE_ADMIN_KEY="$(admin_key)"
  Webhooks__SecretKey="$(webhooks_key)"
  export EVIDENCE_ADMIN_KEY Webhooks__SecretKey
  export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}"
  export ASPNETCORE_ENVIRONMENT="$DOTNET_ENVIRONMENT"
}

api_start() { host_start "api$1" Evidence.Api "$1" "ASPNETCORE_URLS=$(api_url "$1")"; }
# Workers are numbered after the APIs for the node they prefer, so the four hosts spread over three nodes.
worker_start() { host_start "worker$1" Evidence.Worker $(((${#CLUSTER_APIS[@]} + $1 - 1) % 3 + 1)); }

api_wait() {
  local waited=0
  until curl -fsS -o /dev/null "$(api_url "$1")/health/ready" 2>/dev/null; do
    [[ -n "$(host_pid "api$1")" ]] || { tail -n 20 "$CLUSTER_HOME/run/api$1.log" >&2; die "cluster: api$1 exited; log $CLUSTER_HOME/run/api$1.log"; }
    ((waited++ < WAIT_SECONDS)) || die "cluster: api$1 not ready at $(api_url "$1") within ${WAIT_SECONDS}s; log $CLUSTER_HOME/run/api$1.log"
    sleep 1
  done
}

cluster_build() {
  [[ "${EVIDENCE_CLUSTER_BUILD:-true}" == true ]] || return 0
  log "cluster: building the API and the worker ($CONFIGURATION)"
  local project
  for project in src/Evidence.Api src/Evidence.Worker; do
    dotnet build "$project" -c "$CONFIGURATION" -v q </dev/null >>"$CLUSTER_HOME/build.log" 2>&1 \
      || die "building $project failed; log $CLUSTER_HOME/build.log"
  done
}

# ---- the commands

cluster_up() {
  mkdir -p "$CLUSTER_HOME/run"
  local mode; mode="$(cluster_postgres_mode)"
  if [[ -s "$CLUSTER_HOME/postgres.mode" && -n "${EVIDENCE_CLUSTER_POSTGRES:-}" && "$EVIDENCE_CLUSTER_POSTGRES" != "$mode" ]]; then
    die "cluster: it runs on the '$mode' PostgreSQL; ./evidence.sh cluster down first to change to '$EVIDENCE_CLUSTER_POSTGRES'"
  fi
  echo "$mode" >"$CLUSTER_HOME/postgres.mode"
  install_packages
  cluster_postgres_up
  rabbitmq_cluster_up
  cluster_build
  cluster_hosts_env
  local n
  # The first API starts alone, so it creates the schema before the others read it.
  api_start 1
  api_wait 1
  for n in "${CLUSTER_APIS[@]:1}"; do api_start "$n"; done
  for n in "${CLUSTER_WORKERS[@]}"; do worker_start "$n"; done
  for n in "${CLUSTER_APIS[@]:1}"; do api_wait "$n"; done
  cluster_status
}

cluster_down() {
  local n
  for n in "${CLUSTER_WORKERS[@]}"; do host_stop "worker$n"; done
  for n in "${CLUSTER_APIS[@]}"; do host_stop "api$n"; done
  # The last node stopped must be among the first started again; up starts all three at once.
  for n in 3 2 1; do node_stop "$n"; done
  ERL_EPMD_PORT="$CLUSTER_EPMD_PORT" epmd -kill >/dev/null 2>&1 || true
  if [[ "$(cluster_postgres_mode)" == own ]]; then cluster_postgres_select; pg_down; fi
  rm -f "$CLUSTER_HOME/postgres.mode"
}

# The API whose connection holds the async daemon's leadership lock (Marten's hot/cold daemon), by
# the application name each host gives its connections. Marten takes a one-key (bigint) lock
# (objsubid 1); the API's idempotency turns are two-key locks (objsubid 2).
cluster_forwarder() {
  cluster_postgres_select
  pg_admin -d "$CLUSTER_DB" -c "select distinct a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.objsubid = 1 and l.granted and a.datname = current_database() and a.application_name like 'evidence-api%'" 2>/dev/null \
    | sed 's/^evidence-//' | paste -sd, -
}

cluster_status() {
  local n rc=0 pid
  cluster_postgres_select
  echo "postgres ($(cluster_postgres_mode)): 127.0.0.1:$PG_PORT, database $CLUSTER_DB"
  for n in "${CLUSTER_NODES[@]}"; do
    pid="$(node_pid "$n")"
    if [[ -n "$pid" ]]; then
      echo "rabbitmq $(node_name "$n"): running, pid $pid, amqp 127.0.0.1:$(node_amqp_port "$n"), management http://127.0.0.1:$(node_management_port "$n")/"
    else
      echo "rabbitmq $(node_name "$n"): stopped"; rc=1
    fi
  done
  local api=""
  for n in "${CLUSTER_NODES[@]}"; do [[ -n "$(node_pid "$n")" ]] && { api="http://127.0.0.1:$(node_management_port "$n")"; break; }; done
  if [[ -n "$api" ]]; then
    curl -fsS -u "$RMQ_ADMIN:$RMQ_ADMIN" "$api/api/queues/%2F?columns=name,type,node,leader,members,online,messages,consumers" 2>/dev/null \
      | jq -r '.[] | select(.name | startswith("evidence-api-lag") | not)
          | "queue \(.name): \(.type), leader \(.leader // .node), members \((.members // [.node]) | join(" ")), online \((.online // []) | join(" ")), \(.messages // 0) messages, \(.consumers // 0) consumers"' \
      || echo "queues: the management API did not answer"
  fi
  local forwarder; forwarder="$(cluster_forwarder || true)"
  for n in "${CLUSTER_APIS[@]}"; do
    pid="$(host_pid "api$n")"
    if [[ -n "$pid" ]]; then
      local role=standby; [[ ",$forwarder," == *",api$n,"* ]] && role="runs the forwarder"
      echo "api$n: running, pid $pid, $(api_url "$n") ($role)"
    else
      echo "api$n: stopped"; rc=1
    fi
  done
  for n in "${CLUSTER_WORKERS[@]}"; do
    pid="$(host_pid "worker$n")"
    if [[ -n "$pid" ]]; then echo "worker$n: running, pid $pid"; else echo "worker$n: stopped"; rc=1; fi
  done
  echo "logs: $CLUSTER_HOME/run/ and $CLUSTER_HOME/rabbitmq/c*/log/"
  return "$rc"
}

# The faults a chaos test injects, one piece at a time.
cluster_piece() {
  local action=$1 piece=${2:-}
  cluster_hosts_env
  cluster_postgres_select
  case "$action:$piece" in
    stop:node[123]) node_stop "${piece#node}" ;;
    start:node[123]) node_start "${piece#node}"; node_wait "${piece#node}" ;;
    kill:api[0-9] | kill:worker[0-9])
      local pid; pid="$(host_pid "$piece")"
      [[ -n "$pid" ]] || die "cluster: $piece is not running"
      kill -9 "$pid"; rm -f "$(host_pid_file "$piece")"; log "cluster: killed $piece (pid $pid)" ;;
    start:api[0-9]) api_start "${piece#api}"; api_wait "${piece#api}" ;;
    start:worker[0-9]) worker_start "${piece#worker}" ;;
    restart:postgres)
      [[ "$(cluster_postgres_mode)" == own ]] || die "cluster: its PostgreSQL is the services' one, shared; restart only an own one (EVIDENCE_CLUSTER_POSTGRES=own)"
      pg_as "$PG_BIN/pg_ctl" -D "$(pg_home)/data" -m fast -w restart -l "$(pg_home)/postgres.log" >/dev/null || die "cluster: postgres did not restart" ;;
    *) die "usage: cluster stop|start node1..3, kill|start api1|api2|worker1|worker2, restart postgres" ;;
  esac
}

cluster_env() {
  cluster_postgres_select
  echo "export EVIDENCE_CLUSTER_APIS='$(for n in "${CLUSTER_APIS[@]}"; do api_url "$n"; done | paste -sd, -)'"
  echo "export EVIDENCE_CLUSTER_POSTGRES_ADMIN='Host=127.0.0.1;Port=$PG_PORT;Database=$CLUSTER_DB;Username=$DB_ADMIN;Password=$DB_ADMIN'"
  echo "export EVIDENCE_CLUSTER_MANAGEMENT='http://$RMQ_ADMIN:$RMQ_ADMIN@127.0.0.1:$(node_management_port 1)/'"
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
    cluster)
      local sub="${1:-status}"
      case "$sub" in
        up) cluster_up ;;
        down) cluster_down ;;
        status) cluster_status ;;
        env) cluster_env ;;
        stop | start | kill | restart) cluster_piece "$sub" "${2:-}" ;;
        *) die "unknown cluster command: $sub (up, down, status, env, stop|start|kill|restart PIECE)" ;;
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
