package lambdasvc

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"

	"github.com/gatehouse-dev/gatehouse/internal/lambda/local"
	model "github.com/gatehouse-dev/gatehouse/internal/model/lambda"
)

// LocalBuckets are the Code.S3Bucket values that make S3Key a local
// directory (directory mode): Gatehouse's own and LocalStack's, so the same
// commands work against both.
var LocalBuckets = map[string]bool{"__local__": true, "hot-reload": true}

// code is a function's code once resolved.
type code struct {
	dir    string // what the function runs from
	local  bool   // directory mode
	sha256 string // base64, as CodeSha256
	size   int64
	// created is true when dir was unpacked for this request (removed if the
	// request fails).
	created bool
}

// resolveCode unpacks a ZipFile under the data directory or checks a local
// directory. The package is unpacked to a directory named by its hash, so
// the same package is unpacked once.
func (s *Service) resolveCode(region, name string, c *model.FunctionCode) (*code, error) {
	switch {
	case c.ImageUri != "":
		return nil, invalidParameter("Gatehouse runs Zip functions only; container images (ImageUri) are not supported")
	case len(c.ZipFile) > 0:
		sum := sha256.Sum256(c.ZipFile)
		dir := filepath.Join(s.codeRoot(region, name), hex.EncodeToString(sum[:]))
		out := &code{dir: dir, sha256: base64.StdEncoding.EncodeToString(sum[:]), size: int64(len(c.ZipFile))}
		if _, err := os.Stat(dir); err == nil {
			return out, nil
		}
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return nil, err
		}
		if err := local.Unzip(c.ZipFile, dir, local.MaxUnzippedBytes); err != nil {
			os.Remove(filepath.Dir(dir)) // the function's directory, if it holds nothing else
			if errors.Is(err, local.ErrBadZip) {
				s.log.Info("refused deployment package", "function", name, "region", region, "err", err)
				if errors.Is(err, local.ErrTooLarge) {
					return nil, invalidParameter("Unzipped size must be smaller than %d bytes", local.MaxUnzippedBytes)
				}
				return nil, invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
			}
			return nil, err
		}
		out.created = true
		return out, nil
	case LocalBuckets[c.S3Bucket]:
		dir := c.S3Key
		if !filepath.IsAbs(dir) {
			return nil, invalidParameter("S3Key must be an absolute directory path when S3Bucket is %s, got %q", c.S3Bucket, dir)
		}
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			return nil, invalidParameter("Local code directory %s does not exist or is not a directory", dir)
		}
		sum := sha256.Sum256([]byte("local:" + filepath.Clean(dir)))
		return &code{dir: filepath.Clean(dir), local: true, sha256: base64.StdEncoding.EncodeToString(sum[:])}, nil
	case c.S3Bucket != "" || c.S3Key != "":
		return nil, invalidParameter("Gatehouse cannot read code from S3 (bucket %q): upload a ZipFile, or use S3Bucket __local__ with S3Key set to a local directory", c.S3Bucket)
	}
	return nil, invalidParameter("Please provide a source for function code.")
}

// discard removes a directory unpacked for a request that failed.
func (c *code) discard() {
	if c != nil && c.created {
		os.RemoveAll(c.dir)
		os.Remove(filepath.Dir(c.dir)) // only if empty
	}
}

// pruneCode removes the unpacked packages of a function except keep.
func (s *Service) pruneCode(region, name, keep string) {
	root := s.codeRoot(region, name)
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		if p := filepath.Join(root, e.Name()); p != keep {
			os.RemoveAll(p)
		}
	}
}
