// Package msgcheck finds Go internals in messages meant for people: the
// tests of every input reader and the malformed-input corpus use it, so
// that no Go type name, struct tag, time layout or stack trace reaches a
// user (README, "Exit codes and messages").
package msgcheck

import "regexp"

// internals are the marks of Go internals in a message.
var internals = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`Go (struct field|value of type)`), "encoding/json's Go type wording"},
	{regexp.MustCompile(`(^|[^.a-z])json: `), "an encoding/json prefix"},
	{regexp.MustCompile(`\b[a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*\b`), "a Go qualified name (pkg.Type)"},
	{regexp.MustCompile(`\*[a-z][a-z0-9]*\.`), "a Go pointer type"},
	{regexp.MustCompile(`2006|15:04:05|Z07:00|01/02`), "a Go time layout"},
	{regexp.MustCompile(`\bu?int(8|16|32|64)\b|\bfloat(32|64)\b|\bcomplex(64|128)\b`), "a Go numeric type"},
	{regexp.MustCompile(`map\[|\[\][a-z*]|struct ?\{`), "a Go composite type"},
	{regexp.MustCompile(`goroutine \d|panic[(:]|runtime error`), "a panic or stack trace"},
	{regexp.MustCompile("`json:\""), "a struct tag"},
}

// GoInternals returns what Go internals msg shows, or nil.
func GoInternals(msg string) []string {
	var found []string
	for _, in := range internals {
		if m := in.re.FindString(msg); m != "" {
			found = append(found, in.what+": "+m)
		}
	}
	return found
}
