#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and the demo, run by a non-root OS user (initdb
# refuses root). Usage: build/cluster.sh start|stop|env
#   PGML_CLUSTER_DIR (default /tmp/pgml-cluster), PGML_PORT (default 55432), PG_CONFIG.
set -euo pipefail

dir=${PGML_CLUSTER_DIR:-/tmp/pgml-cluster}
port=${PGML_PORT:-55432}
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
owner=postgres

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}

case "${1:-}" in
start)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	[ "$(id -u)" -ne 0 ] || chown "$owner": "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log"
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port -k $dir -c listen_addresses='' -c fsync=off" start >/dev/null
	echo "cluster: started on socket $dir port $port (log $dir/server.log)"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
		echo "cluster: stopped"
	fi
	;;
env)
	echo "export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres"
	;;
*)
	echo "usage: $0 start|stop|env" >&2
	exit 2
	;;
esac
