// Package bootstrap holds the runtime bootstraps Gatehouse ships for the
// nodejs* and python3* Lambda runtimes: small programs that load a handler
// named file.function from LAMBDA_TASK_ROOT and speak the Lambda Runtime API
// (2018-06-01) to the runner, as Lambda's own runtime clients do.
package bootstrap

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed node/bootstrap.js python/bootstrap.py
var files embed.FS

// Install writes the bootstraps under root/<content hash>/ (once per
// content) and returns that directory.
func Install(root string) (string, error) {
	h := sha256.New()
	var names []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		names = append(names, p)
		return nil
	})
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(root+"", ".install-")
	if err != nil {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return "", fmt.Errorf("installing runtime bootstraps: %w", err)
		}
		if tmp, err = os.MkdirTemp(root, ".install-"); err != nil {
			return "", fmt.Errorf("installing runtime bootstraps: %w", err)
		}
	}
	defer os.RemoveAll(tmp)
	for _, p := range names {
		b, _ := files.ReadFile(p)
		dst := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", fmt.Errorf("installing runtime bootstraps: %w", err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return "", fmt.Errorf("installing runtime bootstraps: %w", err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, ".complete"), nil, 0o644); err != nil {
		return "", fmt.Errorf("installing runtime bootstraps: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, ".complete")); serr == nil {
			return dir, nil // installed concurrently by another process
		}
		return "", fmt.Errorf("installing runtime bootstraps: %w", err)
	}
	return dir, nil
}
