#!/usr/bin/env bash
# The roles of a pgml node, for docker/compose.yaml and for build/scale-out.sh (which runs the
# same steps on loopback, so CI runs them):
#   primary        init-primary on first start, then postgres
#   standby        init-standby on first start, then postgres as a hot standby
#   pgpool         pgpool-II with the configuration pgpool-conf prints
#   dashboard      pgml-dashboard on port 8080 over PRIMARY_HOST (read-only sessions)
#   init-primary   initdb, replication settings, CREATE EXTENSION pgml
#   init-standby   pg_basebackup -R from PRIMARY_HOST (it brings the model signing key,
#                  $PGDATA/pgml_model_hmac.key, which a standby needs to load models)
#   pgpool-conf    pgpool.conf: streaming replication, pgml's predicting functions balanced to
#                  the standbys (the primary's weight is 0), every other function to the primary
# Settings: PGDATA; PGML_PORT (5432); PRIMARY_HOST and STANDBY_HOSTS (space separated; a path
# is a socket directory), STANDBY_PORTS (their ports when they differ from PGML_PORT); POSTGRES_PASSWORD (scram-sha-256 over the network; empty: trust, for
# loopback tests only); PGPOOL_PORT (9999), PGPOOL_PCP_PORT (9898), PGPOOL_DIR (/tmp/pgpool),
# PGPOOL_CHILDREN (32); STANDBY_NAME (the host name).
set -euo pipefail
role=${1:-primary}
port=${PGML_PORT:-5432}
password=${POSTGRES_PASSWORD:-}
pgpool_dir=${PGPOOL_DIR:-/tmp/pgpool}

init_primary() {
	local auth=(--auth=trust)
	if [ -n "$password" ]; then
		local pwfile
		pwfile=$(mktemp)
		printf '%s\n' "$password" >"$pwfile"
		auth=(--pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256)
	fi
	initdb -D "$PGDATA" -U postgres "${auth[@]}" --no-sync -E UTF8 --locale=C >"$PGDATA.initdb.log"
	[ -z "${pwfile:-}" ] || rm -f "$pwfile"
	cat >>"$PGDATA/postgresql.conf" <<CONF
port = $port
wal_level = replica
max_wal_senders = 10
hot_standby = on
hot_standby_feedback = on
CONF
	if [ -n "$password" ]; then
		echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
		printf 'host replication all all scram-sha-256\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
	fi
	local sockets
	sockets=$(mktemp -d)
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k $sockets" -w start >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -h "$sockets" -p "$port" -U postgres -d postgres -c 'CREATE EXTENSION pgml'
	pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	rmdir "$sockets"
}

init_standby() {
	: "${PRIMARY_HOST:?set PRIMARY_HOST}"
	export PGPASSWORD=$password
	until pg_isready -q -h "$PRIMARY_HOST" -p "$port"; do sleep 1; done
	pg_basebackup -h "$PRIMARY_HOST" -p "$port" -U postgres -D "$PGDATA" -R -X stream --no-sync
	local conninfo="host=$PRIMARY_HOST port=$port user=postgres application_name=${STANDBY_NAME:-$(hostname)}"
	[ -z "$password" ] || conninfo+=" password=$password"
	echo "primary_conninfo = '$conninfo'" >>"$PGDATA/postgresql.auto.conf"
	chmod 700 "$PGDATA"
}

pgpool_conf() {
	: "${PRIMARY_HOST:?set PRIMARY_HOST}" "${STANDBY_HOSTS:?set STANDBY_HOSTS}"
	local listen="'*'" i=1 host check
	[ -n "$password" ] || listen="''"
	cat <<CONF
backend_clustering_mode = 'streaming_replication'
listen_addresses = $listen
port = ${PGPOOL_PORT:-9999}
socket_dir = '$pgpool_dir'
pcp_listen_addresses = ''
pcp_port = ${PGPOOL_PCP_PORT:-9898}
pcp_socket_dir = '$pgpool_dir'
pid_file_name = '$pgpool_dir/pgpool.pid'
logdir = '$pgpool_dir'
num_init_children = ${PGPOOL_CHILDREN:-32}
max_pool = 1
backend_hostname0 = '$PRIMARY_HOST'
backend_port0 = $port
backend_weight0 = 0
backend_flag0 = 'ALWAYS_PRIMARY'
backend_application_name0 = 'primary'
CONF
	local ports=(${STANDBY_PORTS:-})
	for host in $STANDBY_HOSTS; do
		cat <<CONF
backend_hostname$i = '$host'
backend_port$i = ${ports[i - 1]:-$port}
backend_weight$i = 1
backend_flag$i = 'ALLOW_TO_FAILOVER'
backend_application_name$i = 'standby$i'
CONF
		i=$((i + 1))
	done
	cat <<CONF
enable_pool_hba = off
pool_passwd = 'pool_passwd'
allow_clear_text_frontend_auth = $([ -n "$password" ] && echo on || echo off)
load_balance_mode = on
statement_level_load_balance = on
read_only_function_list = 'predict,predict_proba,predict_joint,predict_batch,decompose,pgml.predict,pgml.predict_proba,pgml.predict_joint,pgml.predict_batch,pgml.decompose,md5,string_agg,pg_last_wal_replay_lsn'
sr_check_period = 1
health_check_period = 1
health_check_timeout = 5
health_check_max_retries = 0
failover_on_backend_error = on
auto_failback = on
auto_failback_interval = 1
search_primary_node_timeout = 10
CONF
	for check in sr_check health_check; do
		echo "${check}_user = 'postgres'"
		echo "${check}_password = '$password'"
	done
}

case "$role" in
primary)
	[ -s "$PGDATA/PG_VERSION" ] || init_primary
	exec postgres -D "$PGDATA"
	;;
standby)
	[ -s "$PGDATA/PG_VERSION" ] || init_standby
	exec postgres -D "$PGDATA"
	;;
pgpool)
	mkdir -p "$pgpool_dir"
	pgpool_conf >"$pgpool_dir/pgpool.conf"
	: >"$pgpool_dir/pcp.conf"
	: >"$pgpool_dir/pool_passwd"
	exec pgpool -n -f "$pgpool_dir/pgpool.conf" -F "$pgpool_dir/pcp.conf"
	;;
dashboard)
	: "${PRIMARY_HOST:?set PRIMARY_HOST}"
	until pg_isready -q -h "$PRIMARY_HOST" -p "$port"; do sleep 1; done
	exec pgml-dashboard -listen 0.0.0.0:8080 \
		-db "host=$PRIMARY_HOST port=$port user=${DASHBOARD_USER:-postgres} password=$password dbname=postgres"
	;;
init-primary) init_primary ;;
init-standby) init_standby ;;
pgpool-conf) pgpool_conf ;;
*)
	echo "usage: $0 primary|standby|pgpool|dashboard|init-primary|init-standby|pgpool-conf" >&2
	exit 2
	;;
esac
