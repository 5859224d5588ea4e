package lambdaproxy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden event files in testdata/")

// TestGoldenEvents compares whole events, key order included, with the files
// in testdata/ (regenerate with go test -run Golden -update, then review the
// diff). The sample exchange fixes the request id, time and trace id.
func TestGoldenEvents(t *testing.T) {
	for _, tc := range []struct {
		file  string
		build func() []byte
	}{
		{"event20.json", func() []byte { return testEvent20(sampleExchange(), "123456789012") }},
		{"event10.json", func() []byte { return testEvent10(sampleExchange(), "123456789012") }},
		{"event20-binary.json", func() []byte {
			x := sampleExchange()
			x.Req.Header.Set("Content-Type", "image/png")
			x.Req.Body = []byte{0x89, 'P', 'N', 'G', 0, 0xff}
			return testEvent20(x, "123456789012")
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			var got bytes.Buffer
			if err := json.Indent(&got, tc.build(), "", "  "); err != nil {
				t.Fatal(err)
			}
			got.WriteByte('\n')
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the built event:\n%s", path, got.Bytes())
			}
		})
	}
}
