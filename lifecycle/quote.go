package lifecycle

import "github.com/pgml-go/pgml/sqlname"

// quoteIdent quotes an identifier taken from the catalog for use in SQL text.
var quoteIdent = sqlname.QuoteIdent
