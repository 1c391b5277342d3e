# shellcheck shell=bash
#
# scripts/lib/replicas.sh -- replicas for the Switchboard replica tests, on
# 127.0.0.1: a PostgreSQL hot standby of the server sb_start_postgres started,
# and a MariaDB primary with a GTID replica of its own.
#
# Usage (after sourcing scripts/lib/servers.sh; sourcing has no side effects):
#
#     source scripts/lib/servers.sh
#     source scripts/lib/replicas.sh
#     trap 'sb_stop_replicas; sb_stop_servers' EXIT
#     sb_start_postgres
#     sb_start_postgres_standby
#     sb_start_mariadb_pair
#
# Functions
#   sb_start_postgres_standby  pg_basebackup -R of the PostgreSQL started by
#                              sb_start_postgres, streaming, replay delayed by
#                              recovery_min_apply_delay = 300ms
#   sb_stop_standby_process / sb_start_standby_process
#                              stop and start that standby (same port and data),
#                              for tests of a replica that goes away and returns
#   sb_start_mariadb_pair      a MariaDB primary (binary log, server-id 1) and a
#                              replica (server-id 2, read_only=1) following it
#                              with CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos
#   sb_stop_replicas           stop everything these functions started
#
# Exported
#   SWITCHBOARD_TEST_POSTGRES_STANDBY  postgresql://...@127.0.0.1:PORT/switchboard_test (the standby)
#   SB_PG_STANDBY_DIR SB_PG_STANDBY_DATA SB_PG_STANDBY_PORT SB_PG_STANDBY_LOG
#   SWITCHBOARD_TEST_MYSQL_PRIMARY     mysql://...@127.0.0.1:PORT/switchboard_test (the pair's primary)
#   SWITCHBOARD_TEST_MYSQL_REPLICA     mysql://...@127.0.0.1:PORT/switchboard_test (its replica)
#   SB_MARIADB_PAIR_DIR
#
# The standby needs the primary's SB_PG_* variables (sb_start_postgres in this
# shell, or exported to it); without them it starts nothing and says why.

_sb_replica_pair_launch() {
    # $1 dir, $2 port, $3 server id, then extra mariadbd options
    local dir=$1 port=$2 id=$3
    shift 3
    setsid --wait "$SB_MARIADB_PAIR_BIN" --no-defaults \
        --datadir="$dir/data" --socket="$dir/mysql.sock" --port="$port" \
        --bind-address=127.0.0.1 --pid-file="$dir/mariadb.pid" --log-error="$dir/mariadb.log" \
        --tmpdir="$dir/tmp" --user=root --skip-name-resolve --max-connections=200 \
        --innodb-flush-log-at-trx-commit=2 --innodb-buffer-pool-size=32M \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
        --server-id="$id" "$@" </dev/null >>"$dir/mariadb.log" 2>&1 &
}

_sb_replica_pair_wait() {
    local dir=$1 deadline=$((SECONDS + ${SB_MYSQL_READY_TIMEOUT:-60}))
    while ((SECONDS < deadline)); do
        if "$_SB_MYSQL_ADMIN" --no-defaults --protocol=socket --socket="$dir/mysql.sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    _sb_err "mariadb in $dir not ready"
    _sb_log_tail "$dir/mariadb.log"
    return 1
}

_sb_replica_pair_sql() {
    local dir=$1
    shift
    "$_SB_MYSQL_CLIENT" --no-defaults --protocol=socket --socket="$dir/mysql.sock" -uroot "$@"
}

sb_start_mariadb_pair() {
    if [[ -n ${SWITCHBOARD_TEST_MYSQL_REPLICA:-} ]]; then
        _sb_log "SWITCHBOARD_TEST_MYSQL_REPLICA already set; not starting a MariaDB pair"
        return 0
    fi
    local bin installdb base t0 side port
    bin=$(_sb_find_prog mariadbd mysqld) || {
        _sb_install_mariadb || return 1
        bin=$(_sb_find_prog mariadbd mysqld) || { _sb_err "mariadbd still missing after install"; return 1; }
    }
    installdb=$(_sb_find_prog mariadb-install-db mysql_install_db) || { _sb_err "mariadb-install-db not found"; return 1; }
    _sb_mysql_tools || return 1
    t0=$(_sb_now)
    _sb_make_base_dir || return 1
    base=$(mktemp -d "$(_sb_base_dir)/mariadb-pair-XXXXXXXX") || { _sb_err "mktemp failed"; return 1; }
    echo $$ >"$base/.sb-owner"
    export SB_MARIADB_PAIR_DIR=$base SB_MARIADB_PAIR_BIN=$bin
    for side in primary replica; do
        mkdir -p "$base/$side/data" "$base/$side/tmp"
        if ! "$installdb" --no-defaults --datadir="$base/$side/data" --user=root \
            --auth-root-authentication-method=normal --skip-test-db >"$base/$side/install-db.log" 2>&1; then
            _sb_err "mariadb-install-db ($side) failed"
            _sb_log_tail "$base/$side/install-db.log"
            sb_stop_mariadb_pair
            return 1
        fi
        port=$(_sb_free_port) || { sb_stop_mariadb_pair; return 1; }
        echo "$port" >"$base/$side/port"
    done
    local primary_port replica_port
    primary_port=$(cat "$base/primary/port")
    replica_port=$(cat "$base/replica/port")

    _sb_log "starting MariaDB pair: primary 127.0.0.1:$primary_port, replica 127.0.0.1:$replica_port"
    _sb_replica_pair_launch "$base/primary" "$primary_port" 1 --log-bin="$base/primary/binlog" --binlog-format=ROW
    _sb_replica_pair_launch "$base/replica" "$replica_port" 2 --read-only=1 --relay-log="$base/replica/relay"
    if ! { _sb_replica_pair_wait "$base/primary" && _sb_replica_pair_wait "$base/replica"; }; then
        sb_stop_mariadb_pair
        return 1
    fi

    # Replication first, so that the replica receives the database and users below from the binary log.
    if ! _sb_replica_pair_sql "$base/primary" -e "
CREATE USER 'sb_repl'@'127.0.0.1' IDENTIFIED BY '$SB_TEST_PASSWORD';
GRANT REPLICATION SLAVE ON *.* TO 'sb_repl'@'127.0.0.1';" 2>"$base/setup.log" ||
        ! _sb_replica_pair_sql "$base/replica" -e "
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='sb_repl',
  MASTER_PASSWORD='$SB_TEST_PASSWORD', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;" 2>>"$base/setup.log"; then
        _sb_err "setting up replication failed:"
        sed 's/^/[servers]   /' "$base/setup.log" >&2
        sb_stop_mariadb_pair
        return 1
    fi

    if ! _sb_replica_pair_sql "$base/primary" -e "
CREATE DATABASE IF NOT EXISTS \`$SB_TEST_DATABASE\` CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$SB_TEST_USER'@'127.0.0.1' IDENTIFIED BY '$SB_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$SB_TEST_USER'@'127.0.0.1';
FLUSH PRIVILEGES;" 2>>"$base/setup.log"; then
        _sb_err "creating database/user on the pair's primary failed:"
        sed 's/^/[servers]   /' "$base/setup.log" >&2
        sb_stop_mariadb_pair
        return 1
    fi

    local deadline=$((SECONDS + 30))
    until "$_SB_MYSQL_CLIENT" --no-defaults --protocol=tcp -h127.0.0.1 -P"$replica_port" -u"$SB_TEST_USER" \
        -p"$SB_TEST_PASSWORD" -e 'SELECT 1' "$SB_TEST_DATABASE" >/dev/null 2>&1; do
        if ((SECONDS > deadline)); then
            _sb_err "the replica never received the test user and database:"
            _sb_replica_pair_sql "$base/replica" -e 'SHOW SLAVE STATUS\G' 2>&1 | sed 's/^/[servers]   /' >&2
            sb_stop_mariadb_pair
            return 1
        fi
        sleep 0.2
    done

    export SWITCHBOARD_TEST_MYSQL_PRIMARY="mysql://$SB_TEST_USER:$SB_TEST_PASSWORD@127.0.0.1:$primary_port/$SB_TEST_DATABASE"
    export SWITCHBOARD_TEST_MYSQL_REPLICA="mysql://$SB_TEST_USER:$SB_TEST_PASSWORD@127.0.0.1:$replica_port/$SB_TEST_DATABASE"
    _SB_MARIADB_PAIR_OWNED=1
    _sb_log "MariaDB pair ready in $(_sb_elapsed "$t0")s"
}

sb_stop_mariadb_pair() {
    [[ -n ${SB_MARIADB_PAIR_DIR:-} && -d ${SB_MARIADB_PAIR_DIR:-} ]] || return 0
    local side pid i
    _sb_mysql_tools 2>/dev/null || true
    _sb_log "stopping MariaDB pair"
    for side in replica primary; do
        [[ -S $SB_MARIADB_PAIR_DIR/$side/mysql.sock ]] && "$_SB_MYSQL_ADMIN" --no-defaults --protocol=socket \
            --socket="$SB_MARIADB_PAIR_DIR/$side/mysql.sock" -uroot --connect-timeout=2 shutdown >/dev/null 2>&1
        pid=$(cat "$SB_MARIADB_PAIR_DIR/$side/mariadb.pid" 2>/dev/null || true)
        for ((i = 0; i < 100; i++)); do
            _sb_pid_alive "$pid" || break
            sleep 0.1
        done
        _sb_pid_alive "$pid" && kill -KILL "$pid" 2>/dev/null
    done
    rm -rf -- "$SB_MARIADB_PAIR_DIR"
    unset SB_MARIADB_PAIR_DIR SB_MARIADB_PAIR_BIN SWITCHBOARD_TEST_MYSQL_PRIMARY SWITCHBOARD_TEST_MYSQL_REPLICA _SB_MARIADB_PAIR_OWNED
    return 0
}

sb_start_postgres_standby() {
    if [[ -n ${SWITCHBOARD_TEST_POSTGRES_STANDBY:-} ]]; then
        _sb_log "SWITCHBOARD_TEST_POSTGRES_STANDBY already set; not starting a standby"
        return 0
    fi
    if [[ -z ${SB_PG_PORT:-} || -z ${SB_PG_BIN:-} ]]; then
        _sb_log "no PostgreSQL started by sb_start_postgres (SB_PG_PORT/SB_PG_BIN unset); not starting a standby"
        return 0
    fi
    local t0 dir port
    t0=$(_sb_now)
    _sb_make_base_dir || return 1
    dir=$(mktemp -d "$(_sb_base_dir)/pg-standby-XXXXXXXX") || { _sb_err "mktemp failed"; return 1; }
    echo $$ >"$dir/.sb-owner"
    mkdir -p "$dir/data" "$dir/sock"
    chown -R postgres: "$dir" && chmod 700 "$dir/data"
    port=$(_sb_free_port) || { rm -rf -- "$dir"; return 1; }

    _sb_log "pg_basebackup -R from 127.0.0.1:$SB_PG_PORT into $dir/data"
    if ! _sb_as_pg env PGPASSWORD="$SB_TEST_PASSWORD" "$SB_PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$SB_PG_PORT" \
        -U "$SB_TEST_USER" -D "$dir/data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1; then
        _sb_err "pg_basebackup failed (the primary needs wal_level=replica and a 'host replication' line in pg_hba.conf)"
        _sb_log_tail "$dir/basebackup.log"
        rm -rf -- "$dir"
        return 1
    fi

    # Appended settings win over the primary's copied ones.
    cat >>"$dir/data/postgresql.conf" <<CONF

port = $port
unix_socket_directories = '$dir/sock'
hot_standby = on
hot_standby_feedback = on
recovery_min_apply_delay = '300ms'
CONF
    chown postgres: "$dir/data/postgresql.conf"
    export SB_PG_STANDBY_DIR=$dir SB_PG_STANDBY_DATA=$dir/data SB_PG_STANDBY_PORT=$port SB_PG_STANDBY_LOG=$dir/postgres.log
    if ! sb_start_standby_process; then
        sb_stop_postgres_standby
        return 1
    fi
    export SWITCHBOARD_TEST_POSTGRES_STANDBY="postgresql://$SB_TEST_USER:$SB_TEST_PASSWORD@127.0.0.1:$port/$SB_TEST_DATABASE"
    _SB_PG_STANDBY_OWNED=1
    _sb_log "standby ready on 127.0.0.1:$port in $(_sb_elapsed "$t0")s (replay delayed 300ms)"
}

sb_start_standby_process() {
    local deadline
    if ! _sb_as_pg "$SB_PG_BIN/pg_ctl" -D "$SB_PG_STANDBY_DATA" -l "$SB_PG_STANDBY_LOG" -w -t 30 start >/dev/null 2>&1; then
        _sb_err "starting the standby failed"
        _sb_log_tail "$SB_PG_STANDBY_LOG"
        return 1
    fi
    deadline=$((SECONDS + 30))
    until "$SB_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SB_PG_STANDBY_PORT" -t 2 >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { _sb_err "standby not ready"; _sb_log_tail "$SB_PG_STANDBY_LOG"; return 1; }
        sleep 0.2
    done
}

sb_stop_standby_process() {
    _sb_as_pg "$SB_PG_BIN/pg_ctl" -D "$SB_PG_STANDBY_DATA" -m fast -w -t 30 stop >/dev/null 2>&1
}

sb_stop_postgres_standby() {
    [[ -n ${SB_PG_STANDBY_DIR:-} && -d ${SB_PG_STANDBY_DIR:-} ]] || return 0
    _sb_log "stopping the standby on 127.0.0.1:${SB_PG_STANDBY_PORT:-?}"
    _sb_pg_destroy "$SB_PG_STANDBY_DIR" "$SB_PG_BIN"
    unset SWITCHBOARD_TEST_POSTGRES_STANDBY SB_PG_STANDBY_DIR SB_PG_STANDBY_DATA SB_PG_STANDBY_PORT SB_PG_STANDBY_LOG _SB_PG_STANDBY_OWNED
    return 0
}

sb_stop_replicas() {
    sb_stop_mariadb_pair || true
    sb_stop_postgres_standby || true
    return 0
}
