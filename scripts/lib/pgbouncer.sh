# shellcheck shell=bash
#
# scripts/lib/pgbouncer.sh -- a throwaway PgBouncer in transaction pooling
# mode on 127.0.0.1, in front of the test PostgreSQL, for the tests that prove
# Switchboard works behind it (pooler: pgbouncer).
#
# Usage (from a bash script, after scripts/lib/servers.sh; sourcing has no
# side effects):
#
#     source scripts/lib/servers.sh
#     source scripts/lib/pgbouncer.sh
#     trap 'sb_stop_pgbouncer; sb_stop_servers' EXIT
#     sb_start_postgres
#     sb_start_pgbouncer
#
# Functions
#   sb_start_pgbouncer   (install pgbouncer if needed,) start it in front of
#                        SWITCHBOARD_TEST_POSTGRES, export its URL
#   sb_stop_pgbouncer    stop the PgBouncer this shell started, remove its dir
#
# Exported after sb_start_pgbouncer
#   SWITCHBOARD_TEST_PGBOUNCER  the PostgreSQL URL with PgBouncer's port
#   SB_PGB_PORT  TCP port      SB_PGB_DIR  temp dir (config, log, pid)
#   SB_PGB_LOG   its log file
#
# PgBouncer keeps its defaults except what a test fixture must set: pool_mode
# = transaction, no ignore_startup_parameters (a client that sends a startup
# parameter PgBouncer does not know is refused, as in a stock install), and
# SCRAM authentication with the test user's password. It runs as the postgres
# OS user (PgBouncer refuses root). If SWITCHBOARD_TEST_PGBOUNCER is already set
# (one someone else runs), it starts nothing.

_sb_pgb_find() { _sb_find_prog pgbouncer; }

# apt-get install pgbouncer without starting the system service (as MariaDB is
# installed by scripts/lib/servers.sh).
_sb_install_pgbouncer() {
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0 t0 log
    t0=$(_sb_now)
    _sb_log "pgbouncer not found; installing it with apt-get"
    ((EUID == 0)) || { _sb_err "installing pgbouncer needs root (apt-get)"; return 1; }
    # policy-rc.d exiting 101 keeps the package's postinst from starting a
    # system PgBouncer on :6432.
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\n# temporary, from scripts/lib/pgbouncer.sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local -a apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y
        -o DPkg::Lock::Timeout=300
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    log=$(mktemp "${TMPDIR:-/tmp}/sb-apt-XXXXXX.log")
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        _sb_log "apt lists are empty; apt-get update"
        "${apt[@]}" update >>"$log" 2>&1 || true # the install below reports
    fi
    if ! "${apt[@]}" install --no-install-recommends pgbouncer >>"$log" 2>&1; then
        _sb_log "apt-get install failed; apt-get update and retry"
        if ! { "${apt[@]}" update >>"$log" 2>&1 &&
            "${apt[@]}" install --no-install-recommends pgbouncer >>"$log" 2>&1; }; then
            rc=1
        fi
    fi
    if ((made_policy)); then rm -f -- "$policy"; fi
    if ((rc != 0)); then
        _sb_err "apt-get install pgbouncer failed (full log: $log)"
        _sb_log_tail "$log"
        return 1
    fi
    rm -f -- "$log"
    _sb_log "pgbouncer installed in $(_sb_elapsed "$t0")s"
}

# Split SWITCHBOARD_TEST_POSTGRES (postgresql://user:password@host:port/db)
# into _SB_PGB_UP_* variables.
_sb_pgb_upstream() {
    local url=${SWITCHBOARD_TEST_POSTGRES:-} re='^postgres(ql)?://([^:@/]+):([^@]*)@([^:/]+):([0-9]+)/([^?]+)'
    if [[ ! $url =~ $re ]]; then
        _sb_err "SWITCHBOARD_TEST_POSTGRES is not postgresql://user:password@host:port/database (run sb_start_postgres first)"
        return 1
    fi
    _SB_PGB_UP_USER=${BASH_REMATCH[2]} _SB_PGB_UP_PASSWORD=${BASH_REMATCH[3]} _SB_PGB_UP_HOST=${BASH_REMATCH[4]}
    _SB_PGB_UP_PORT=${BASH_REMATCH[5]} _SB_PGB_UP_DATABASE=${BASH_REMATCH[6]}
}

# Remove the dirs of earlier runs killed before their trap ran (creating shell
# and pgbouncer both gone), as _sb_sweep_stale does for the servers.
_sb_pgb_sweep_stale() {
    local base d owner pid
    base=$(_sb_base_dir)
    for d in "$base"/pgbouncer-*; do
        [[ -f $d/.sb-owner ]] || continue
        owner=$(cat "$d/.sb-owner" 2>/dev/null || true)
        _sb_pid_alive "$owner" && continue
        pid=$(cat "$d/pgbouncer.pid" 2>/dev/null || true)
        _sb_pid_alive "$pid" && continue
        _sb_log "removing stale $d"
        rm -rf -- "$d"
    done
    return 0
}

_sb_pgb_running() {
    local pid
    [[ -n ${SB_PGB_DIR:-} ]] || return 1
    pid=$(cat "$SB_PGB_DIR/pgbouncer.pid" 2>/dev/null || true)
    _sb_pid_alive "$pid"
}

sb_start_pgbouncer() {
    if [[ ${_SB_PGB_OWNED:-} == 1 ]] && _sb_pgb_running; then
        _sb_log "pgbouncer already running on 127.0.0.1:$SB_PGB_PORT"
        return 0
    fi
    if [[ ${_SB_PGB_OWNED:-} != 1 && -n ${SWITCHBOARD_TEST_PGBOUNCER:-} ]]; then
        _sb_log "SWITCHBOARD_TEST_PGBOUNCER already set; not starting pgbouncer"
        return 0
    fi
    if [[ ${_SB_PGB_OWNED:-} == 1 ]]; then
        _sb_log "pgbouncer started earlier is not running any more; starting a new one"
        sb_stop_pgbouncer
    fi
    _sb_pgb_upstream || return 1

    local bin dir port t0 i
    bin=$(_sb_pgb_find) || {
        _sb_install_pgbouncer || return 1
        bin=$(_sb_pgb_find) || { _sb_err "pgbouncer still missing after install"; return 1; }
    }
    ((EUID == 0)) || { _sb_err "sb_start_pgbouncer must run as root (it runs pgbouncer as 'postgres')"; return 1; }
    id postgres >/dev/null 2>&1 || { _sb_err "no 'postgres' OS user to run pgbouncer as"; return 1; }

    t0=$(_sb_now)
    _sb_make_base_dir || return 1
    _sb_pgb_sweep_stale
    dir=$(mktemp -d "$(_sb_base_dir)/pgbouncer-XXXXXXXX") || { _sb_err "mktemp failed"; return 1; }
    echo $$ >"$dir/.sb-owner"
    port=$(_sb_free_port) || { rm -rf -- "$dir"; return 1; }

    # The password is in plain text so that PgBouncer can answer SCRAM on both
    # sides; the file is readable by postgres only.
    (umask 077 && printf '"%s" "%s"\n' "$_SB_PGB_UP_USER" "$_SB_PGB_UP_PASSWORD" >"$dir/userlist.txt")
    cat >"$dir/pgbouncer.ini" <<EOF
;; added by scripts/lib/pgbouncer.sh (throwaway test pooler)
[databases]
* = host=$_SB_PGB_UP_HOST port=$_SB_PGB_UP_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 40
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
    if ! chown -R postgres: "$dir"; then
        _sb_err "cannot chown $dir to postgres"
        rm -rf -- "$dir"
        return 1
    fi

    export SB_PGB_DIR=$dir SB_PGB_PORT=$port SB_PGB_LOG=$dir/pgbouncer.log
    _SB_PGB_OWNED=1
    _sb_log "starting $("$bin" --version 2>/dev/null | head -n 1) on 127.0.0.1:$port (pool_mode = transaction) in front of $_SB_PGB_UP_HOST:$_SB_PGB_UP_PORT"
    # -d: pgbouncer daemonizes after it has bound its port, so a failure to
    # start is reported here.
    if ! runuser -u postgres -- "$bin" -d "$dir/pgbouncer.ini" >"$dir/start.log" 2>&1; then
        _sb_err "pgbouncer failed to start"
        _sb_log_tail "$dir/start.log"
        _sb_log_tail "$SB_PGB_LOG"
        sb_stop_pgbouncer
        return 1
    fi
    for ((i = 0; i < 100; i++)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
        sleep 0.1
    done
    if ! _sb_pgb_running; then
        _sb_err "pgbouncer is not running after start"
        _sb_log_tail "$SB_PGB_LOG"
        sb_stop_pgbouncer
        return 1
    fi

    export SWITCHBOARD_TEST_PGBOUNCER="postgresql://$_SB_PGB_UP_USER:$_SB_PGB_UP_PASSWORD@127.0.0.1:$port/$_SB_PGB_UP_DATABASE"
    _sb_log "pgbouncer ready on 127.0.0.1:$port in $(_sb_elapsed "$t0")s"
}

# Stop and remove the PgBouncer this shell started; forget its variables.
# Never fails (meant for an EXIT trap); call it before sb_stop_servers.
sb_stop_pgbouncer() {
    [[ ${_SB_PGB_OWNED:-} == 1 ]] || return 0
    local pid i
    if [[ -n ${SB_PGB_DIR:-} && -d ${SB_PGB_DIR:-} ]]; then
        _sb_log "stopping pgbouncer on 127.0.0.1:${SB_PGB_PORT:-?}"
        pid=$(cat "$SB_PGB_DIR/pgbouncer.pid" 2>/dev/null || true)
        if _sb_pid_alive "$pid"; then
            # SIGTERM: immediate shutdown (SIGINT would wait for clients).
            kill -TERM "$pid" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do
                _sb_pid_alive "$pid" || break
                sleep 0.1
            done
            if _sb_pid_alive "$pid"; then
                _sb_log "pgbouncer $pid did not stop in 10s; killing it"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        rm -rf -- "$SB_PGB_DIR"
    fi
    unset SWITCHBOARD_TEST_PGBOUNCER SB_PGB_DIR SB_PGB_PORT SB_PGB_LOG _SB_PGB_OWNED
    return 0
}
