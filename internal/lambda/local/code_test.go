package local

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

type zipEntry struct {
	name, body string
	mode       fs.FileMode
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnzipKeepsFilesModesAndLocalLinks(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "code")
	data := makeZip(t,
		zipEntry{name: "bootstrap", body: "#!/bin/sh\n", mode: 0o755},
		zipEntry{name: "lib/", mode: fs.ModeDir | 0o755},
		zipEntry{name: "lib/a.txt", body: "a"},
		zipEntry{name: "lib/link", body: "a.txt", mode: fs.ModeSymlink | 0o777},
	)
	if err := Unzip(data, dir, MaxUnzippedBytes); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "bootstrap")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("bootstrap: %v, mode %v; want executable", err, fi.Mode())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "lib", "link")); err != nil || string(b) != "a" {
		t.Errorf("lib/link reads %q, %v", b, err)
	}
}

func TestUnzipRefusesUnsafePackages(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"not a zip", func(*testing.T) []byte { return []byte("hello") }},
		{"zip slip", func(t *testing.T) []byte { return makeZip(t, zipEntry{name: "../evil", body: "x"}) }},
		{"nested zip slip", func(t *testing.T) []byte { return makeZip(t, zipEntry{name: "a/../../evil", body: "x"}) }},
		{"absolute path", func(t *testing.T) []byte { return makeZip(t, zipEntry{name: "/etc/evil", body: "x"}) }},
		{"backslash", func(t *testing.T) []byte { return makeZip(t, zipEntry{name: `..\evil`, body: "x"}) }},
		{"symlink out", func(t *testing.T) []byte {
			return makeZip(t, zipEntry{name: "l", body: "../../etc/passwd", mode: fs.ModeSymlink | 0o777})
		}},
		{"absolute symlink", func(t *testing.T) []byte {
			return makeZip(t, zipEntry{name: "l", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777})
		}},
		{"bomb", func(t *testing.T) []byte {
			return makeZip(t, zipEntry{name: "a", body: string(bytes.Repeat([]byte{0}, 600))},
				zipEntry{name: "b", body: string(bytes.Repeat([]byte{0}, 600))})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "code")
			err := Unzip(tc.data(t), dir, 1000)
			if !errors.Is(err, ErrBadZip) {
				t.Fatalf("Unzip = %v, want ErrBadZip", err)
			}
			if tooLarge := errors.Is(err, ErrTooLarge); tooLarge != (tc.name == "bomb") {
				t.Errorf("errors.Is(%v, ErrTooLarge) = %v", err, tooLarge)
			}
			if entries, _ := os.ReadDir(root); len(entries) != 0 {
				t.Errorf("left %d entries behind", len(entries))
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(root), "evil")); err == nil {
				t.Error("wrote outside the destination")
			}
		})
	}
}

func TestFingerprintSeesChanges(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte("1"), 0o644)
	before, err := Fingerprint(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Fingerprint(dir); again != before {
		t.Fatal("fingerprint of an unchanged directory changed")
	}
	os.MkdirAll(filepath.Join(dir, "node_modules"), 0o755)
	os.WriteFile(filepath.Join(dir, "node_modules", "x"), []byte("1"), 0o644)
	mid, _ := Fingerprint(dir)
	os.WriteFile(filepath.Join(dir, "node_modules", "x"), []byte("22"), 0o644)
	if after, _ := Fingerprint(dir); after != mid {
		t.Error("a change inside node_modules changed the fingerprint")
	}
	os.WriteFile(filepath.Join(dir, "b"), []byte("1"), 0o644)
	if after, _ := Fingerprint(dir); after == mid {
		t.Error("a new file did not change the fingerprint")
	}
}
