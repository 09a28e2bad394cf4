package pdfdoc

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// trueType is a TrueType font file split into the parts that a subset and
// the PDF font dictionaries are made from. Its slices point into the file.
type trueType struct {
	tables     map[string][]byte
	unitsPerEm int
	// glyphs holds each glyph's outline by glyph id; an empty glyph (a
	// space) has none.
	glyphs [][]byte
	// advances and bearings hold each glyph's advance width and left side
	// bearing in font units.
	advances, bearings []int
	// refs holds, for each composite glyph, the offsets in its outline of
	// the glyph ids of its components; a simple glyph has none.
	refs [][]int
}

// errMalformedFont is wrapped by every error about a font file that cannot
// be read.
var errMalformedFont = errors.New("malformed TrueType font")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errMalformedFont}, args...)...)
}

func u16(b []byte) int { return int(binary.BigEndian.Uint16(b)) }
func i16(b []byte) int { return int(int16(binary.BigEndian.Uint16(b))) }
func u32(b []byte) int { return int(binary.BigEndian.Uint32(b)) }

// parseTrueType reads the table directory and the glyph and metrics tables
// of a TrueType (glyf-based) font.
func parseTrueType(b []byte) (*trueType, error) {
	if len(b) < 12 {
		return nil, malformed("%d bytes", len(b))
	}
	switch binary.BigEndian.Uint32(b) {
	case 0x00010000, 0x74727565: // version 1.0, or "true"
	default:
		return nil, malformed("not a TrueType outline font")
	}
	n := u16(b[4:])
	if len(b) < 12+16*n {
		return nil, malformed("truncated table directory")
	}
	t := &trueType{tables: make(map[string][]byte, n)}
	for i := range n {
		rec := b[12+16*i:]
		off, length := u32(rec[8:]), u32(rec[12:])
		if off > len(b) || length > len(b)-off {
			return nil, malformed("table %q out of the file", rec[:4])
		}
		t.tables[string(rec[:4])] = b[off : off+length]
	}
	for _, tag := range []string{"head", "hhea", "hmtx", "maxp", "loca", "glyf"} {
		if t.tables[tag] == nil {
			return nil, malformed("no %s table", tag)
		}
	}
	head, hhea, maxp := t.tables["head"], t.tables["hhea"], t.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return nil, malformed("short head, hhea or maxp table")
	}
	t.unitsPerEm = u16(head[18:])
	if t.unitsPerEm == 0 {
		return nil, malformed("zero units per em")
	}
	numGlyphs := u16(maxp[4:])
	if err := t.readAdvances(numGlyphs, u16(hhea[34:])); err != nil {
		return nil, err
	}
	if err := t.readGlyphs(numGlyphs, i16(head[50:]) == 1); err != nil {
		return nil, err
	}
	if err := t.readComponents(); err != nil {
		return nil, err
	}
	return t, nil
}

// readAdvances reads hmtx: the first numMetrics glyphs have their own
// advance and bearing, the others repeat the last advance and have a
// bearing each after them.
func (t *trueType) readAdvances(numGlyphs, numMetrics int) error {
	hmtx := t.tables["hmtx"]
	if numMetrics == 0 || numMetrics > numGlyphs || len(hmtx) < 4*numMetrics+2*(numGlyphs-numMetrics) {
		return malformed("hmtx does not match hhea")
	}
	t.advances = make([]int, numGlyphs)
	t.bearings = make([]int, numGlyphs)
	for g := range numGlyphs {
		t.advances[g] = u16(hmtx[4*min(g, numMetrics-1):])
		if g < numMetrics {
			t.bearings[g] = i16(hmtx[4*g+2:])
		} else {
			t.bearings[g] = i16(hmtx[4*numMetrics+2*(g-numMetrics):])
		}
	}
	return nil
}

// readGlyphs cuts glyf into glyphs with the offsets in loca.
func (t *trueType) readGlyphs(numGlyphs int, long bool) error {
	loca, glyf := t.tables["loca"], t.tables["glyf"]
	offset := func(i int) int {
		if long {
			return u32(loca[4*i:])
		}
		return 2 * u16(loca[2*i:])
	}
	if (long && len(loca) < 4*(numGlyphs+1)) || (!long && len(loca) < 2*(numGlyphs+1)) {
		return malformed("loca shorter than maxp's glyph count")
	}
	t.glyphs = make([][]byte, numGlyphs)
	for g := range numGlyphs {
		start, end := offset(g), offset(g+1)
		if start > end || end > len(glyf) {
			return malformed("glyph %d out of glyf", g)
		}
		if end-start >= 10 {
			t.glyphs[g] = glyf[start:end]
		}
	}
	return nil
}

// Flags of a composite glyph's component record.
const (
	compArgsAreWords   = 0x0001
	compHaveScale      = 0x0008
	compMoreComponents = 0x0020
	compHaveXYScale    = 0x0040
	compHaveTwoByTwo   = 0x0080
)

// readComponents finds the components of every composite glyph, so that
// subsetting, which happens for every document, has nothing left to check.
func (t *trueType) readComponents() error {
	t.refs = make([][]int, len(t.glyphs))
	for g, data := range t.glyphs {
		refs, err := componentRefs(data)
		if err != nil {
			return fmt.Errorf("glyph %d: %w", g, err)
		}
		for _, at := range refs {
			if c := u16(data[at:]); c >= len(t.glyphs) {
				return malformed("glyph %d has component %d, out of range", g, c)
			}
		}
		t.refs[g] = refs
	}
	return nil
}

// components returns the glyph ids that glyph g is built from; a simple
// glyph has none.
func (t *trueType) components(g int) []int {
	ids := make([]int, len(t.refs[g]))
	for i, at := range t.refs[g] {
		ids[i] = u16(t.glyphs[g][at:])
	}
	return ids
}

// componentRefs returns the offsets in a composite glyph's outline of the
// glyph ids of its components; a simple glyph has none.
func componentRefs(g []byte) ([]int, error) {
	if len(g) < 10 || i16(g) >= 0 {
		return nil, nil
	}
	var refs []int
	for p := 10; ; {
		if p+4 > len(g) {
			return nil, malformed("truncated composite glyph")
		}
		flags := u16(g[p:])
		refs = append(refs, p+2)
		p += 4
		if flags&compArgsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&compHaveScale != 0:
			p += 2
		case flags&compHaveXYScale != 0:
			p += 4
		case flags&compHaveTwoByTwo != 0:
			p += 8
		}
		if flags&compMoreComponents == 0 {
			return refs, nil
		}
	}
}
