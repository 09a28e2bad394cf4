package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"sync"
)

// A zlib writer holds over half a megabyte of tables; documents take one
// from the pool for their content streams instead of allocating their own.
var fastWriters = sync.Pool{
	New: func() any {
		w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
		return w
	},
}

// deflateFast appends the zlib stream of data to dst at the fastest level:
// content streams are written once per document, and time matters more
// than the few bytes a higher level would save on them.
func deflateFast(dst *bytes.Buffer, data []byte) {
	w := fastWriters.Get().(*zlib.Writer)
	w.Reset(dst)
	w.Write(data) // writing to a bytes.Buffer cannot fail
	w.Close()
	fastWriters.Put(w)
}

// deflateBest returns the zlib stream of data at the best level, for what is
// compressed once and embedded in many documents: font programs, their
// maps, and images.
func deflateBest(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}
