package local

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// Code limits, as Lambda's.
const (
	// MaxUnzippedBytes bounds a function's unpacked code (250 MB).
	MaxUnzippedBytes = 250 << 20
	// maxZipEntries bounds the number of files in a deployment package.
	maxZipEntries = 100_000
	// maxFingerprintEntries bounds the directory walk of directory mode.
	maxFingerprintEntries = 50_000
)

// ErrBadZip reports a deployment package that cannot be unpacked safely.
var ErrBadZip = errors.New("bad deployment package")

// ErrTooLarge reports a package whose unpacked size passes the limit; such
// errors are ErrBadZip too.
var ErrTooLarge = errors.New("unzipped size too large")

// Unzip unpacks a deployment package into dir, which must not exist. It
// refuses entries that would land outside dir (zip slip), symbolic links that
// point outside it, and packages whose unpacked size passes limit (counting
// the bytes actually written, not the sizes the archive claims). On error dir
// is removed.
func Unzip(data []byte, dir string, limit int64) (err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadZip, err)
	}
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("%w: more than %d entries", ErrBadZip, maxZipEntries)
	}
	tmp := dir + ".tmp-" + strconv.FormatUint(uint64(len(data)), 36) + "-" + newRequestID()[:8]
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	remaining := limit
	type link struct{ name, target string }
	var links []link
	for _, f := range zr.File {
		name, ok := localName(f.Name)
		if !ok {
			return fmt.Errorf("%w: entry %q is outside the package", ErrBadZip, f.Name)
		}
		if name == "." {
			continue
		}
		dst := filepath.Join(tmp, filepath.FromSlash(name))
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
		case mode&fs.ModeSymlink != 0:
			target, err := readSmall(f, 4096)
			if err != nil {
				return fmt.Errorf("%w: symlink %q: %v", ErrBadZip, f.Name, err)
			}
			if !filepath.IsLocal(filepath.Join(path.Dir(name), target)) || filepath.IsAbs(target) {
				return fmt.Errorf("%w: symlink %q points outside the package", ErrBadZip, f.Name)
			}
			links = append(links, link{dst, target})
		case mode.IsRegular():
			n, err := writeEntry(f, dst, mode, remaining)
			if err != nil {
				return err
			}
			remaining -= n
		default:
			return fmt.Errorf("%w: entry %q is not a file, directory or symlink", ErrBadZip, f.Name)
		}
	}
	// Links last, so that no file is written through one.
	for _, l := range links {
		if err := os.MkdirAll(filepath.Dir(l.name), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(l.target, l.name); err != nil {
			return fmt.Errorf("%w: %v", ErrBadZip, err)
		}
	}
	return os.Rename(tmp, dir)
}

// localName cleans a zip entry name; ok is false for names that escape.
func localName(name string) (string, bool) {
	if strings.Contains(name, `\`) || strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) {
		return "", false
	}
	c := path.Clean(name)
	if c == "." {
		return c, true
	}
	return c, filepath.IsLocal(c)
}

func writeEntry(f *zip.File, dst string, mode fs.FileMode, remaining int64) (int64, error) {
	if int64(f.UncompressedSize64) > remaining || f.UncompressedSize64 > MaxUnzippedBytes {
		return 0, fmt.Errorf("%w: %w", ErrBadZip, ErrTooLarge)
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	perm := fs.FileMode(0o644)
	if mode&0o111 != 0 {
		perm = 0o755
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	n, err := io.Copy(out, io.LimitReader(rc, remaining+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	if n > remaining {
		return n, fmt.Errorf("%w: %w", ErrBadZip, ErrTooLarge)
	}
	return n, nil
}

func readSmall(f *zip.File, limit int64) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return "", err
	}
	if int64(len(b)) > limit {
		return "", errors.New("target too long")
	}
	return string(b), nil
}

// Fingerprint hashes the names, sizes, modes and modification times of the
// files under dir (not their contents), so that a change of the code is
// noticed cheaply. Directories named .git, node_modules and __pycache__ are
// skipped: they are large and rarely what is being edited.
func Fingerprint(dir string) (uint64, error) {
	h := fnv.New64a()
	n := 0
	var buf [8]byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir {
			switch d.Name() {
			case ".git", "node_modules", "__pycache__":
				return filepath.SkipDir
			}
		}
		if n++; n > maxFingerprintEntries {
			return filepath.SkipAll
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed while walking
		}
		io.WriteString(h, p)
		put := func(v uint64) {
			for i := range buf {
				buf[i] = byte(v >> (8 * i))
			}
			h.Write(buf[:])
		}
		put(uint64(info.Size()))
		put(uint64(info.ModTime().UnixNano()))
		put(uint64(info.Mode()))
		return nil
	})
	return h.Sum64(), err
}
