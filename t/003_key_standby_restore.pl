# The model signing key ($PGDATA/pgml_model_hmac.key) is created by CREATE EXTENSION and is one
# per cluster: a hot standby built from a base backup taken afterwards has it and serves the
# models that replication brings; a standby without it says what to do. A dump restored into
# another cluster carries digests but not the key: its models are refused until a superuser
# signs them, or until that cluster gets the original key.
use strict;
use warnings FATAL => 'all';

use File::Copy;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $predict = q{SELECT pgml.predict('Key', ARRAY[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1])};

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION pgml;
	SELECT * FROM pgml.load_dataset('diabetes');
});
ok(-f $primary->data_dir . '/pgml_model_hmac.key', 'CREATE EXTENSION created the key');

$primary->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'base', has_streaming => 1);
$standby->start;

# Models trained after the backup reach the standby through replication, and verify there.
$primary->safe_psql('postgres', q{SELECT * FROM pgml.train('Key', 'regression', 'pgml.diabetes', 'target')});
$primary->wait_for_catchup($standby);
my $served = $primary->safe_psql('postgres', $predict);
is($standby->safe_psql('postgres', $predict), $served, 'the standby serves the replicated model');
$primary->safe_psql('postgres', q{
	SELECT * FROM pgml.train('Key', algorithm => 'ridge', automatic_deploy => false);
	SELECT * FROM pgml.deploy('Key', 'most_recent');
});
$primary->wait_for_catchup($standby);
my $redeployed = $primary->safe_psql('postgres', $predict);
isnt($redeployed, $served, 'the primary deployed another model');
is($standby->safe_psql('postgres', $predict), $redeployed, 'the standby serves the new deployment');

# A standby without the key refuses, and says where the key comes from.
move($standby->data_dir . '/pgml_model_hmac.key', $standby->data_dir . '/key.saved') or die "moving the key: $!";
my ($rc, $stdout, $stderr) = $standby->psql('postgres', $predict);
isnt($rc, 0, 'a standby without the key does not load models');
like($stderr, qr/model signing key .* does not exist/, 'the error names the missing key');
like($stderr, qr/copy the file from the primary/, 'and tells how to fix it on a standby');
move($standby->data_dir . '/key.saved', $standby->data_dir . '/pgml_model_hmac.key') or die "restoring the key: $!";
is($standby->safe_psql('postgres', $predict), $redeployed, 'with the key back, it serves again');

# Another cluster: the dump restores, its models are refused until someone vouches for them.
my $dump = PostgreSQL::Test::Utils::tempdir() . '/models.dump';
$primary->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', 'postgres' ], 'pg_dump of the primary');
my $other = PostgreSQL::Test::Cluster->new('other');
$other->init;
$other->start;
for my $db ('signed', 'copied')
{
	$other->safe_psql('postgres', "CREATE DATABASE $db");
	$other->command_ok([ 'pg_restore', '--exit-on-error', '-d', $db, $dump ], "pg_restore into $db of another cluster");
	($rc, $stdout, $stderr) = $other->psql($db, $predict);
	like($stderr, qr/was not written by pgml on this cluster \(digest mismatch\)/, "$db: the restored model is refused");
	like($stderr, qr/pgml\.sign_models/, "$db: the hint names the ways out");
}
is($other->safe_psql('signed', 'SELECT pgml.sign_models() > 0'), 't', 'a superuser signs the restored rows');
is($other->safe_psql('signed', $predict), $redeployed, 'then the restored model serves');
$other->stop;
copy($primary->data_dir . '/pgml_model_hmac.key', $other->data_dir . '/pgml_model_hmac.key') or die "copying the key: $!";
$other->start;
is($other->safe_psql('copied', $predict), $redeployed, 'with the original cluster\'s key, the unchanged dump verifies');
is($other->safe_psql('copied', 'SELECT count(*) FROM pgml.verify_models()'), '0', 'every row verifies');

$other->stop;
$standby->stop;
$primary->stop;
done_testing();
