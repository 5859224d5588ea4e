package local

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzUnzip feeds arbitrary archives to Unzip: it must not panic, and
// whatever it accepts must lie inside the destination.
func FuzzUnzip(f *testing.F) {
	f.Add(makeZip(f, zipEntry{name: "index.js", body: "x"}))
	f.Add(makeZip(f, zipEntry{name: "a/b/c.txt", body: "y"}, zipEntry{name: "a/l", body: "b/c.txt", mode: fs.ModeSymlink | 0o777}))
	f.Add(makeZip(f, zipEntry{name: "../x", body: "z"}))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		dir := filepath.Join(root, "code")
		if err := Unzip(data, dir, 1<<20); err != nil {
			return
		}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if d.Type()&fs.ModeSymlink != 0 {
				target, _ := os.Readlink(p)
				resolved := filepath.Join(filepath.Dir(p), target)
				if filepath.IsAbs(target) || !strings.HasPrefix(resolved, dir) {
					t.Fatalf("symlink %s → %s leaves the package", p, target)
				}
			}
			return nil
		})
		entries, _ := os.ReadDir(root)
		if len(entries) != 1 {
			t.Fatalf("Unzip wrote %d entries beside the destination", len(entries))
		}
	})
}
