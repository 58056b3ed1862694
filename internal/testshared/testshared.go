// Package testshared gives tests access to the project's shared reference
// folder (../shared beside the repository), skipping cleanly when it is absent.
package testshared

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the path of rel inside the shared folder, or skips the test
// when the folder or the file is absent.
func Path(t testing.TB, rel string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Skip("shared folder: cannot locate the source tree")
	}
	// file is <repo>/internal/testshared/testshared.go.
	repo := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	p := filepath.Join(repo, "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared folder not available: %v", err)
	}
	return p
}
