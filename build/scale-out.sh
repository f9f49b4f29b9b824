#!/usr/bin/env bash
# Scale-out on PostgreSQL's own replication (docs/scale-out.md): on loopback, a primary, two hot
# standbys (pg_basebackup -R) and pgpool-II in streaming-replication mode that balances
# pgml.predict* / decompose to the standbys and sends everything else (train, deploy, ...) to the
# primary. It trains and deploys through pgpool, waits for replay and checks that every node
# answers every prediction identically, before and after a deploy and a rollback; measures
# per-row predict throughput with pgbench straight at each node and through pgpool (with the
# share of predicts each standby served); stops a standby in the middle of a run through pgpool
# (clients must keep getting predictions), restarts it and checks that it catches up and serves
# the current deployment. It stops everything it started.
#
#   build/scale-out.sh            the full run (SCALE_SECONDS=20 per measurement)
#   build/scale-out.sh --short    the form build/test.sh runs (3 s per measurement)
# SCALE_DIR (default /tmp/pgml-scale-out), SCALE_PORT (first of 4 ports, default 55600),
# SCALE_CLIENTS (pgbench clients, default 4), PG_CONFIG. Needs pgpool2 (build/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${SCALE_SECONDS:-20}
[ "${1:-}" != "--short" ] || seconds=${SCALE_SECONDS:-3}
dir=${SCALE_DIR:-/tmp/pgml-scale-out}
base_port=${SCALE_PORT:-55600}
clients=${SCALE_CLIENTS:-4}
bindir=$("${PG_CONFIG:-pg_config}" --bindir)
pgpool_bin=${PGPOOL:-$(command -v pgpool || echo /usr/sbin/pgpool)}
owner=postgres
nodes=(primary standby1 standby2)
declare -A port=([primary]=$base_port [standby1]=$((base_port + 1)) [standby2]=$((base_port + 2)) [pgpool]=$((base_port + 3)))
pcp_port=$((base_port + 4))
declare -A host=([primary]=$dir/sockets [standby1]=$dir/sockets [standby2]=$dir/sockets [pgpool]=$dir/pgpool)
project='Scale-out diabetes'
failures=0

as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}
say() { printf 'scale-out: %s\n' "$*"; }
fail() {
	say "FAIL: $*"
	failures=$((failures + 1))
}
# sql NODE STATEMENT: one value, unaligned; NODE is a node name or pgpool.
sql() {
	local node=$1
	shift
	as_owner "$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "${host[$node]}" -p "${port[$node]}" -U postgres -d postgres -c "$*"
}

stop_all() {
	if [ -f "$dir/pgpool/pgpool.pid" ]; then
		as_owner "$pgpool_bin" -f "$dir/pgpool/pgpool.conf" -F "$dir/pgpool/pcp.conf" -m immediate stop >/dev/null 2>&1 || true
	fi
	for node in "${nodes[@]}"; do
		if [ -f "$dir/$node/postmaster.pid" ]; then
			as_owner "$bindir/pg_ctl" -D "$dir/$node" -m immediate -w stop >/dev/null 2>&1 || true
		fi
	done
}
trap stop_all EXIT

start_node() {
	as_owner "$bindir/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w \
		-o "-p ${port[$1]} -k $dir/sockets -c listen_addresses=''" start >/dev/null
}

# wait_for_replay: every running standby has replayed the primary's current WAL position.
wait_for_replay() {
	local lsn node tries
	lsn=$(sql primary "SELECT pg_current_wal_lsn()")
	for node in "$@"; do
		for tries in $(seq 1 300); do
			[ "$(sql "$node" "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && break
			sleep 0.1
		done
		[ "$tries" -lt 300 ] || fail "$node did not replay $lsn within 30 s"
	done
}

# predictions NODE: a digest of the deployed model's prediction of every row, and its model id.
predictions() {
	sql "$1" "SELECT md5(string_agg(pgml.predict('$project', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])::text, ',' ORDER BY age, sex, bmi, bp, s1, s2, s3, s4, s5, s6, target)) FROM pgml.diabetes"
}

# same_everywhere LABEL: every node, and pgpool, answers as the primary does; digest is the
# primary's answer.
same_everywhere() {
	local node got
	digest=$(predictions primary)
	for node in standby1 standby2 pgpool; do
		got=$(predictions "$node")
		[ "$got" = "$digest" ] || fail "$1: $node predicts $got, the primary $digest"
	done
	say "$1: the primary, both standbys and pgpool predict alike ($digest)"
}

# select_counts: pgpool's count of SELECTs each node served (SHOW POOL_NODES).
select_counts() {
	sql pgpool "SHOW POOL_NODES" | awk -F'|' '{ printf "%s ", $9 }'
}

say "setting up in $dir (ports ${port[primary]}-$pcp_port)"
stop_all
trap - EXIT
rm -rf "$dir"
mkdir -p "$dir/sockets" "$dir/pgpool"
[ "$(id -u)" -ne 0 ] || chown -R "$owner": "$dir"
trap stop_all EXIT

# The nodes are set up by docker/entrypoint.sh's steps, as the containers of docker/ are.
node_env=(env PATH="$bindir:$PATH" PGML_PORT="${port[primary]}" PRIMARY_HOST="$dir/sockets"
	STANDBY_HOSTS="$dir/sockets $dir/sockets" STANDBY_PORTS="${port[standby1]} ${port[standby2]}"
	PGPOOL_DIR="$dir/pgpool" PGPOOL_PORT="${port[pgpool]}" PGPOOL_PCP_PORT="$pcp_port"
	PGPOOL_CHILDREN=$((clients + 8)) POSTGRES_PASSWORD=)
as_owner "${node_env[@]}" PGDATA="$dir/primary" docker/entrypoint.sh init-primary
printf 'fsync = off\nmax_connections = 60\n' | as_owner tee -a "$dir/primary/postgresql.conf" >/dev/null
start_node primary
sql primary "SELECT * FROM pgml.load_dataset('diabetes')" >/dev/null
for node in standby1 standby2; do
	as_owner "${node_env[@]}" PGDATA="$dir/$node" STANDBY_NAME=$node docker/entrypoint.sh init-standby
	start_node "$node"
done
as_owner "${node_env[@]}" docker/entrypoint.sh pgpool-conf >"$dir/pgpool/pgpool.conf"
: >"$dir/pgpool/pcp.conf"
: >"$dir/pgpool/pool_passwd"
[ "$(id -u)" -ne 0 ] || chown -R "$owner": "$dir/pgpool"
as_owner "$pgpool_bin" -n -f "$dir/pgpool/pgpool.conf" -F "$dir/pgpool/pcp.conf" >"$dir/pgpool.log" 2>&1 &
for tries in $(seq 1 100); do
	sql pgpool "SELECT 1" >/dev/null 2>&1 && break
	sleep 0.2
done
say "pgpool: $(sql pgpool 'SHOW POOL_NODES' | awk -F'|' '{ printf "node %s %s %s; ", $1, $7, $4 }')"

# Train and deploy through pgpool: they must reach the primary.
sql pgpool "SELECT deployed FROM pgml.train('$project', 'regression', 'pgml.diabetes', 'target', algorithm => 'linear')" >/dev/null
wait_for_replay standby1 standby2
same_everywhere "after training linear"
first=$digest
sql pgpool "SELECT deployed FROM pgml.train('$project', algorithm => 'random_forest', hyperparams => '{\"n_estimators\": 25, \"random_state\": 1}', automatic_deploy => false)" >/dev/null
sql pgpool "SELECT algorithm FROM pgml.deploy('$project', 'most_recent')" >/dev/null
wait_for_replay standby1 standby2
same_everywhere "after deploying random_forest"
second=$digest
[ "$second" != "$first" ] || fail "the deploy did not change the predictions"
sql pgpool "SELECT algorithm FROM pgml.deploy('$project', 'rollback')" >/dev/null
wait_for_replay standby1 standby2
same_everywhere "after rollback"
third=$digest
[ "$third" = "$first" ] || fail "the rollback did not bring back the first model's predictions"

# Throughput: per-row predicts with random features, straight at each node and through pgpool.
cat >"$dir/predict.sql" <<EOF
\set a random(-100, 100)
\set b random(-100, 100)
\set c random(-100, 100)
SELECT pgml.predict('$project', ARRAY[:a / 1000.0, :b / 1000.0, :c / 1000.0, 0.01, -0.02, 0.03, -0.04, 0.05, -0.01, 0.02]::real[]);
EOF
chmod a+r "$dir/predict.sql"
# tps NODE [EXTRA pgbench args]: transactions per second of a run of $seconds.
tps() {
	local node=$1
	shift
	as_owner "$bindir/pgbench" -n -h "${host[$node]}" -p "${port[$node]}" -U postgres -c "$clients" -j "$clients" -T "$seconds" \
		-f "$dir/predict.sql" "$@" postgres 2>&1 | awk '/^tps = / { printf "%.0f", $3 }'
}
declare -A measured
for node in primary standby1 standby2; do
	measured[$node]=$(tps "$node")
done
before=($(select_counts))
measured[pgpool]=$(tps pgpool)
after=($(select_counts))
served_total=0
for i in 0 1 2; do
	served[i]=$((after[i] - before[i]))
	served_total=$((served_total + served[i]))
done
printf '\n%-28s %12s %18s\n' "per-row pgml.predict" "tx/s" "share via pgpool"
for i in 0 1 2; do
	node=${nodes[$i]}
	printf '%-28s %12s %17s%%\n' "$node (direct)" "${measured[$node]}" "$((served_total > 0 ? 100 * served[i] / served_total : 0))"
done
printf '%-28s %12s\n\n' "pgpool (balanced)" "${measured[pgpool]}"
[ "$served_total" -gt 0 ] || fail "pgpool counted no SELECTs during the run"
[ "${served[0]}" -eq 0 ] || fail "the primary served ${served[0]} balanced predicts (weight 0)"
[ "${served[1]}" -gt 0 ] && [ "${served[2]}" -gt 0 ] || fail "a standby served no predicts: ${served[*]}"

# A standby fails in the middle of a run through pgpool: clients reconnect and keep predicting.
loop_seconds=$((seconds < 6 ? 6 : seconds))
cat >"$dir/clients.sh" <<EOF
#!/usr/bin/env bash
# one client: a new connection per predict through pgpool for $loop_seconds s; prints ok/errors
ok=0 errors=0 end=\$((SECONDS + $loop_seconds))
while [ \$SECONDS -lt \$end ]; do
	# As an application would, a call gives up after 10 s (a session pgpool was failing over
	# can wait on it for minutes): that counts as a failure.
	if PGCONNECT_TIMEOUT=3 timeout 10 "$bindir/psql" -X -q -A -t -h "${host[pgpool]}" -p ${port[pgpool]} -U postgres -d postgres \
		-c "SELECT pgml.predict('$project', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])" >/dev/null 2>>"$dir/client-errors.log"; then
		ok=\$((ok + 1))
	else
		errors=\$((errors + 1))
	fi
done
echo "\$ok \$errors"
EOF
chmod a+rx "$dir/clients.sh"
[ "$(id -u)" -ne 0 ] || chown "$owner": "$dir"
client_pids=()
for c in 1 2 3; do
	as_owner "$dir/clients.sh" >"$dir/client$c.out" &
	client_pids+=($!)
done
sleep $((loop_seconds / 3))
as_owner "$bindir/pg_ctl" -D "$dir/standby2" -m immediate -w stop >/dev/null
say "standby2 stopped $((loop_seconds / 3)) s into a $loop_seconds s run of 3 clients through pgpool"
wait "${client_pids[@]}"
ok=0 errors=0
for c in 1 2 3; do
	read -r o e <"$dir/client$c.out"
	ok=$((ok + o)) errors=$((errors + e))
done
status2=$(sql pgpool "SHOW POOL_NODES" | awk -F'|' '$1 == 2 { print $4 }')
say "with standby2 down: $ok predicts answered, $errors failed; pgpool says standby2 is $status2"
[ "$status2" = down ] || fail "pgpool did not detach the stopped standby (status $status2)"
[ "$ok" -gt 0 ] || fail "no predicts were answered while a standby was down"
# Of the predicts that failed, only those in flight on the stopped standby may: a handful.
[ "$errors" -le 6 ] || fail "$errors predicts failed (more than the 2 per client in flight when the standby stopped)"

# Meanwhile the primary deploys again; the restarted standby catches up and serves it.
sql pgpool "SELECT algorithm FROM pgml.deploy('$project', 'most_recent')" >/dev/null
start_node standby2
wait_for_replay standby1 standby2
for tries in $(seq 1 100); do
	[ "$(sql pgpool "SHOW POOL_NODES" | awk -F'|' '$1 == 2 { print $4 }')" = up ] && break
	sleep 0.2
done
say "pgpool: standby2 is $(sql pgpool "SHOW POOL_NODES" | awk -F'|' '$1 == 2 { print $4 }') again (auto_failback)"
same_everywhere "after standby2 restarted"
current=$digest
[ "$current" = "$second" ] || fail "after the restart the nodes do not serve the current deployment"

stop_all
trap - EXIT
if [ "$failures" -gt 0 ]; then
	say "$failures check(s) failed; logs in $dir"
	exit 1
fi
say "all checks passed"
