package classify

import (
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzClassify feeds damaged and hostile messages to the classifier, seeded
// with every fixture. It runs the classifier without its recover, so that
// a panic is a failure, and checks that what comes out is well formed.
func FuzzClassify(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join("testdata", "postfix", "*.eml"),
		filepath.Join(publicCorpus, "*.eml"),
	} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, s := range seeds {
		raw, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, o := range []Options{{}, {MaxSize: 512}} {
			start := time.Now()
			res, err := o.classify(raw)
			if d := time.Since(start); d > time.Second {
				t.Fatalf("took %v for %d bytes", d, len(raw))
			}
			if res.Kind == "" {
				t.Fatalf("no kind (err %v)", err)
			}
			if err != nil && res.Kind != KindOther {
				t.Fatalf("kind %s with error %v", res.Kind, err)
			}
			for _, s := range []string{res.Subject, res.From, res.Text} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %q", s)
				}
			}
			for _, rc := range res.Recipients {
				if !utf8.ValidString(rc.Diagnostic) || !utf8.ValidString(rc.Address) {
					t.Fatalf("invalid UTF-8 in recipient %+v", rc)
				}
			}
		}
	})
}
