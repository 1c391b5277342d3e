# shellcheck shell=bash
#
# scripts/lib/servers.sh -- throwaway PostgreSQL and MariaDB servers on
# 127.0.0.1 for the Switchboard test suite.
#
# Usage (from a bash script; sourcing has no side effects):
#
#     source scripts/lib/servers.sh
#     trap sb_stop_servers EXIT
#     sb_start_postgres
#     sb_start_mariadb
#
# Functions
#   sb_start_postgres    start a PostgreSQL 15 server, export its URL
#   sb_start_mariadb     (install mariadb-server if needed,) start MariaDB
#   sb_restart_postgres  pg_ctl restart of the server started above
#   sb_restart_mariadb   shut MariaDB down and start it again, same port/data
#   sb_stop_servers      stop everything this shell started, remove temp dirs
#
# Exported after sb_start_postgres
#   SWITCHBOARD_TEST_POSTGRES  postgresql://switchboard:Tq4-Xv8-Lm2-Rk6@127.0.0.1:PORT/switchboard_test
#   SB_PG_BIN   PostgreSQL bin dir        SB_PG_DATA  data directory
#   SB_PG_PORT  TCP port                  SB_PG_DIR   temp dir (data, log, socket)
#   SB_PG_LOG   server log file
#
# Exported after sb_start_mariadb
#   SWITCHBOARD_TEST_MYSQL     mysql://switchboard:Tq4-Xv8-Lm2-Rk6@127.0.0.1:PORT/switchboard_test
#   SB_MYSQL_PORT  TCP port               SB_MYSQL_DATA    data directory
#   SB_MYSQL_SOCKET  unix socket          SB_MYSQL_DIR     temp dir
#   SB_MYSQL_LOG   server log file        SB_MYSQL_BIN     the mariadbd binary
#
# Restarting from a test: the restart functions need only the exported SB_*
# variables, so any child process can do it, e.g.
#     bash -c 'source scripts/lib/servers.sh && sb_restart_postgres'
# or by hand:
#     runuser -u postgres -- "$SB_PG_BIN/pg_ctl" -D "$SB_PG_DATA" -l "$SB_PG_LOG" -w -t 30 restart -m fast
#     (always pass -l: without it the server's log goes to pg_ctl's stdout and
#      a caller that reads that pipe never sees EOF)
#
# If SWITCHBOARD_TEST_POSTGRES / SWITCHBOARD_TEST_MYSQL is already set when a
# start function is called (a server someone else runs), it starts nothing.
#
# Tunables: SB_SERVERS_DIR (default /tmp/switchboard-servers),
# SB_PG_READY_TIMEOUT (30 s), SB_MYSQL_READY_TIMEOUT (60 s).
#
# All functions print progress to stderr as "[servers] ...", print nothing on
# stdout, and return non-zero on failure without leaving a server behind.
# They check every step themselves instead of relying on `set -e`, because
# bash turns errexit off inside a function called as `f || ...`.

SB_TEST_USER=switchboard
SB_TEST_PASSWORD=Tq4-Xv8-Lm2-Rk6
SB_TEST_DATABASE=switchboard_test

# --- helpers ----------------------------------------------------------------

_sb_log() { printf '[servers] %s\n' "$*" >&2; }
_sb_err() { printf '[servers] ERROR: %s\n' "$*" >&2; }

_sb_base_dir() { printf '%s' "${SB_SERVERS_DIR:-/tmp/switchboard-servers}"; }

# Print the last lines of a server log to stderr (for failure messages).
_sb_log_tail() {
    local file=$1
    if [[ -f $file ]]; then
        _sb_log "---- last lines of $file ----"
        tail -n 30 "$file" | sed 's/^/[servers]   /' >&2
        _sb_log "----"
    else
        _sb_log "(no log file at $file)"
    fi
}

# Is process $1 alive?  A zombie (exited, not yet reaped -- PID 1 in a
# container can be slow at that) counts as dead.
_sb_pid_alive() {
    [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0 # no /proc: trust kill -0
    [[ ${stat##*) } != Z* ]]
}

# Is TCP port $1 free on 127.0.0.1?  `ss` catches any socket (listening,
# connected or TIME_WAIT) using it as its local port; the bind attempt is the
# definitive check when python3 is around.
_sb_port_free() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -z $(ss -Htan "sport = :$port" 2>/dev/null) ]] || return 1
    fi
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$port" <<'PY' 2>/dev/null || return 1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
    elif ! command -v ss >/dev/null 2>&1; then
        # Last resort: something answering on the port means it is taken.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 1; fi
    fi
    return 0
}

# Print a free port.  Ports are drawn from below the kernel's ephemeral range:
# a port inside it could, by the time a server is *restarted* on it, be the
# local end of some client connection, and the restart would fail to bind.
_sb_free_port() {
    local lo=15000 hi=32767 eph_lo port i
    if read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null; then
        if ((eph_lo > lo + 1000)); then hi=$((eph_lo - 1)); fi
    fi
    for ((i = 0; i < 200; i++)); do
        port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1)))
        if _sb_port_free "$port"; then
            printf '%s' "$port"
            return 0
        fi
    done
    _sb_err "could not find a free TCP port on 127.0.0.1 in $lo-$hi"
    return 1
}

# mkdir -p the base dir; it must be traversable by the postgres OS user.
_sb_make_base_dir() {
    local base
    base=$(_sb_base_dir)
    if [[ ! -d $base ]]; then
        if ! { mkdir -p "$base" && chmod 755 "$base"; }; then
            _sb_err "cannot create $base"
            return 1
        fi
    fi
}

# Remove leftovers of earlier runs that were killed before their trap ran
# (dirs whose creating shell and server are both gone).  Only our own
# pg-*/mariadb-* dirs that carry an .sb-owner file are considered.
_sb_sweep_stale() {
    local base d owner pid
    base=$(_sb_base_dir)
    [[ -d $base ]] || return 0
    for d in "$base"/pg-* "$base"/mariadb-*; do
        [[ -f $d/.sb-owner ]] || continue
        owner=$(cat "$d/.sb-owner" 2>/dev/null || true)
        _sb_pid_alive "$owner" && continue
        pid=
        if [[ -f $d/data/postmaster.pid ]]; then pid=$(head -n 1 "$d/data/postmaster.pid" 2>/dev/null || true); fi
        if [[ -f $d/mariadb.pid ]]; then pid=$(cat "$d/mariadb.pid" 2>/dev/null || true); fi
        _sb_pid_alive "$pid" && continue
        _sb_log "removing stale $d"
        rm -rf -- "$d"
    done
    return 0
}

# Seconds since the epoch with a fraction, for "ready in N s" messages.
_sb_now() { date +%s.%N; }
_sb_elapsed() { awk -v a="$1" -v b="$(_sb_now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- PostgreSQL -----------------------------------------------------------------

_sb_pg_bin_dir() {
    local d
    for d in "${SB_PG_BIN:-}" /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]] && { printf '%s' "$d"; return 0; }
    done
    return 1
}

# Run a command as the postgres OS user (initdb and postgres refuse root).
_sb_as_pg() { runuser -u postgres -- "$@"; }

_sb_pg_running() {
    [[ -n ${SB_PG_DATA:-} && -n ${SB_PG_BIN:-} && -f ${SB_PG_DATA:-}/postmaster.pid ]] || return 1
    _sb_as_pg "$SB_PG_BIN/pg_ctl" -D "$SB_PG_DATA" status >/dev/null 2>&1
}

# Wait until pg_isready says yes (or time out).
_sb_pg_wait_ready() {
    local deadline=$((SECONDS + ${SB_PG_READY_TIMEOUT:-30}))
    while ((SECONDS < deadline)); do
        if "$SB_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SB_PG_PORT" -t 2 >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    _sb_err "postgres on 127.0.0.1:$SB_PG_PORT not ready after ${SB_PG_READY_TIMEOUT:-30}s"
    _sb_log_tail "$SB_PG_LOG"
    return 1
}

# Stop the postgres in $1 (temp dir) and remove the dir.  Never fails.
_sb_pg_destroy() {
    local dir=$1 bin=$2 pid i
    [[ -n $dir && -d $dir ]] || return 0
    if [[ -f $dir/data/postmaster.pid ]]; then
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if ! _sb_as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
            if _sb_pid_alive "$pid"; then
                _sb_log "pg_ctl stop failed, killing postmaster $pid"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        # pg_ctl returns once postmaster.pid is gone; give the process itself
        # a moment to be gone too, so "nothing left running" holds on return.
        for ((i = 0; i < 50; i++)); do
            _sb_pid_alive "$pid" || break
            sleep 0.1
        done
    fi
    rm -rf -- "$dir"
}

sb_start_postgres() {
    if [[ ${_SB_PG_OWNED:-} == 1 ]] && _sb_pg_running; then
        _sb_log "postgres already running on 127.0.0.1:$SB_PG_PORT"
        return 0
    fi
    if [[ ${_SB_PG_OWNED:-} != 1 && -n ${SWITCHBOARD_TEST_POSTGRES:-} ]]; then
        _sb_log "SWITCHBOARD_TEST_POSTGRES already set; not starting postgres"
        return 0
    fi
    if [[ ${_SB_PG_OWNED:-} == 1 ]]; then
        # We started one earlier but it is gone: clean up, start afresh.
        _sb_log "postgres started earlier is not running any more; starting a new one"
        _sb_stop_postgres
    fi

    local t0 bin dir port pwfile
    t0=$(_sb_now)
    bin=$(_sb_pg_bin_dir) || {
        _sb_err "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin)"
        return 1
    }
    # initdb/postgres refuse to run as root; we switch to the postgres OS
    # user with runuser, which needs root.
    ((EUID == 0)) || { _sb_err "sb_start_postgres must run as root (it runs the server as 'postgres')"; return 1; }
    id postgres >/dev/null 2>&1 || { _sb_err "no 'postgres' OS user to run the server as"; return 1; }
    _sb_make_base_dir || return 1
    _sb_sweep_stale
    dir=$(mktemp -d "$(_sb_base_dir)/pg-XXXXXXXX") || { _sb_err "mktemp failed"; return 1; }
    echo $$ >"$dir/.sb-owner"
    mkdir -p "$dir/data" "$dir/sock"
    if ! { chown -R postgres: "$dir" && chmod 700 "$dir/data"; }; then
        _sb_err "cannot chown $dir to postgres"
        rm -rf -- "$dir"
        return 1
    fi
    if ! _sb_as_pg test -x "$dir"; then
        _sb_err "the postgres OS user cannot reach $dir (check permissions of its parents)"
        rm -rf -- "$dir"
        return 1
    fi

    # Password file for initdb, readable by postgres only, deleted right after.
    pwfile=$dir/pwfile
    (umask 077 && printf '%s\n' "$SB_TEST_PASSWORD" >"$pwfile") && chown postgres: "$pwfile"

    _sb_log "initdb in $dir/data (PostgreSQL $("$bin/postgres" --version | sed -n 's/^[^0-9]*\([0-9.]*\).*/\1/p'))"
    # Superuser "switchboard" with a SCRAM password over TCP; trust over the
    # private unix socket (only this script uses it).
    if ! _sb_as_pg "$bin/initdb" -D "$dir/data" --username="$SB_TEST_USER" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1; then
        _sb_err "initdb failed"
        _sb_log_tail "$dir/initdb.log"
        rm -rf -- "$dir"
        return 1
    fi
    rm -f -- "$pwfile"

    port=$(_sb_free_port) || { rm -rf -- "$dir"; return 1; }

    # Settings go into postgresql.conf (not pg_ctl -o) so a restart keeps them.
    cat >>"$dir/data/postgresql.conf" <<EOF

# ---- added by scripts/lib/servers.sh (throwaway test server) ----
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/sock'
max_connections = 200
password_encryption = 'scram-sha-256'
# durability is pointless for a throwaway server; speed is not
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    export SB_PG_BIN=$bin SB_PG_DIR=$dir SB_PG_DATA=$dir/data SB_PG_PORT=$port SB_PG_LOG=$dir/postgres.log
    _SB_PG_OWNED=1

    _sb_log "starting postgres on 127.0.0.1:$port"
    if ! _sb_as_pg "$bin/pg_ctl" -D "$SB_PG_DATA" -l "$SB_PG_LOG" -w -t "${SB_PG_READY_TIMEOUT:-30}" start >/dev/null 2>&1; then
        _sb_err "pg_ctl start failed"
        _sb_log_tail "$SB_PG_LOG"
        _sb_stop_postgres
        return 1
    fi
    if ! _sb_pg_wait_ready; then
        _sb_stop_postgres
        return 1
    fi

    # Create the test database over TCP with the password, which also proves
    # that password authentication works.
    if ! PGPASSWORD=$SB_TEST_PASSWORD "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
        -U "$SB_TEST_USER" -d postgres -c "CREATE DATABASE $SB_TEST_DATABASE" >/dev/null 2>"$dir/createdb.log"; then
        _sb_err "creating database $SB_TEST_DATABASE over TCP with password failed:"
        sed 's/^/[servers]   /' "$dir/createdb.log" >&2
        _sb_stop_postgres
        return 1
    fi

    export SWITCHBOARD_TEST_POSTGRES="postgresql://$SB_TEST_USER:$SB_TEST_PASSWORD@127.0.0.1:$port/$SB_TEST_DATABASE"
    _sb_log "postgres ready on 127.0.0.1:$port in $(_sb_elapsed "$t0")s (data $SB_PG_DATA)"
}

sb_restart_postgres() {
    if [[ -z ${SB_PG_DATA:-} || -z ${SB_PG_BIN:-} ]]; then
        _sb_err "sb_restart_postgres: SB_PG_DATA/SB_PG_BIN not set (was sb_start_postgres run?)"
        return 1
    fi
    local t0
    t0=$(_sb_now)
    : "${SB_PG_LOG:=$(dirname "$SB_PG_DATA")/postgres.log}"
    : "${SB_PG_PORT:=$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$SB_PG_DATA/postgresql.conf" | tail -n 1)}"
    _sb_log "restarting postgres on 127.0.0.1:$SB_PG_PORT"
    # pg_ctl restart also works when the server is not running.
    if ! _sb_as_pg "$SB_PG_BIN/pg_ctl" -D "$SB_PG_DATA" -l "$SB_PG_LOG" -w -t "${SB_PG_READY_TIMEOUT:-30}" \
        restart -m fast >/dev/null 2>&1; then
        _sb_err "pg_ctl restart failed"
        _sb_log_tail "$SB_PG_LOG"
        return 1
    fi
    _sb_pg_wait_ready || return 1
    _sb_log "postgres back on 127.0.0.1:$SB_PG_PORT in $(_sb_elapsed "$t0")s"
}

# Stop and remove the postgres this shell started; forget its variables.
_sb_stop_postgres() {
    [[ ${_SB_PG_OWNED:-} == 1 ]] || return 0
    if [[ -n ${SB_PG_DIR:-} && -d ${SB_PG_DIR:-} ]]; then
        _sb_log "stopping postgres on 127.0.0.1:${SB_PG_PORT:-?}"
        _sb_pg_destroy "$SB_PG_DIR" "$SB_PG_BIN"
    fi
    unset SWITCHBOARD_TEST_POSTGRES SB_PG_BIN SB_PG_DIR SB_PG_DATA SB_PG_PORT SB_PG_LOG _SB_PG_OWNED
    return 0
}

# --- MariaDB ------------------------------------------------------------------

# Print the path of the first of the given programs found (PATH or /usr/sbin).
_sb_find_prog() {
    local p
    for p in "$@"; do
        if command -v "$p" >/dev/null 2>&1; then command -v "$p"; return 0; fi
        if [[ -x /usr/sbin/$p ]]; then printf '%s' "/usr/sbin/$p"; return 0; fi
    done
    return 1
}

# apt-get install mariadb-server without starting the system service.
_sb_install_mariadb() {
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0 t0
    t0=$(_sb_now)
    _sb_log "mariadbd not found; installing mariadb-server with apt-get (takes a few minutes)"
    # policy-rc.d exiting 101 tells invoke-rc.d not to start services, so the
    # package's postinst does not launch a system MariaDB on :3306.
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# temporary, from scripts/lib/servers.sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y
        -o DPkg::Lock::Timeout=300
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/sb-apt-XXXXXX.log")
    # With empty package lists (a fresh machine) install cannot work: update first.
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        _sb_log "apt lists are empty; apt-get update"
        "${apt[@]}" update >>"$log" 2>&1 || true # the install below reports
    fi
    local -a pkgs=(mariadb-server mariadb-client)
    if ! "${apt[@]}" install --no-install-recommends "${pkgs[@]}" >>"$log" 2>&1; then
        _sb_log "apt-get install failed; apt-get update and retry"
        if ! { "${apt[@]}" update >>"$log" 2>&1 &&
            "${apt[@]}" install --no-install-recommends "${pkgs[@]}" >>"$log" 2>&1; }; then
            rc=1
        fi
    fi
    if ((made_policy)); then rm -f -- "$policy"; fi
    if ((rc != 0)); then
        _sb_err "apt-get install mariadb-server failed (full log: $log)"
        _sb_log_tail "$log"
        return 1
    fi
    rm -f -- "$log"
    _sb_log "mariadb-server installed in $(_sb_elapsed "$t0")s"
    # Should the system service have been started anyway, say so: it is not
    # ours and may be something the machine relies on, so leave it alone.
    if pgrep -f -- '--datadir=/var/lib/mysql' >/dev/null 2>&1 || ss -Htln 'sport = :3306' 2>/dev/null | grep -q .; then
        _sb_log "note: a system MariaDB is listening on :3306 (not started by this script, left alone)"
    fi
    return 0
}

# Run the mariadb client as root over the private socket.
_sb_mysql_root() {
    "$_SB_MYSQL_CLIENT" --no-defaults --protocol=socket --socket="$SB_MYSQL_SOCKET" -uroot "$@"
}

_sb_mysql_tools() {
    if ! { _SB_MYSQL_CLIENT=$(_sb_find_prog mariadb mysql) &&
        _SB_MYSQL_ADMIN=$(_sb_find_prog mariadb-admin mysqladmin); }; then
        _sb_err "mariadb client tools (mariadb, mariadb-admin) not found"
        return 1
    fi
}

# Launch mariadbd in the background from the exported SB_MYSQL_* variables
# (so a restart from another process starts exactly the same server).
_sb_mariadb_launch() {
    local dir
    dir=$(dirname "$SB_MYSQL_DATA")
    # setsid + all fds redirected: the server must not keep the caller's
    # stdout/stderr pipes open, nor share its process group (Ctrl-C).
    # --wait: if setsid has to fork (caller has job control), it stays alive
    # as long as mariadbd, so $! is a valid "still starting?" probe either way.
    setsid --wait "$SB_MYSQL_BIN" --no-defaults \
        --datadir="$SB_MYSQL_DATA" \
        --socket="$SB_MYSQL_SOCKET" \
        --port="$SB_MYSQL_PORT" \
        --bind-address=127.0.0.1 \
        --pid-file="$dir/mariadb.pid" \
        --log-error="$SB_MYSQL_LOG" \
        --tmpdir="$dir/tmp" \
        --user=root \
        --skip-name-resolve \
        --max-connections=300 \
        --innodb-flush-log-at-trx-commit=2 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        </dev/null >>"$SB_MYSQL_LOG" 2>&1 &
    _SB_MYSQL_LAUNCH_PID=$!
}

# Wait for `mariadb-admin ping` to answer, failing fast if the server died.
_sb_mariadb_wait_ready() {
    local deadline=$((SECONDS + ${SB_MYSQL_READY_TIMEOUT:-60}))
    while ((SECONDS < deadline)); do
        if "$_SB_MYSQL_ADMIN" --no-defaults --protocol=socket --socket="$SB_MYSQL_SOCKET" -uroot \
            --connect-timeout=2 ping >/dev/null 2>&1; then
            return 0
        fi
        if ! _sb_pid_alive "${_SB_MYSQL_LAUNCH_PID:-}"; then
            _sb_err "mariadbd exited during startup"
            _sb_log_tail "$SB_MYSQL_LOG"
            return 1
        fi
        sleep 0.3
    done
    _sb_err "mariadb on 127.0.0.1:$SB_MYSQL_PORT not ready after ${SB_MYSQL_READY_TIMEOUT:-60}s"
    _sb_log_tail "$SB_MYSQL_LOG"
    return 1
}

# Stop the mariadbd whose temp dir is $1 (pid file + socket there); never fails.
_sb_mariadb_shutdown() {
    local dir=$1 sock=$2 pid i
    pid=$(cat "$dir/mariadb.pid" 2>/dev/null || true)
    [[ -z $pid ]] && pid=${_SB_MYSQL_LAUNCH_PID:-}
    _sb_pid_alive "$pid" || return 0
    if [[ -n ${_SB_MYSQL_ADMIN:-} && -S $sock ]]; then
        timeout 30 "$_SB_MYSQL_ADMIN" --no-defaults --protocol=socket --socket="$sock" -uroot \
            shutdown >/dev/null 2>&1 || true
    fi
    kill -TERM "$pid" 2>/dev/null || true # harmless if it is already going
    for ((i = 0; i < 300; i++)); do
        _sb_pid_alive "$pid" || return 0
        sleep 0.1
    done
    _sb_log "mariadbd $pid did not stop in 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.3
    return 0
}

_sb_mariadb_running() {
    local pid
    [[ -n ${SB_MYSQL_DATA:-} ]] || return 1
    pid=$(cat "$(dirname "$SB_MYSQL_DATA")/mariadb.pid" 2>/dev/null || true)
    _sb_pid_alive "$pid"
}

sb_start_mariadb() {
    if [[ ${_SB_MYSQL_OWNED:-} == 1 ]] && _sb_mariadb_running; then
        _sb_log "mariadb already running on 127.0.0.1:$SB_MYSQL_PORT"
        return 0
    fi
    if [[ ${_SB_MYSQL_OWNED:-} != 1 && -n ${SWITCHBOARD_TEST_MYSQL:-} ]]; then
        _sb_log "SWITCHBOARD_TEST_MYSQL already set; not starting mariadb"
        return 0
    fi
    if [[ ${_SB_MYSQL_OWNED:-} == 1 ]]; then
        _sb_log "mariadb started earlier is not running any more; starting a new one"
        _sb_stop_mariadb
    fi

    local bin installdb dir port t0 ver
    bin=$(_sb_find_prog mariadbd mysqld) || {
        _sb_install_mariadb || return 1
        bin=$(_sb_find_prog mariadbd mysqld) || { _sb_err "mariadbd still missing after install"; return 1; }
    }
    installdb=$(_sb_find_prog mariadb-install-db mysql_install_db) || {
        _sb_err "mariadb-install-db not found"
        return 1
    }
    _sb_mysql_tools || return 1

    t0=$(_sb_now)
    _sb_make_base_dir || return 1
    _sb_sweep_stale
    dir=$(mktemp -d "$(_sb_base_dir)/mariadb-XXXXXXXX") || { _sb_err "mktemp failed"; return 1; }
    echo $$ >"$dir/.sb-owner"
    mkdir -p "$dir/data" "$dir/tmp"
    ver=$("$bin" --version 2>/dev/null | sed -n 's/.*Ver \([^ ]*\).*/\1/p')
    _sb_log "mariadb-install-db in $dir/data (MariaDB ${ver:-?})"
    # --auth-root-authentication-method=normal: root@localhost gets a plain
    # (empty) password instead of unix_socket auth, so any OS user can admin it
    # over the private socket.
    if ! "$installdb" --no-defaults --datadir="$dir/data" --user=root \
        --auth-root-authentication-method=normal --skip-test-db \
        >"$dir/install-db.log" 2>&1; then
        _sb_err "mariadb-install-db failed"
        _sb_log_tail "$dir/install-db.log"
        rm -rf -- "$dir"
        return 1
    fi

    port=$(_sb_free_port) || { rm -rf -- "$dir"; return 1; }
    export SB_MYSQL_BIN=$bin SB_MYSQL_DIR=$dir SB_MYSQL_DATA=$dir/data SB_MYSQL_PORT=$port \
        SB_MYSQL_SOCKET=$dir/mysql.sock SB_MYSQL_LOG=$dir/mariadb.log
    _SB_MYSQL_OWNED=1

    _sb_log "starting mariadb on 127.0.0.1:$port"
    _sb_mariadb_launch
    if ! _sb_mariadb_wait_ready; then
        _sb_stop_mariadb
        return 1
    fi

    # Test user for every way in (TCP from 127.0.0.1 -- with skip-name-resolve
    # the host is the address, not 'localhost' -- the socket, and '%').  ALL on
    # *.* includes PROCESS (see every connection in the processlist) and
    # SUPER/CONNECTION ADMIN (KILL other connections).  Anonymous users are
    # dropped: ''@localhost would otherwise shadow 'switchboard'@'%'.
    local sql
    sql="
CREATE DATABASE IF NOT EXISTS \`$SB_TEST_DATABASE\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$SB_TEST_USER'@'127.0.0.1' IDENTIFIED BY '$SB_TEST_PASSWORD';
CREATE USER IF NOT EXISTS '$SB_TEST_USER'@'localhost' IDENTIFIED BY '$SB_TEST_PASSWORD';
CREATE USER IF NOT EXISTS '$SB_TEST_USER'@'%' IDENTIFIED BY '$SB_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$SB_TEST_USER'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$SB_TEST_USER'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$SB_TEST_USER'@'%' WITH GRANT OPTION;
"
    local anon
    anon=$(_sb_mysql_root -N -B -e "SELECT CONCAT('DROP USER ''''@''', Host, ''';') FROM mysql.user WHERE User = ''" 2>"$dir/setup.log") || anon=
    sql+=$anon$'\nFLUSH PRIVILEGES;\n'
    if ! _sb_mysql_root -e "$sql" >/dev/null 2>>"$dir/setup.log"; then
        _sb_err "creating database/user in mariadb failed:"
        sed 's/^/[servers]   /' "$dir/setup.log" >&2
        _sb_stop_mariadb
        return 1
    fi
    # Prove the password works over TCP, as the tests will connect.
    if ! "$_SB_MYSQL_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -u"$SB_TEST_USER" \
        -p"$SB_TEST_PASSWORD" -e 'SELECT 1' "$SB_TEST_DATABASE" >/dev/null 2>>"$dir/setup.log"; then
        _sb_err "login as $SB_TEST_USER over TCP failed:"
        sed 's/^/[servers]   /' "$dir/setup.log" >&2
        _sb_stop_mariadb
        return 1
    fi

    export SWITCHBOARD_TEST_MYSQL="mysql://$SB_TEST_USER:$SB_TEST_PASSWORD@127.0.0.1:$port/$SB_TEST_DATABASE"
    _sb_log "mariadb ready on 127.0.0.1:$port in $(_sb_elapsed "$t0")s (data $SB_MYSQL_DATA)"
}

sb_restart_mariadb() {
    if [[ -z ${SB_MYSQL_DATA:-} || -z ${SB_MYSQL_PORT:-} || -z ${SB_MYSQL_SOCKET:-} ]]; then
        _sb_err "sb_restart_mariadb: SB_MYSQL_DATA/PORT/SOCKET not set (was sb_start_mariadb run?)"
        return 1
    fi
    local dir t0
    t0=$(_sb_now)
    dir=$(dirname "$SB_MYSQL_DATA")
    : "${SB_MYSQL_LOG:=$dir/mariadb.log}"
    if [[ -z ${SB_MYSQL_BIN:-} ]]; then
        SB_MYSQL_BIN=$(_sb_find_prog mariadbd mysqld) || { _sb_err "mariadbd not found"; return 1; }
    fi
    _sb_mysql_tools || return 1
    _sb_log "restarting mariadb on 127.0.0.1:$SB_MYSQL_PORT"
    _sb_mariadb_shutdown "$dir" "$SB_MYSQL_SOCKET"
    if _sb_mariadb_running; then
        _sb_err "old mariadbd would not stop"
        return 1
    fi
    _sb_mariadb_launch
    _sb_mariadb_wait_ready || {
        _sb_mariadb_shutdown "$dir" "$SB_MYSQL_SOCKET"
        return 1
    }
    _sb_log "mariadb back on 127.0.0.1:$SB_MYSQL_PORT in $(_sb_elapsed "$t0")s"
}

_sb_stop_mariadb() {
    [[ ${_SB_MYSQL_OWNED:-} == 1 ]] || return 0
    if [[ -n ${SB_MYSQL_DIR:-} && -d ${SB_MYSQL_DIR:-} ]]; then
        _sb_log "stopping mariadb on 127.0.0.1:${SB_MYSQL_PORT:-?}"
        _sb_mysql_tools 2>/dev/null || true
        _sb_mariadb_shutdown "$SB_MYSQL_DIR" "$SB_MYSQL_SOCKET"
        rm -rf -- "$SB_MYSQL_DIR"
    fi
    unset SWITCHBOARD_TEST_MYSQL SB_MYSQL_BIN SB_MYSQL_DIR SB_MYSQL_DATA SB_MYSQL_PORT \
        SB_MYSQL_SOCKET SB_MYSQL_LOG _SB_MYSQL_OWNED _SB_MYSQL_LAUNCH_PID
    return 0
}

# --- both -----------------------------------------------------------------------

# Stop everything this shell started and remove its temp dirs.  Safe to call
# twice or when nothing was started; always returns 0 (meant for an EXIT trap).
sb_stop_servers() {
    _sb_stop_mariadb || true
    _sb_stop_postgres || true
    rmdir "$(_sb_base_dir)" 2>/dev/null || true
    return 0
}
