package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"strings"
	"sync"
)

// StaticPath is where the server serves the files of static/.
const StaticPath = "/portal/static/"

// StaticFile is one file of static/ as the server sends it: its bytes, the
// same gzipped when that is smaller, and a fingerprint of its content.
type StaticFile struct {
	Body, Gzip  []byte
	ContentType string
	Hash        string // the first hex digits of the content's SHA-256
}

var (
	staticOnce  sync.Once
	staticFiles map[string]*StaticFile
)

// compressible tells whether a type is text that gzip shrinks.
func compressible(contentType string) bool {
	t, _, _ := strings.Cut(contentType, ";")
	switch t {
	case "text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml", "text/plain", "image/x-icon", "image/vnd.microsoft.icon":
		return true
	}
	return false
}

// Static is the file of static/ at name ("favicon.ico"), read,
// fingerprinted and compressed once per process; nil when there is none.
func Static(name string) *StaticFile {
	staticOnce.Do(func() {
		staticFiles = map[string]*StaticFile{}
		fs.WalkDir(Files, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := fs.ReadFile(Files, p)
			if err != nil {
				return err
			}
			f := newStaticFile(p, body)
			staticFiles[strings.TrimPrefix(p, "static/")] = f
			return nil
		})
	})
	return staticFiles[name]
}

// newStaticFile fingerprints the file at name (its type from the
// extension) and keeps it gzipped as well when that is smaller.
func newStaticFile(name string, body []byte) *StaticFile {
	sum := sha256.Sum256(body)
	f := &StaticFile{Body: body, Hash: hex.EncodeToString(sum[:6]), ContentType: mime.TypeByExtension(path.Ext(name))}
	if f.ContentType == "" {
		f.ContentType = "application/octet-stream"
	}
	if compressible(f.ContentType) {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(body)
		w.Close()
		if buf.Len() < len(body) {
			f.Gzip = buf.Bytes()
		}
	}
	return f
}

// Asset is the address of a file of static/ with its fingerprint, which
// changes whenever the file does: "/portal/static/favicon.ico?v=1a2b3c4d5e6f".
// The server lets browsers keep such an address for a year.
func Asset(name string) string {
	f := Static(name)
	if f == nil {
		panic("ui: no static file " + name)
	}
	return StaticPath + name + "?v=" + f.Hash
}
