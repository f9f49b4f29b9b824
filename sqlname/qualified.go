package sqlname

import (
	"fmt"
	"strings"
	"unicode"
)

// ParseQualified splits a relation name the way PostgreSQL's regclass input does
// (SplitIdentifierString with '.'): parts are double-quoted ("" escapes a quote) or unquoted
// runs without spaces or dots, with optional spaces around the dots. Checking the syntax here
// turns "invalid name syntax" into an error that names the argument and shows how to quote.
func ParseQualified(name string) ([]string, error) {
	var parts []string
	rest := strings.TrimLeftFunc(name, unicode.IsSpace)
	for {
		var part string
		if strings.HasPrefix(rest, `"`) {
			end := 1
			var b strings.Builder
			for {
				i := strings.IndexByte(rest[end:], '"')
				if i < 0 {
					return nil, fmt.Errorf("unterminated quoted identifier")
				}
				b.WriteString(rest[end : end+i])
				end += i + 1
				if strings.HasPrefix(rest[end:], `"`) {
					b.WriteByte('"')
					end++
					continue
				}
				break
			}
			part, rest = b.String(), rest[end:]
			if part == "" {
				return nil, fmt.Errorf("empty quoted identifier")
			}
		} else {
			end := strings.IndexFunc(rest, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
			if end < 0 {
				end = len(rest)
			}
			part, rest = rest[:end], rest[end:]
			if part == "" {
				return nil, fmt.Errorf("empty name part")
			}
		}
		parts = append(parts, part)
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		if !strings.HasPrefix(rest, ".") {
			return nil, fmt.Errorf("unexpected %q after %q", rest, part)
		}
		rest = strings.TrimLeftFunc(rest[1:], unicode.IsSpace)
	}
	if len(parts) > 3 {
		return nil, fmt.Errorf("too many dotted names")
	}
	return parts, nil
}

// QuoteIdent always double-quotes, so any catalog name is safe to put in SQL text.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
