# shellcheck shell=bash disable=SC2034 # the variables here are used by up, down and status
# Shared by deploy/local/up, down and status: paths, ports, and the small helpers they all use.
# Sourced, never run. See docs/runbook-local.md.
#
# Where PostgreSQL comes from, and why:
#   - MAILROOM_DATABASE_URL set: that server is used and nothing is started.
#   - else the machine's own binaries when present (newest /usr/lib/postgresql/*/bin): a real,
#     packaged PostgreSQL, fast, nothing to download.
#   - else zonky's embedded-postgres-binaries jar from Maven Central (deploy/local/postgres/pom.xml),
#     unpacked once into the state folder: nothing to install, and Maven Central is a registry
#     every machine here reaches.
#   No Docker on these machines, so no container image either.
# PostgreSQL refuses to run as root: as root, initdb, postgres and pg_ctl run as the user
# `postgres` (or `nobody` where there is none), which owns the data and socket folders.

shopt -s inherit_errexit # set -e inside $(...) too

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOCAL=$ROOT/deploy/local
STATE=${MAILROOM_STATE:-$ROOT/.mailroom}
RUN=$STATE/run

# The ports a platform was started with are remembered in its state folder, so that status and
# down find them without the same environment; an explicit environment variable still wins.
PORTS_FILE=$STATE/ports.env
if [[ -f $PORTS_FILE ]]; then
  while IFS='=' read -r name value; do
    [[ $name =~ ^MAILROOM_(PORT_OFFSET|KAFKA_PORT|KAFKA_CONTROLLER_PORT|PG_PORT)$ && $value =~ ^[0-9]+$ ]] || continue
    [[ -n ${!name:-} ]] || printf -v "$name" '%s' "$value"
  done <"$PORTS_FILE"
fi
LOGS=$STATE/logs

KAFKA_PORT=${MAILROOM_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${MAILROOM_KAFKA_CONTROLLER_PORT:-19093}
KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
KAFKA_LIB=$STATE/kafka/lib

PG_PORT=${MAILROOM_PG_PORT:-15432}
PG_DATA=$STATE/postgres/data
PG_SOCKET=$STATE/postgres/socket
PG_PASSWORD_FILE=$STATE/postgres/password

TLS_CERT=$STATE/tls/cert.pem
TLS_KEY=$STATE/tls/key.pem
ADMIN_TOKEN_FILE=$STATE/admin-token

SERVICES=(smtp-ingress policy-service delivery-service mailbox-service)
# JVM options of each service (MAILROOM_JAVA_OPTS overrides them all): SerialGC and a small heap,
# for a 2-core machine. mailbox-service holds message bodies at both ends (the mail.local records
# it stores, the 96 MiB body budget of IMAP and POP3): with 192 MiB a 25 MiB message, just stored,
# could not be fetched (OutOfMemoryError), so it gets the larger heap of SERVICE_JAVA_OPTS (appended:
# the last -Xms/-Xmx counts), starting at 256 MiB so that its old generation is not collected whole
# every minute under load.
DEFAULT_JAVA_OPTS="-Xms32m -Xmx192m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:+UseSerialGC -Xss512k"
declare -A SERVICE_JAVA_OPTS=([mailbox-service]="-Xms256m -Xmx512m")
# MAILROOM_PORT_OFFSET shifts every service port (HTTP and protocols), so a second platform (the
# platform tests, say) can run beside the default one. Kafka and PostgreSQL have their own ports.
OFFSET=${MAILROOM_PORT_OFFSET:-0}
declare -A HTTP_PORT=([smtp-ingress]=$((8081 + OFFSET)) [policy-service]=$((8082 + OFFSET))
  [delivery-service]=$((8083 + OFFSET)) [mailbox-service]=$((8084 + OFFSET)))
SMTP_PORT=$((2525 + OFFSET))
SUBMISSION_PORT=$((2587 + OFFSET))
SUBMISSIONS_PORT=$((2465 + OFFSET))
IMAP_PORT=$((2143 + OFFSET))
IMAPS_PORT=$((2993 + OFFSET))
POP3_PORT=$((2110 + OFFSET))
POP3S_PORT=$((2995 + OFFSET))
# SMTP MX, submission, submissions, IMAP, IMAPS, POP3, POP3S (docs: ARCHITECTURE.md).
PROTOCOL_PORTS=("$SMTP_PORT" "$SUBMISSION_PORT" "$SUBMISSIONS_PORT" "$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT")

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The database the services use: MAILROOM_DATABASE_URL (postgresql://user:password@host:port/db,
# the password may be percent-encoded) or the private server.
if [[ -n ${MAILROOM_DATABASE_URL:-} ]]; then
  [[ $MAILROOM_DATABASE_URL =~ ^postgres(ql)?://([^:/@]+):(.*)@([^:/@]+):([0-9]+)/([^/?]+)$ ]] ||
    die "MAILROOM_DATABASE_URL must look like postgresql://user:password@host:port/db"
  DB_EXTERNAL=1
  DB_USER=${BASH_REMATCH[2]}
  DB_PASSWORD=$(printf '%b' "${BASH_REMATCH[3]//%/\\x}")
  DB_HOST=${BASH_REMATCH[4]}
  DB_PORT=${BASH_REMATCH[5]}
  DB_NAME=${BASH_REMATCH[6]}
else
  DB_EXTERNAL=0
  DB_USER=mailroom
  DB_PASSWORD= # read from $PG_PASSWORD_FILE by up
  DB_HOST=127.0.0.1
  DB_PORT=$PG_PORT
  DB_NAME=mailroom
fi

service_jar() { printf '%s\n' "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# tcp_open HOST PORT: something accepts TCP connections on HOST:PORT (bash's /dev/tcp).
# shellcheck disable=SC2016 # $0 and $1 are the inner shell's
tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }
port_open() { tcp_open 127.0.0.1 "$1"; }

# pid_matches PID MARKER: PID is a live process whose command line contains MARKER
# (so a PID reused by an unrelated process is never taken for ours).
pid_matches() {
  [[ $1 =~ ^[0-9]+$ && -r /proc/$1/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"
}

# live_pid NAME MARKER: prints the PID in $RUN/NAME.pid if that process is alive and ours.
live_pid() {
  local pid
  [[ -s $RUN/$1.pid ]] || return 1
  pid=$(<"$RUN/$1.pid")
  pid_matches "$pid" "$2" || return 1
  printf '%s\n' "$pid"
}

# The marker that tells each component's process from any other.
kafka_marker() { printf '%s\n' "$STATE/kafka/server.properties"; }
service_marker() { service_jar "$1"; }

# postgres_pid: the postmaster's PID (from postmaster.pid) if it runs on our data folder.
postgres_pid() {
  local pid
  [[ -s $PG_DATA/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid")
  pid_matches "$pid" "$PG_DATA" || return 1
  printf '%s\n' "$pid"
}

# The OS user PostgreSQL runs as when we are root; empty when we are not.
pg_os_user() {
  if ((EUID != 0)); then return 0; fi
  if id -u postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi
}

# as_pg CMD...: CMD as the PostgreSQL OS user (runuser when root), from a folder it may read.
as_pg() {
  local user
  user=$(pg_os_user)
  if [[ -n $user ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    (cd / && "$@")
  fi
}

# kafka_tool CLASS ARGS...: one of Kafka's command line tools, from the broker's jars.
kafka_tool() { java -Xmx256m -cp "$KAFKA_LIB/*" "$@"; }

# listening PORT: a socket listens on PORT (any address), per ss.
listening() { ss -Hltn "sport = :$1" | grep -q .; }
