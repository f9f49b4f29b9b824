# A predicting backend killed with SIGKILL in the middle of a long statement: after crash
# recovery nothing has changed and the same deployment serves, in new sessions.
use strict;
use warnings FATAL => 'all';

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

use lib 't';
use PgmlCrash;

my $node = PgmlCrash::new_node('crash_predict', q{
	SELECT * FROM pgml.train('Crash', 'regression', 'pgml.diabetes', 'target');
	SELECT * FROM pgml.train('Crash', algorithm => 'ridge', automatic_deploy => false);
});
my $served = $node->safe_psql('postgres', $PgmlCrash::predict);
my $before = $node->safe_psql('postgres', $PgmlCrash::state);

for my $form ('predict', 'predict_batch')
{
	my $statement = $form eq 'predict'
	  ? q{SELECT count(pgml.predict('Crash', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, g::real])) FROM generate_series(1, 500000000) g;}
	  : q{SELECT count(*) FROM generate_series(1, 100000) g, pgml.predict_batch('Crash', array_fill(g::real, ARRAY[100000]));};
	my $session = $node->background_psql('postgres', on_error_stop => 0);
	my $pid = $session->query_safe('SELECT pg_backend_pid()');
	$session->query_until(qr/started/, "\\echo started\n$statement\n");
	# Killed once it has loaded the model and predicts.
	$node->poll_query_until('postgres', qq{SELECT count(*) FROM pg_stat_activity
		WHERE pid = $pid AND state = 'active' AND query LIKE '%generate_series%'}, '1')
	  or die 'the predicting statement did not start';
	sleep(1);
	PgmlCrash::kill_and_recover($node, $pid, $session);

	is($node->safe_psql('postgres', $PgmlCrash::state), $before, "$form killed: pgml's rows are unchanged");
	is($node->safe_psql('postgres', $PgmlCrash::inconsistencies), '0', "$form killed: nothing is half-written");
	is($node->safe_psql('postgres', $PgmlCrash::predict), $served, "$form killed: the same deployment serves");
}

$node->stop;
done_testing();
