# Shared by the crash tests: what pgml holds, what would be half-written, and a kill -9 of one
# backend followed by the wait for crash recovery.
package PgmlCrash;

use strict;
use warnings FATAL => 'all';

use PostgreSQL::Test::Cluster;
use Test::More;

# The deployed model of project Crash on one row.
our $predict = q{SELECT pgml.predict('Crash', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])};

# Every row pgml keeps, and every snapshot table.
our $state = q{SELECT format('%s projects, %s models, %s files, %s snapshots, %s deployments, tables %s',
	(SELECT count(*) FROM pgml.projects), (SELECT count(*) FROM pgml.models), (SELECT count(*) FROM pgml.files),
	(SELECT count(*) FROM pgml.snapshots), (SELECT count(*) FROM pgml.deployments),
	(SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
	 WHERE relnamespace = 'pgml'::regnamespace AND relname ~ '^snapshot_[0-9]+$'))};

# Models without their estimator, snapshots never completed, rows that do not verify,
# materialized snapshots without their table and snapshot tables without their row.
our $inconsistencies = q{SELECT
	(SELECT count(*) FROM pgml.models m WHERE NOT EXISTS
		(SELECT 1 FROM pgml.files f WHERE f.model_id = m.id AND f.path LIKE 'estimator.%'))
	+ (SELECT count(*) FROM pgml.snapshots WHERE status <> 'created')
	+ (SELECT count(*) FROM pgml.verify_models())
	+ (SELECT count(*) FROM pgml.snapshots s
	   WHERE s.materialized AND to_regclass(format('pgml.%I', 'snapshot_' || s.id)) IS NULL)
	+ (SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'pgml'::regnamespace AND c.relname ~ '^snapshot_[0-9]+$'
	   AND NOT EXISTS (SELECT 1 FROM pgml.snapshots s WHERE 'snapshot_' || s.id = c.relname))};

# A started node where pgml is installed and project Crash deployed, after running $setup.
# PostgreSQL::Test::Cluster turns restart_after_crash off: here the postmaster must recover,
# as in production.
sub new_node
{
	my ($name, $setup) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', 'restart_after_crash = on');
	$node->start;
	$node->safe_psql('postgres', qq{
		CREATE EXTENSION pgml;
		SELECT * FROM pgml.load_dataset('diabetes');
		$setup
	});
	return $node;
}

# Kills backend $pid with SIGKILL and waits until crash recovery is over and the server
# accepts connections again; $session (the killed backend's psql) is closed.
sub kill_and_recover
{
	my ($node, $pid, $session) = @_;
	my $offset = -s $node->logfile;
	ok(kill('KILL', $pid), "sent SIGKILL to backend $pid");
	$node->wait_for_log(qr/all server processes terminated; reinitializing/, $offset);
	$node->wait_for_log(qr/database system is ready to accept connections/, $offset);
	$node->poll_query_until('postgres', 'SELECT 1', '1') or die 'the server did not come back';
	eval { $session->quit; };
	return;
}

1;
