package classify

import (
	"os"
	"path/filepath"
	"testing"
)

// loadCorpus reads every sample of the public corpus and the Postfix
// fixtures, so that a benchmark measures classification alone.
func loadCorpus(tb testing.TB) [][]byte {
	tb.Helper()
	dir := corpusOrSkip(tb)
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no samples in %s: %v", dir, err)
	}
	var msgs [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		msgs = append(msgs, raw)
	}
	return msgs
}

// BenchmarkClassifyCorpus classifies the whole public corpus per
// iteration and reports messages per second; run it with -cpu 1.
func BenchmarkClassifyCorpus(b *testing.B) {
	msgs := loadCorpus(b)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, m := range msgs {
			if _, err := Classify(m); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
