package lifecycle

import (
	"strings"
)

// The privilege model (docs/privileges.md): pgml's statements on its own tables run as the
// extension's owner (query), everything a caller names runs as the caller (queryAsCaller).
// These checks come first so that a refusal names the relation and says what to grant,
// before any snapshot row or table exists.

// checkReadable refuses a relation whose columns the calling role may not SELECT. The rows are
// read as the caller anyway (so row-level security and security_invoker views apply as to its
// own queries); the check gives the error its context. hint replaces the default advice.
func (sess *Session) checkReadable(r *relation, hint string) error {
	names := make([]string, len(r.columns))
	for i, c := range r.columns {
		names[i] = c.name
	}
	rows, err := sess.queryAsCaller(`SELECT current_user::text,
		ARRAY(SELECT c FROM pg_catalog.unnest($2::text[]) WITH ORDINALITY u(c, n)
		      WHERE NOT pg_catalog.has_column_privilege($1::oid, c, 'SELECT') ORDER BY n)::text`,
		r.oid, names)
	if err != nil {
		return err
	}
	role, denied := rows[0].Str(0), parseTextArray(rows[0].Str(1))
	if len(denied) == 0 {
		return nil
	}
	what := "the relation"
	if len(denied) < len(names) {
		quoted := make([]string, len(denied))
		for i, d := range denied {
			quoted[i] = quoteIdent(d)
		}
		what = "its columns " + strings.Join(quoted, ", ")
	}
	if hint == "" {
		hint = "GRANT SELECT ON " + r.qualifiedName() + " TO " + quoteIdent(role) +
			" (or SELECT on the columns), or train on a view that the role may read."
	}
	return &Error{State: StatePermissionDenied,
		Msg:    "permission denied for table " + r.qualifiedName(),
		Detail: "pgml reads training data as the calling role " + quoteIdent(role) + ", which may not SELECT " + what + ".",
		Hint:   hint}
}

// callerMayDeploy reports whether the calling role may run pgml.deploy: pgml.train deploys
// automatically only for roles that may deploy.
func (sess *Session) callerMayDeploy() (bool, error) {
	rows, err := sess.queryAsCaller(`SELECT pg_catalog.has_function_privilege('pgml.deploy(bigint)', 'EXECUTE')`)
	if err != nil {
		return false, err
	}
	return rows[0].Bool(0), nil
}

// grantReadToCaller lets the calling role read a table pgml created for it (a materialized
// snapshot of rows it could read). The table belongs to the extension's owner.
func (sess *Session) grantReadToCaller(table string) error {
	rows, err := sess.queryAsCaller(`SELECT pg_catalog.quote_ident(current_user::text),
		current_user = (SELECT r.rolname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_roles r ON r.oid = e.extowner
		                WHERE e.extname = 'pgml')`)
	if err != nil {
		return err
	}
	if rows[0].Bool(1) {
		return nil
	}
	_, err = sess.query("GRANT SELECT ON " + table + " TO " + rows[0].Str(0))
	return err
}

// checkServerFileRole refuses dump_all / load_all to a role that could not COPY to or from a
// server file itself: pgml runs the COPY as the extension's owner.
func (sess *Session) checkServerFileRole(role, function string) error {
	rows, err := sess.queryAsCaller(`SELECT pg_catalog.pg_has_role($1::text::name, 'USAGE'), current_user::text`, role)
	if err != nil {
		return err
	}
	if rows[0].Bool(0) {
		return nil
	}
	return &Error{State: StatePermissionDenied,
		Msg:  "permission denied for " + function + ": role " + quoteIdent(rows[0].Str(1)) + " may not use server files",
		Hint: function + " runs the server's COPY on files of the server, which needs superuser or the privileges of the " + role + " role (besides EXECUTE on " + function + ")."}
}
