package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"sync"
)

// A zlib writer holds over half a megabyte of tables; documents take one
// from the pool instead of allocating their own.
var fastWriters = sync.Pool{
	New: func() any {
		w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
		return w
	},
}

// deflateFast appends the zlib stream of data to dst at the fastest level,
// for what is made for each document: its content streams, font subsets and
// maps. Time matters more there than the few bytes a higher level would
// save (on a font subset, 7 % for half as much time again).
func deflateFast(dst *bytes.Buffer, data []byte) {
	w := fastWriters.Get().(*zlib.Writer)
	w.Reset(dst)
	w.Write(data) // writing to a bytes.Buffer cannot fail
	w.Close()
	fastWriters.Put(w)
}

// deflated returns the zlib stream of data at the fastest level, in a
// buffer of its own.
func deflated(data []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(data) + 64)
	deflateFast(&buf, data)
	return buf.Bytes()
}

// deflateBest returns the zlib stream of data at the best level, for what is
// compressed once and embedded in many documents: images and the ICC
// profile.
func deflateBest(data []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}
