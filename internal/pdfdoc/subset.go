package pdfdoc

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// copiedTables are the tables a subset takes from the font unchanged. cvt,
// fpgm and prep are the hinting programs that the glyphs' instructions call,
// which PDF requires of an embedded TrueType font; the layout tables (kern,
// GPOS, GSUB) and the names are left out, since a PDF positions every glyph
// itself and names its fonts in its own dictionaries.
var copiedTables = []string{"OS/2", "cvt ", "fpgm", "hhea", "hmtx", "maxp", "prep"}

// subset builds a TrueType font program with the glyphs of gids, the glyphs
// that those are composed of, and .notdef. Glyphs keep their ids, so that
// hmtx and composite glyphs need no renumbering: the glyphs left out are
// empty. Its cmap maps runes[i] to gids[i] only.
func (t *trueType) subset(runes []rune, gids []int) ([]byte, error) {
	keep := make([]bool, len(t.glyphs))
	var mark func(g int) error
	mark = func(g int) error {
		if g >= len(keep) {
			return malformed("glyph %d out of range", g)
		}
		if keep[g] {
			return nil
		}
		keep[g] = true
		parts, err := components(t.glyphs[g])
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := mark(p); err != nil {
				return err
			}
		}
		return nil
	}
	for _, g := range append([]int{0}, gids...) {
		if err := mark(g); err != nil {
			return nil, err
		}
	}

	tables := map[string][]byte{}
	for _, tag := range copiedTables {
		if b := t.tables[tag]; b != nil {
			tables[tag] = b
		}
	}
	tables["glyf"], tables["loca"] = t.glyfAndLoca(keep)
	tables["head"] = t.subsetHead()
	cmap, err := cmapFormat4(runes, gids)
	if err != nil {
		return nil, err
	}
	tables["cmap"] = cmap
	if post := t.tables["post"]; len(post) >= 32 {
		tables["post"] = postFormat3(post)
	}
	return assembleFont(tables), nil
}

// glyfAndLoca lays out the kept glyphs, each padded to four bytes, with
// long offsets.
func (t *trueType) glyfAndLoca(keep []bool) (glyf, loca []byte) {
	loca = make([]byte, 0, 4*(len(t.glyphs)+1))
	for g, data := range t.glyphs {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		if keep[g] {
			glyf = append(glyf, data...)
			glyf = append(glyf, make([]byte, pad4(len(data)))...)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
	return glyf, loca
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
func cmapFormat4(runes []rune, gids []int) ([]byte, error) {
	type segment struct{ start, end, delta int }
	var segs []segment
	for i, r := range runes {
		if r > 0xfffe {
			return nil, malformed("rune %U outside the BMP", r)
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
	return b, nil
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
func assembleFont(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, data := range tables {
		tags = append(tags, tag)
		size += len(data) + pad4(len(data))
	}
	slices.Sort(tags)

	n := len(tags)
	searchRange := 16 << (bits.Len(uint(n)) - 1)
	out := make([]byte, 0, size)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	out = appendU16s(out, n, searchRange, bits.Len(uint(n))-1, 16*n-searchRange)
	offset := 12 + 16*n
	headAt := 0
	for _, tag := range tags {
		data := tables[tag]
		if tag == "head" {
			headAt = offset
		}
		out = append(out, tag...)
		out = binary.BigEndian.AppendUint32(out, checksum(data))
		out = binary.BigEndian.AppendUint32(out, uint32(offset))
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		offset += len(data) + pad4(len(data))
	}
	for _, tag := range tags {
		data := tables[tag]
		out = append(out, data...)
		out = append(out, make([]byte, pad4(len(data)))...)
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
