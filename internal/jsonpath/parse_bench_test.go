package jsonpath

import (
	"os"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"request", "foreach", "escape"} {
		data, err := os.ReadFile("../vtl/testdata/bench/" + name + ".json")
		if err != nil {
			b.Fatal(err)
		}
		s := string(data)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseString(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
