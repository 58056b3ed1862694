package data

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write: the bytes go to a temporary
// file in the same folder, which is renamed to path only when write and the
// close succeed. A failed write leaves no file at path.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// FileSet stages several output files and puts them in place together, so
// that a run that fails part way leaves none of them: stage each file with
// Add, then call Commit. Files are renamed in the order they were added.
type FileSet struct {
	dir   string
	items []struct{ tmp, final string }
}

// NewFileSet prepares staged writes into dir, creating it if needed.
func NewFileSet(dir string) (*FileSet, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create output folder: %w", err)
	}
	return &FileSet{dir: dir}, nil
}

// Add writes name (relative to the set's folder) to a temporary file.
func (s *FileSet) Add(name string, write func(w io.Writer) error) error {
	final := filepath.Join(s.dir, name)
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(final), "."+filepath.Base(final)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", final, err)
	}
	tmp := f.Name()
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", final, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", final, err)
	}
	os.Chmod(tmp, 0o644)
	s.items = append(s.items, struct{ tmp, final string }{tmp, final})
	return nil
}

// Commit renames every staged file into place.
func (s *FileSet) Commit() error {
	for i, it := range s.items {
		if err := os.Rename(it.tmp, it.final); err != nil {
			for _, rest := range s.items[i:] {
				os.Remove(rest.tmp)
			}
			return fmt.Errorf("write %s: %w", it.final, err)
		}
	}
	s.items = nil
	return nil
}

// Abort removes every staged file. It is safe to call after Commit.
func (s *FileSet) Abort() {
	for _, it := range s.items {
		os.Remove(it.tmp)
	}
	s.items = nil
}
