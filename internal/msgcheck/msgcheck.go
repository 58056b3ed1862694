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
	raw  bool // also inside quotes: time's errors quote the layout
}{
	{regexp.MustCompile(`Go (struct field|value of type)`), "encoding/json's Go type wording", false},
	{regexp.MustCompile(`(^|[^.a-z])json: `), "an encoding/json prefix", false},
	{regexp.MustCompile(`\b[a-z][a-z0-9]*\.[A-Z][A-Za-z0-9]*\b`), "a Go qualified name (pkg.Type)", false},
	{regexp.MustCompile(`\*[a-z][a-z0-9]*\.`), "a Go pointer type", false},
	{regexp.MustCompile(`2006-01-02|15:04:05|Z07:00`), "a Go time layout", true},
	{regexp.MustCompile(`\bu?int(8|16|32|64)\b|\bfloat(32|64)\b|\bcomplex(64|128)\b`), "a Go numeric type", false},
	{regexp.MustCompile(`map\[|\[\][a-z*]|struct ?\{`), "a Go composite type", false},
	{regexp.MustCompile(`goroutine \d|panic[(:]|runtime error`), "a panic or stack trace", false},
	{regexp.MustCompile("`json:\""), "a struct tag", false},
}

// quoted matches a double-quoted string with Go escapes: the user's own
// input echoed back (%q), which may contain anything.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// GoInternals returns what Go internals msg shows outside the quoted
// strings that echo the input, or nil.
func GoInternals(msg string) []string {
	outside := quoted.ReplaceAllString(msg, `"…"`)
	var found []string
	for _, in := range internals {
		text := outside
		if in.raw {
			text = msg
		}
		if m := in.re.FindString(text); m != "" {
			found = append(found, in.what+": "+m)
		}
	}
	return found
}
