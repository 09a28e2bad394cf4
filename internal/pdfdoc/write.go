package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync"
)

// The objects every document starts with.
const (
	catalogObj = iota + 1
	pagesObj
	infoObj
	resourcesObj
	firstFreeObj
)

// Objects written for each font: the Type0 font, its CIDFont, descriptor,
// font program and CIDToGIDMap.
const objsPerFont = 5

// layout numbers the objects that follow the fixed ones.
type layout struct {
	toUnicode map[*Charset]int
	charsets  []*Charset // in order of first use
	font      []int      // first object of each font
	image     []int      // each image's object; its soft mask follows
	page      []int      // each page's object; its contents follow
	// metadata is an archival document's XMP stream; its output intent
	// and ICC profile follow.
	metadata    int
	attachments []int // each attachment's file specification; its stream follows
	size        int   // objects, counting the free object 0
}

func (d *Document) layout() layout {
	l := layout{toUnicode: map[*Charset]int{}}
	next := firstFreeObj
	for _, f := range d.fonts {
		if _, ok := l.toUnicode[f.charset]; !ok {
			l.toUnicode[f.charset] = next
			l.charsets = append(l.charsets, f.charset)
			next++
		}
	}
	for range d.fonts {
		l.font = append(l.font, next)
		next += objsPerFont
	}
	for _, img := range d.images {
		l.image = append(l.image, next)
		next++
		if img.smask != nil {
			next++
		}
	}
	for range d.pages {
		l.page = append(l.page, next)
		next += 2
	}
	if d.archival {
		l.metadata = next
		next += 3
	}
	for range d.attachments {
		l.attachments = append(l.attachments, next)
		next += 2
	}
	l.size = next
	return l
}

// writer appends objects to the output and records where each starts.
type writer struct {
	buf     bytes.Buffer
	offsets []int
}

// scratches hold content streams while they are compressed, to learn their
// length before writing them.
var scratches = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *writer) begin(obj int) {
	w.offsets[obj] = w.buf.Len()
	w.buf.WriteString(strconv.Itoa(obj))
	w.buf.WriteString(" 0 obj\n")
}

func (w *writer) dictObj(obj int, dict []byte) {
	w.begin(obj)
	w.buf.Write(dict)
	w.buf.WriteString("\nendobj\n")
}

// streamObj writes a stream whose data is already encoded; dict holds the
// entries other than /Length.
func (w *writer) streamObj(obj int, dict string, data []byte) {
	w.begin(obj)
	fmt.Fprintf(&w.buf, "<< /Length %d%s >>\nstream\n", len(data), dict)
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

// Bytes writes the document out. Images go in as prepared; each font is
// subset to the characters drawn in it, and the subsets and the page
// contents are compressed here.
func (d *Document) Bytes() []byte {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	l := d.layout()
	subsets := make([]fontSubset, len(d.fonts))
	for i, f := range d.fonts {
		subsets[i] = f.subset(d.used[i])
	}
	w := &writer{offsets: make([]int, l.size)}
	w.buf.Grow(d.sizeEstimate(subsets))
	// The binary comment marks the file as binary for transfer programs.
	if d.archival {
		// PDF/A-3 is based on PDF 1.7.
		w.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	} else {
		w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	}

	id := sha256.New()
	d.writeCatalog(w, l)
	info := d.infoDict()
	id.Write(info)
	w.dictObj(infoObj, info)
	d.writeResources(w, l)
	for _, cs := range l.charsets {
		w.streamObj(l.toUnicode[cs], " /Filter /FlateDecode", d.toUnicode(cs))
	}
	for i, s := range subsets {
		w.font(l.font[i], l.toUnicode[s.font.charset], &s)
		id.Write(s.name)
	}
	for i, img := range d.images {
		w.image(l.image[i], img)
		id.Write(img.digest[:])
	}
	scratch := scratches.Get().(*bytes.Buffer)
	defer scratches.Put(scratch)
	for i, p := range d.pages {
		obj := l.page[i]
		w.dictObj(obj, fmt.Appendf(nil, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents %d 0 R >>",
			pagesObj, appendFixed(nil, pageWidthPt, 2), appendFixed(nil, pageHeightPt, 2), resourcesObj, obj+1))
		scratch.Reset()
		deflateFast(scratch, p.content)
		id.Write(scratch.Bytes())
		w.streamObj(obj+1, " /Filter /FlateDecode", scratch.Bytes())
	}
	d.writeArchival(w, l)
	for _, a := range d.attachments {
		id.Write(a.Data)
	}
	w.writeTrailer(l.size, id.Sum(nil)[:16])
	return w.buf.Bytes()
}

// sizeEstimate is a little more than the document will take, so that the
// output is allocated once: the font subsets and images, content streams
// compressed to half their size at worst, and room for the dictionaries and
// the ToUnicode maps.
func (d *Document) sizeEstimate(subsets []fontSubset) int {
	n := 4 << 10
	for _, s := range subsets {
		n += len(s.packed) + len(s.cidToGID) + 8*len(s.cids) + 2<<10
	}
	for _, img := range d.images {
		n += len(img.data) + 512
		if img.smask != nil {
			n += len(img.smask.data) + 512
		}
	}
	for _, p := range d.pages {
		n += len(p.content)/2 + 512
	}
	return n
}

func (d *Document) writeCatalog(w *writer, l layout) {
	b := fmt.Appendf(nil, "<< /Type /Catalog /Pages %d 0 R", pagesObj)
	if d.info.Lang != "" {
		b = append(b, " /Lang "...)
		b = appendText(b, d.info.Lang)
	}
	b = d.catalogExtras(b, l)
	w.dictObj(catalogObj, append(b, " >>"...))

	b = append(b[:0], "<< /Type /Pages /Kids ["...)
	for i, obj := range l.page {
		if i > 0 {
			b = append(b, ' ')
		}
		b = fmt.Appendf(b, "%d 0 R", obj)
	}
	w.dictObj(pagesObj, fmt.Appendf(b, "] /Count %d >>", len(l.page)))
}

func (d *Document) infoDict() []byte {
	b := []byte("<<")
	for _, e := range []struct{ key, value string }{
		{"Title", d.info.Title}, {"Author", d.info.Author}, {"Creator", d.info.Creator},
	} {
		if e.value != "" {
			b = append(b, " /"+e.key+" "...)
			b = appendText(b, e.value)
		}
	}
	if !d.info.Date.IsZero() {
		date := d.info.Date.UTC().Format("(D:20060102150405Z)")
		b = append(b, " /CreationDate "+date+" /ModDate "+date...)
	}
	if d.archival {
		// The XMP states the producer; PDF/A wants Info to say the same.
		b = append(b, " /Producer ("+producer+")"...)
	}
	return append(b, " >>"...)
}

// writeResources writes the one resource dictionary that every page shares.
func (d *Document) writeResources(w *writer, l layout) {
	b := []byte("<<")
	if len(d.fonts) > 0 {
		b = append(b, " /Font <<"...)
		for i := range d.fonts {
			b = fmt.Appendf(b, " /F%d %d 0 R", i+1, l.font[i])
		}
		b = append(b, " >>"...)
	}
	if len(d.images) > 0 {
		b = append(b, " /XObject <<"...)
		for i := range d.images {
			b = fmt.Appendf(b, " /Im%d %d 0 R", i+1, l.image[i])
		}
		b = append(b, " >>"...)
	}
	w.dictObj(resourcesObj, append(b, " >>"...))
}

// toUnicode is the compressed ToUnicode CMap of the CIDs drawn in the
// fonts of cs.
func (d *Document) toUnicode(cs *Charset) []byte {
	used := newCIDSet(cs)
	for i, f := range d.fonts {
		if f.charset == cs {
			used.union(d.used[i])
		}
	}
	return deflated(cs.toUnicodeCMap(used.list()))
}

// font writes the five objects of the subset s from obj on.
func (w *writer) font(obj, toUnicode int, s *fontSubset) {
	cidFont, descriptor, program, cidToGID := obj+1, obj+2, obj+3, obj+4
	b := append([]byte("<< /Type /Font /Subtype /Type0 /BaseFont /"), s.name...)
	w.dictObj(obj, fmt.Appendf(b, " /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cidFont, toUnicode))

	b = append(b[:0], "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /"...)
	b = append(b, s.name...)
	b = fmt.Appendf(b, " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap %d 0 R",
		descriptor, cidToGID)
	w.dictObj(cidFont, append(s.appendWidths(b), " >>"...))

	b = append(b[:0], "<< /Type /FontDescriptor /FontName /"...)
	b = append(b, s.name...)
	b = append(b, s.font.descriptorTail...)
	w.dictObj(descriptor, fmt.Appendf(b, " /FontFile2 %d 0 R >>", program))
	w.streamObj(program, fmt.Sprintf(" /Length1 %d /Filter /FlateDecode", s.length), s.packed)
	w.streamObj(cidToGID, " /Filter /FlateDecode", s.cidToGID)
}

// image writes img at obj, and its soft mask at obj+1.
func (w *writer) image(obj int, img *Image) {
	dict := " " + string(img.dict)
	if img.smask != nil {
		dict += fmt.Sprintf(" /SMask %d 0 R", obj+1)
	}
	w.streamObj(obj, dict, img.data)
	if img.smask != nil {
		w.streamObj(obj+1, " "+string(img.smask.dict), img.smask.data)
	}
}

// writeTrailer writes the cross-reference table and the trailer. The ID is
// a digest of the content, so that equal documents get equal IDs.
func (w *writer) writeTrailer(size int, id []byte) {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	var entry []byte
	for _, off := range w.offsets[1:] {
		entry = strconv.AppendInt(entry[:0], int64(off), 10)
		for range 10 - len(entry) {
			w.buf.WriteByte('0')
		}
		w.buf.Write(entry)
		w.buf.WriteString(" 00000 n \n")
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		size, catalogObj, infoObj, id, id, xref)
}
