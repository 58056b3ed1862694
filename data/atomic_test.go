package data

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// listDir returns the names in dir, sorted; nil if dir does not exist.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// TestFileSetSwap: a fresh output folder gets the files and the marker; a
// second run into it leaves only the second run's files; nothing is left
// beside the folder.
func TestFileSetSwap(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "a", "out")
	fs, err := NewFileSet(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"one.csv", "sub/two.png"} {
		if err := fs.Add(n, writeString(n)); err != nil {
			t.Fatal(err)
		}
	}
	if got := listDir(t, out); got != nil {
		t.Fatalf("before Commit, %s holds %v", out, got)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	fs.Abort() // after Commit: no effect
	if got, want := listDir(t, out), []string{OutputMarker, "one.csv", "sub"}; !slices.Equal(got, want) {
		t.Fatalf("after Commit: %v, want %v", got, want)
	}
	// Second run: different files.
	fs, err = NewFileSet(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("three.csv", writeString("3")); err != nil {
		t.Fatal(err)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := listDir(t, out), []string{OutputMarker, "three.csv"}; !slices.Equal(got, want) {
		t.Fatalf("after the second run: %v, want %v", got, want)
	}
	if got, want := listDir(t, filepath.Join(parent, "a")), []string{"out"}; !slices.Equal(got, want) {
		t.Fatalf("beside the output folder: %v, want %v", got, want)
	}
}

// TestFileSetRefusesForeignFolder: a non-empty folder without the marker,
// or a file, is refused with ErrOutputInUse and left untouched.
func TestFileSetRefusesForeignFolder(t *testing.T) {
	parent := t.TempDir()
	foreign := filepath.Join(parent, "mine")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(foreign, "thesis.tex"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(parent, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{foreign, file, "."} {
		_, err := NewFileSet(dir)
		if !errors.Is(err, ErrOutputInUse) {
			t.Errorf("NewFileSet(%s) = %v, want ErrOutputInUse", dir, err)
		}
	}
	if got, want := listDir(t, foreign), []string{"thesis.tex"}; !slices.Equal(got, want) {
		t.Errorf("foreign folder now holds %v", got)
	}
	if got, want := listDir(t, parent), []string{"file.txt", "mine"}; !slices.Equal(got, want) {
		t.Errorf("parent now holds %v", got)
	}
}

// TestFileSetAbortKeepsPrevious: a run that fails after staging files, or
// whose context is cancelled before Commit, leaves the previous output as
// it was and no staging folder, and removes the parent folders it created.
func TestFileSetAbortKeepsPrevious(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	fs, err := NewFileSet(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("old.csv", writeString("old")); err != nil {
		t.Fatal(err)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	want := listDir(t, out)

	// A failed write, then Abort.
	fs, err = NewFileSet(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("new.csv", writeString("new")); err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("bad.csv", func(io.Writer) error { return errors.New("disk full") }); err == nil {
		t.Fatal("failed write: no error")
	}
	fs.Abort()
	if got := listDir(t, out); !slices.Equal(got, want) {
		t.Errorf("after Abort: %v, want %v", got, want)
	}

	// A cancelled context: Commit refuses.
	ctx, cancel := context.WithCancel(context.Background())
	fs, err = NewFileSetContext(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("new.csv", writeString("new")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := fs.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit after cancel = %v, want context.Canceled", err)
	}
	if got := listDir(t, out); !slices.Equal(got, want) {
		t.Errorf("after a cancelled Commit: %v, want %v", got, want)
	}
	if got := listDir(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("beside the output folder: %v", got)
	}

	// Parent folders created for a run that never commits are removed.
	deep := filepath.Join(parent, "x", "y", "out")
	fs, err = NewFileSet(deep)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Add("a.csv", writeString("a")); err != nil {
		t.Fatal(err)
	}
	fs.Abort()
	if got := listDir(t, parent); !slices.Equal(got, []string{"out"}) {
		t.Errorf("after Abort of %s, parent holds %v", deep, got)
	}
}

// TestFileSetAddRejectsEscapes: names that leave the folder, or the
// marker itself, are refused.
func TestFileSetAddRejectsEscapes(t *testing.T) {
	fs, err := NewFileSet(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Abort()
	for _, n := range []string{"../x.csv", "/abs.csv", ".", OutputMarker} {
		if err := fs.Add(n, writeString("x")); err == nil {
			t.Errorf("Add(%q): no error", n)
		}
	}
}
