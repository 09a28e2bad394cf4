package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// TestStaticFilesAreGzippedWhenThatIsSmaller: text is kept gzipped beside
// its bytes, a file gzip would not shrink and a type it does not shrink are
// kept as they are, and the fingerprint follows the content.
func TestStaticFilesAreGzippedWhenThatIsSmaller(t *testing.T) {
	text := []byte(strings.Repeat("body { margin:0 }\n", 200))
	css := newStaticFile("site.css", text)
	if !strings.HasPrefix(css.ContentType, "text/css") || css.Gzip == nil || len(css.Gzip) >= len(text)/4 {
		t.Fatalf("a stylesheet: %q, %d gzipped bytes for %d", css.ContentType, len(css.Gzip), len(text))
	}
	r, err := gzip.NewReader(bytes.NewReader(css.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := io.ReadAll(r); !bytes.Equal(back, text) {
		t.Error("the gzipped stylesheet is not the stylesheet")
	}
	if tiny := newStaticFile("a.js", []byte("x")); tiny.Gzip != nil {
		t.Error("a file gzip makes larger is kept gzipped")
	}
	if png := newStaticFile("logo.png", text); png.Gzip != nil || png.ContentType != "image/png" {
		t.Errorf("an image: %q, gzipped %v", png.ContentType, png.Gzip != nil)
	}
	if other := newStaticFile("site.css", append(text, 'x')); other.Hash == css.Hash || len(css.Hash) != 12 {
		t.Errorf("fingerprints %q and %q", css.Hash, other.Hash)
	}
}
