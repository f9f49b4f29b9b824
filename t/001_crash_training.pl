# A training backend killed with SIGKILL (the postmaster then restarts every session and runs
# crash recovery) leaves nothing half-written: no model, file, snapshot row or snapshot table
# of the killed training survives, and the server serves the deployment it served before.
# pgml.inject_fault's stall points hold the training at each phase until the kill.
use strict;
use warnings FATAL => 'all';

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use lib 't';
use PgmlCrash;

my $node = PgmlCrash::new_node('crash_training', q{
	SELECT * FROM pgml.train('Crash', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true);
});
my $served = $node->safe_psql('postgres', $PgmlCrash::predict);
my $before = $node->safe_psql('postgres', $PgmlCrash::state);
note "before: $before";

my $kills = 0;
for my $case (
	[ 'stall_reading', 'false' ],
	[ 'stall_reading', 'true' ],
	[ 'stall_fitting', 'true' ],
	[ 'stall_storing', 'false' ],
	[ 'stall_storing', 'true' ])
{
	my ($stall, $materialize) = @$case;
	my $label = "killed at $stall (materialize_snapshot => $materialize)";

	my $offset = -s $node->logfile;
	my $session = $node->background_psql('postgres', on_error_stop => 0);
	my $pid = $session->query_safe('SELECT pg_backend_pid()');
	$session->query_safe("SET pgml.inject_fault = '$stall'");
	$session->query_until(qr/started/, qq{\\echo started
SELECT * FROM pgml.train('Crash', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', materialize_snapshot => $materialize);
});
	$node->wait_for_log(qr/the training stalls at $stall/, $offset);
	PgmlCrash::kill_and_recover($node, $pid, $session);
	$kills++;

	is($node->safe_psql('postgres', $PgmlCrash::state), $before, "$label: nothing of the training is left");
	is($node->safe_psql('postgres', $PgmlCrash::inconsistencies), '0', "$label: no half-written model or snapshot");
	is($node->safe_psql('postgres', $PgmlCrash::predict), $served, "$label: the previous deployment serves");
}

my $log = slurp_file($node->logfile);
my $terminated = () = $log =~ /terminated by signal 9/g;
is($terminated, $kills, 'every kill was a backend crash, followed by crash recovery');

# Training works afterwards: no leftover snapshot table is in the way.
$node->safe_psql('postgres', q{
	SELECT * FROM pgml.train('Crash', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge', materialize_snapshot => true);
	SELECT * FROM pgml.deploy('Crash', 'most_recent');
});
is($node->safe_psql('postgres', $PgmlCrash::inconsistencies), '0', 'a training after the crashes is complete');
isnt($node->safe_psql('postgres', $PgmlCrash::predict), $served, 'and its model serves once deployed');

$node->stop;
done_testing();
