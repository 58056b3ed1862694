package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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

// OutputMarker is the file eesim writes into every output folder it
// creates. A non-empty --out folder is replaced only if it holds this
// file, so that eesim never deletes a folder it did not write (README,
// "Output folders").
const OutputMarker = ".eesim-output"

// outputMarkerText is the content of OutputMarker.
const outputMarkerText = "This folder was written by eesim. The next eesim command run with this folder as --out replaces all of its contents.\n"

// ErrOutputInUse is returned (wrapped) by NewFileSet when the output
// folder exists, is not empty and is not an eesim output folder, or is
// not a folder: eesim would have to delete files it did not write.
var ErrOutputInUse = errors.New("output folder in use")

// FileSet stages the files of an output folder and puts them in place
// together: each Add writes into a fresh temporary folder next to the
// output folder, and Commit swaps that folder into place, replacing the
// previous contents of the output folder, if any, as a whole. A run that
// fails or is cancelled before Commit leaves the output folder as it was
// and no temporary file behind (Abort).
type FileSet struct {
	dir     string // the output folder
	tmp     string // the staging folder, beside dir
	ctx     context.Context
	created []string // parent folders NewFileSet created, deepest first
	done    bool
}

// NewFileSet prepares staged writes into the folder dir (see FileSet).
// dir must not exist, or be empty, or be an earlier eesim output folder
// (it holds OutputMarker); otherwise the error wraps ErrOutputInUse.
func NewFileSet(dir string) (*FileSet, error) {
	return NewFileSetContext(context.Background(), dir)
}

// NewFileSetContext is NewFileSet whose Commit refuses to put the files
// in place once ctx is done (an interrupted command writes nothing).
func NewFileSetContext(ctx context.Context, dir string) (*FileSet, error) {
	if err := CheckOutputDir(dir); err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	created, err := mkdirAllTracked(parent)
	if err != nil {
		return nil, fmt.Errorf("create output folder %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".eesim-tmp-*")
	if err != nil {
		removeEmpty(created)
		return nil, fmt.Errorf("create output folder %s: %w", dir, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		removeEmpty(created)
		return nil, fmt.Errorf("create output folder %s: %w", dir, err)
	}
	return &FileSet{dir: dir, tmp: tmp, ctx: ctx, created: created}, nil
}

// CheckOutputDir returns an error wrapping ErrOutputInUse if NewFileSet
// would refuse dir, and nil if it would accept it.
func CheckOutputDir(dir string) error {
	if filepath.Clean(dir) == "." || filepath.Clean(dir) == string(filepath.Separator) {
		return fmt.Errorf("output folder %q: %w: eesim replaces the whole --out folder, so it cannot be the current folder or the root; name a new or empty folder", dir, ErrOutputInUse)
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("output folder %s: %w: it is a file, not a folder", dir, ErrOutputInUse)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, OutputMarker)); err == nil {
		return nil
	}
	return fmt.Errorf("output folder %s: %w: it is not empty and was not written by eesim (no %s file); eesim replaces the whole --out folder, so name a new or empty folder", dir, ErrOutputInUse, OutputMarker)
}

// Dir returns the output folder.
func (s *FileSet) Dir() string { return s.dir }

// Add writes name (a path relative to the output folder) into the staging
// folder.
func (s *FileSet) Add(name string, write func(w io.Writer) error) error {
	final := filepath.Join(s.dir, name)
	if s.done {
		return fmt.Errorf("write %s: output folder already committed or aborted", final)
	}
	rel := filepath.Clean(name)
	if filepath.IsAbs(rel) || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || rel == OutputMarker {
		return fmt.Errorf("write %s: %q is not a file name inside the output folder", final, name)
	}
	path := filepath.Join(s.tmp, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", final, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", final, err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", final, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return fmt.Errorf("write %s: %w", final, err)
	}
	return nil
}

// Create opens name (a path relative to the output folder) in the
// staging folder for a writer that streams its file (data.RunsWriter);
// the caller closes it before Commit.
func (s *FileSet) Create(name string) (io.WriteCloser, error) {
	var f *os.File
	err := s.Add(name, func(io.Writer) error {
		var err error
		f, err = os.OpenFile(filepath.Join(s.tmp, filepath.Clean(name)), os.O_WRONLY|os.O_TRUNC, 0o644)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Commit puts the staged files in place: the output folder then holds
// them and OutputMarker, and nothing else. The previous folder, if any, is
// moved aside and deleted only once the new one is in place; on an error,
// the previous folder is put back. Commit fails, writing nothing, if the
// context of NewFileSetContext is done.
func (s *FileSet) Commit() error {
	if s.done {
		return fmt.Errorf("write %s: output folder already committed or aborted", s.dir)
	}
	if err := s.ctx.Err(); err != nil {
		s.Abort()
		return fmt.Errorf("write %s: %w", s.dir, err)
	}
	fail := func(err error) error {
		s.Abort()
		return fmt.Errorf("write %s: %w", s.dir, err)
	}
	if err := os.WriteFile(filepath.Join(s.tmp, OutputMarker), []byte(outputMarkerText), 0o644); err != nil {
		return fail(err)
	}
	// The folder may have been filled since NewFileSet.
	if err := CheckOutputDir(s.dir); err != nil {
		s.Abort()
		return err
	}
	old := ""
	if _, err := os.Stat(s.dir); err == nil {
		// A fresh name: os.Rename does not replace a folder, so the
		// placeholder MkdirTemp reserves is removed first.
		o, err := os.MkdirTemp(filepath.Dir(s.dir), "."+filepath.Base(s.dir)+".eesim-old-*")
		if err != nil {
			return fail(err)
		}
		os.Remove(o)
		if err := os.Rename(s.dir, o); err != nil {
			return fail(err)
		}
		old = o
	}
	if err := os.Rename(s.tmp, s.dir); err != nil {
		if old != "" {
			os.Rename(old, s.dir)
		}
		return fail(err)
	}
	s.done = true
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("write %s: remove the previous output %s: %w", s.dir, old, err)
		}
	}
	return nil
}

// Abort removes the staging folder and every file in it, and the parent
// folders NewFileSet created if they are still empty. It is safe to call
// after Commit, and more than once.
func (s *FileSet) Abort() {
	if s.done {
		return
	}
	s.done = true
	os.RemoveAll(s.tmp)
	if _, err := os.Stat(s.dir); errors.Is(err, fs.ErrNotExist) {
		removeEmpty(s.created)
	}
}

// mkdirAllTracked is os.MkdirAll that returns the folders it created,
// deepest first.
func mkdirAllTracked(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return missing, nil
}

// removeEmpty removes the folders dirs, deepest first, while they are empty.
func removeEmpty(dirs []string) {
	for _, d := range dirs {
		if os.Remove(d) != nil {
			return
		}
	}
}
