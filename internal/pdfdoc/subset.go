package pdfdoc

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
)

// copiedTables are the tables a subset takes from the font unchanged. cvt,
// fpgm and prep are the hinting programs that the glyphs' instructions call,
// which PDF requires of an embedded TrueType font; the layout tables (kern,
// GPOS, GSUB) and the names are left out, since a PDF positions every glyph
// itself and names its fonts in its own dictionaries.
var copiedTables = []string{"OS/2", "cvt ", "fpgm", "prep"}

// subset builds a TrueType font program with .notdef, the glyphs of gids
// and the glyphs that those are composed of, renumbered from 0 in that
// order. It returns the program and the new id of each of gids. Its cmap
// maps runes[i], which must be ascending, to the new id of gids[i].
func (t *trueType) subset(runes []rune, gids []int) (program []byte, newGIDs []int) {
	// newID is 0 for a glyph not kept yet, except for .notdef, which is
	// always glyph 0.
	newID := make([]uint16, len(t.glyphs))
	order := make([]int, 1, len(gids)+8)
	keep := func(g int) int {
		if g == 0 {
			return 0
		}
		if newID[g] == 0 {
			newID[g] = uint16(len(order))
			order = append(order, g)
		}
		return int(newID[g])
	}
	newGIDs = make([]int, len(gids))
	for i, g := range gids {
		newGIDs[i] = keep(g)
	}
	// Components join the end of order, where this loop reaches them in
	// turn: a component may itself be composite.
	for i := 0; i < len(order); i++ {
		for _, c := range t.components(order[i]) {
			keep(c)
		}
	}

	var glyf, loca, hmtx []byte
	size := 0
	for _, g := range order {
		size += len(t.glyphs[g]) + 3
	}
	glyf = make([]byte, 0, size)
	loca = make([]byte, 0, 4*(len(order)+1))
	hmtx = make([]byte, 0, 4*len(order))
	for _, g := range order {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, t.glyphs[g]...)
		for _, at := range t.refs[g] {
			c := binary.BigEndian.Uint16(glyf[start+at:])
			binary.BigEndian.PutUint16(glyf[start+at:], newID[c])
		}
		glyf = append(glyf, make([]byte, pad4(len(t.glyphs[g])))...)
		hmtx = appendU16s(hmtx, t.advances[g], t.bearings[g])
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	tables := make([]table, 0, len(copiedTables)+8)
	for _, tag := range copiedTables {
		if b := t.tables[tag]; b != nil {
			tables = append(tables, table{tag, b})
		}
	}
	hhea := slices.Clone(t.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := slices.Clone(t.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	tables = append(tables,
		table{"cmap", cmapFormat4(runes, newGIDs)},
		table{"glyf", glyf}, table{"head", t.subsetHead()}, table{"hhea", hhea},
		table{"hmtx", hmtx}, table{"loca", loca}, table{"maxp", maxp})
	if post := t.tables["post"]; len(post) >= 32 {
		tables = append(tables, table{"post", postFormat3(post)})
	}
	return assembleFont(tables), newGIDs
}

// table is one table of a font program.
type table struct {
	tag  string
	data []byte
}

// subsetHead is head with long loca offsets and the checksum adjustment
// cleared, to be set once the whole font is laid out.
func (t *trueType) subsetHead() []byte {
	head := slices.Clone(t.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)
	binary.BigEndian.PutUint16(head[50:], 1)
	return head
}

// postFormat3 keeps post's header (italic angle, underline, pitch) and drops
// the glyph names.
func postFormat3(post []byte) []byte {
	p := slices.Clone(post[:32])
	binary.BigEndian.PutUint32(p, 0x00030000)
	return p
}

// cmapFormat4 builds a cmap with one Windows Unicode BMP subtable mapping
// runes[i] to gids[i]; runes must be ascending. Each segment is a run of
// consecutive runes whose glyph ids differ from them by the same delta.
// U+FFFF, which closes the subtable, is left out: it is not a character.
func cmapFormat4(runes []rune, gids []int) []byte {
	type segment struct{ start, end, delta int }
	segs := make([]segment, 0, 16)
	for i, r := range runes {
		if r > 0xfffe {
			continue
		}
		delta := (gids[i] - int(r)) & 0xffff
		if n := len(segs); n > 0 && segs[n-1].end == int(r)-1 && segs[n-1].delta == delta {
			segs[n-1].end = int(r)
			continue
		}
		segs = append(segs, segment{int(r), int(r), delta})
	}
	// The closing segment that every format 4 subtable needs.
	segs = append(segs, segment{0xffff, 0xffff, 1})

	n := len(segs)
	searchRange := 2 << (bits.Len(uint(n)) - 1)
	length := 16 + 8*n
	b := make([]byte, 0, 12+length)
	b = appendU16s(b, 0, 1, 3, 1) // version, one subtable: platform 3, encoding 1
	b = binary.BigEndian.AppendUint32(b, 12)
	b = appendU16s(b, 4, length, 0, 2*n, searchRange, bits.Len(uint(searchRange/2))-1, 2*n-searchRange)
	for _, s := range segs {
		b = appendU16s(b, s.end)
	}
	b = appendU16s(b, 0)
	for _, s := range segs {
		b = appendU16s(b, s.start)
	}
	for _, s := range segs {
		b = appendU16s(b, s.delta)
	}
	for range segs {
		b = appendU16s(b, 0)
	}
	return b
}

func appendU16s(b []byte, vs ...int) []byte {
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, uint16(v))
	}
	return b
}

func pad4(n int) int { return (4 - n%4) % 4 }

// assembleFont writes the tables, sorted by tag, behind the table directory,
// and sets head's checksum adjustment.
func assembleFont(tables []table) []byte {
	slices.SortFunc(tables, func(a, b table) int { return strings.Compare(a.tag, b.tag) })
	size := 12 + 16*len(tables)
	for _, t := range tables {
		size += len(t.data) + pad4(len(t.data))
	}

	n := len(tables)
	searchRange := 16 << (bits.Len(uint(n)) - 1)
	out := make([]byte, 0, size)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	out = appendU16s(out, n, searchRange, bits.Len(uint(n))-1, 16*n-searchRange)
	offset := 12 + 16*n
	headAt := 0
	for _, t := range tables {
		data := t.data
		if t.tag == "head" {
			headAt = offset
		}
		out = append(out, t.tag...)
		out = binary.BigEndian.AppendUint32(out, checksum(data))
		out = binary.BigEndian.AppendUint32(out, uint32(offset))
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		offset += len(data) + pad4(len(data))
	}
	for _, t := range tables {
		out = append(out, t.data...)
		out = append(out, make([]byte, pad4(len(t.data)))...)
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xb1b0afba-checksum(out))
	return out
}

// checksum is the TrueType table checksum: the sum of the big-endian 32-bit
// words of data, zero-padded.
func checksum(data []byte) uint32 {
	var sum uint32
	for len(data) >= 4 {
		sum += binary.BigEndian.Uint32(data)
		data = data[4:]
	}
	if len(data) > 0 {
		var last [4]byte
		copy(last[:], data)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}
