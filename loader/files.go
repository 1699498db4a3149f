package loader

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// refusedError is a file the loader will not read, and why.
type refusedError struct{ reason string }

func (e *refusedError) Error() string { return e.reason }

// openProblem is the reason of a problem for a file that could not be
// opened.
func openProblem(err error) string {
	var re *refusedError
	if errors.As(err, &re) {
		return re.reason
	}
	return "cannot read the file: " + errText(err)
}

// outside reports whether a dataset-relative, slash-separated name leaves
// the directory: absolute, or climbing out with "..".
func outside(name string) bool {
	return path.IsAbs(name) || filepath.IsAbs(filepath.FromSlash(name)) || !filepath.IsLocal(filepath.FromSlash(name))
}

const outsideHint = "a dataset reads only files inside its directory (give --allow-outside-files to read others)"

// dirFiles opens the files of a dataset directory. Through an os.Root, a
// symbolic link is followed only when it leads to a file inside the
// directory: such a link reads nothing the directory does not hold, and
// the check is the kernel's, made as the file is opened, so that no link
// swapped in between a check and the open can escape it.
type dirFiles struct {
	dir   string
	root  *os.Root
	fsys  fs.FS
	allow bool
}

func openDirFiles(dir string, allowOutside bool) (*dirFiles, error) {
	if dir == "" {
		dir = "."
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &dirFiles{dir: dir, root: root, fsys: root.FS(), allow: allowOutside}, nil
}

// close closes the directory, read only: Close has nothing to lose.
func (d *dirFiles) close() { _ = d.root.Close() }

func (d *dirFiles) open(name string) (fs.File, error) {
	native := filepath.FromSlash(name)
	if d.allow {
		if !filepath.IsAbs(native) {
			native = filepath.Join(d.dir, native)
		}
		// Stat first: opening a FIFO would wait for a writer.
		st, err := os.Stat(native)
		if err != nil {
			return nil, err
		}
		if err := regular(st); err != nil {
			return nil, err
		}
		return openRegular(os.Open(native))
	}
	if outside(name) {
		return nil, &refusedError{"lies outside the dataset directory: " + outsideHint}
	}
	st, err := d.root.Stat(native)
	if err != nil {
		if escapes(err) {
			if lst, lerr := d.root.Lstat(native); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
				target, _ := os.Readlink(filepath.Join(d.dir, native))
				return nil, &refusedError{fmt.Sprintf("is a symbolic link to %s, outside the dataset directory: %s", quote(target), outsideHint)}
			}
			return nil, &refusedError{"leads outside the dataset directory through a symbolic link: " + outsideHint}
		}
		return nil, err
	}
	if err := regular(st); err != nil {
		return nil, err
	}
	return openRegular(d.root.Open(native))
}

// escapes reports whether err is os.Root's refusal of a path leading out of
// it, which has no exported error value to compare with.
func escapes(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err.Error() == "path escapes from parent"
}

// fsFiles opens the files of an fs.FS (an embedded dataset): none outside it.
type fsFiles struct{ fsys fs.FS }

func (f fsFiles) open(name string) (fs.File, error) {
	if outside(name) {
		return nil, &refusedError{"lies outside the dataset: a dataset read from a file system reads only its files"}
	}
	st, err := fs.Stat(f.fsys, name)
	if err != nil {
		return nil, err
	}
	if err := regular(st); err != nil {
		return nil, err
	}
	return openRegular(f.fsys.Open(name))
}

// regular refuses what is not a regular file: a device or a FIFO would
// give bytes without end, or block.
func regular(st fs.FileInfo) error {
	m := st.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return &refusedError{"is a directory, not a dataset file"}
	case m&fs.ModeNamedPipe != 0:
		return &refusedError{"is a named pipe (FIFO), not a regular file: dataset files must be regular files"}
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return &refusedError{"is a device, not a regular file: dataset files must be regular files"}
	}
	return &refusedError{fmt.Sprintf("is not a regular file (%s): dataset files must be regular files", m.Type())}
}

// openRegular checks the file opened is still a regular file (not one
// swapped in after the check).
func openRegular(f fs.File, err error) (fs.File, error) {
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil {
		err = regular(st)
	}
	if err != nil {
		_ = f.Close() // read only; err is the problem to report
		return nil, err
	}
	return f, nil
}
