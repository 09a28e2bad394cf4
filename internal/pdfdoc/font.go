package pdfdoc

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"golang.org/x/image/font/sfnt"
)

// Font is a TrueType font prepared for embedding: its glyphs and widths for
// the runes of a Charset, read once. A Font is immutable and may be used by
// any number of documents at once; each document embeds a subset of it
// holding only the glyphs its text uses.
//
// It is embedded as a Type0 font with Identity-H encoding over a
// CIDFontType2 font: each character is written as its two-byte CID, and a
// CIDToGIDMap takes it to the glyph in the subset.
type Font struct {
	charset *Charset
	tt      *trueType
	// psName is the PostScript name, which the subset tag prefixes.
	psName string
	// gids holds the font's glyph id of each CID, and widths its advance in
	// thousandths of an em, as PDF widths are given; index 0 is .notdef.
	gids, widths []int
	// descriptorTail is the FontDescriptor dictionary after its FontName,
	// up to its FontFile2 reference: the same for every subset.
	descriptorTail []byte
}

// NewFont prepares the TrueType font ttf for the runes of cs, which it must
// all have a glyph for. It is meant to run once per font and process.
func NewFont(ttf []byte, cs *Charset) (*Font, error) {
	parsed, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	tt, err := parseTrueType(ttf)
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	var buf sfnt.Buffer
	f := &Font{charset: cs, tt: tt, gids: make([]int, len(cs.runes)+1), widths: make([]int, len(cs.runes)+1)}
	for i, r := range cs.runes {
		g, err := parsed.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			return nil, fmt.Errorf("pdfdoc: the font has no glyph for %U", r)
		}
		f.gids[i+1] = int(g)
	}
	for cid, g := range f.gids {
		f.widths[cid] = tt.emThousandths(tt.advances[g])
	}
	if f.psName, err = parsed.Name(&buf, sfnt.NameIDPostScript); err != nil || f.psName == "" {
		return nil, fmt.Errorf("pdfdoc: the font has no PostScript name")
	}
	f.descriptorTail = f.appendDescriptorTail(nil)
	return f, nil
}

// RuneWidth returns the advance of r in thousandths of an em; a rune outside
// the Charset takes the width of .notdef, which it prints as.
func (f *Font) RuneWidth(r rune) int {
	return f.widths[f.charset.cid(r)]
}

// Width returns the width of s set at size points, in millimetres.
func (f *Font) Width(s string, size float64) float64 {
	w := 0
	for _, r := range s {
		w += f.RuneWidth(r)
	}
	return float64(w) * size / ptPerMM / 1000
}

// fontSubset is what a document embeds of a Font: the glyphs of the CIDs
// its text uses.
type fontSubset struct {
	font *Font
	// cids are the CIDs drawn, ascending, without .notdef's 0.
	cids []int
	// name is the PostScript name with the subset tag, as a PDF name.
	name []byte
	// length is the size of the font program; packed is it compressed.
	length int
	packed []byte
	// cidToGID is the compressed CIDToGIDMap stream.
	cidToGID []byte
}

// subset builds the font program of the CIDs in used, and the map from
// those CIDs to its glyphs.
func (f *Font) subset(used cidSet) fontSubset {
	cids := used.list()
	runes := make([]rune, len(cids))
	gids := make([]int, len(cids))
	for i, cid := range cids {
		runes[i], gids[i] = f.charset.runes[cid-1], f.gids[cid]
	}
	program, newGIDs := f.tt.subset(runes, gids)
	s := fontSubset{font: f, cids: cids, length: len(program)}
	s.name = appendName(nil, subsetTag(program)+"+"+f.psName)
	s.packed = deflated(program)
	last := 0
	if len(cids) > 0 {
		last = cids[len(cids)-1]
	}
	cidToGID := make([]byte, 2*(last+1))
	for i, cid := range cids {
		binary.BigEndian.PutUint16(cidToGID[2*cid:], uint16(newGIDs[i]))
	}
	s.cidToGID = deflated(cidToGID)
	return s
}

// emThousandths converts font units to thousandths of an em, rounded.
func (t *trueType) emThousandths(v int) int {
	return int(math.Round(float64(v) * 1000 / float64(t.unitsPerEm)))
}

// subsetTag is the six capital letters that prefix a subset font's name.
// PDF asks that different subsets get different tags; deriving the tag from
// the program keeps it the same from one process to the next.
func subsetTag(program []byte) string {
	sum := sha256.Sum256(program)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	return string(tag)
}

// appendWidths writes the CIDFont's default width (.notdef's) and the
// widths of the CIDs the subset draws, one array for each run of
// consecutive CIDs.
func (s *fontSubset) appendWidths(b []byte) []byte {
	b = fmt.Appendf(b, " /DW %d /W [", s.font.widths[0])
	prev := -1
	for _, cid := range s.cids {
		switch {
		case prev < 0:
			b = fmt.Appendf(b, "%d [%d", cid, s.font.widths[cid])
		case cid == prev+1:
			b = fmt.Appendf(b, " %d", s.font.widths[cid])
		default:
			b = fmt.Appendf(b, "] %d [%d", cid, s.font.widths[cid])
		}
		prev = cid
	}
	if prev >= 0 {
		b = append(b, ']')
	}
	return append(b, ']')
}

// Font descriptor flags.
const (
	flagFixedPitch  = 1 << 0
	flagNonsymbolic = 1 << 5
	flagItalic      = 1 << 6
)

// appendDescriptorTail writes the FontDescriptor dictionary's entries after
// its FontName and before its FontFile2 reference, from head, hhea, OS/2 and
// post.
func (f *Font) appendDescriptorTail(b []byte) []byte {
	tt := f.tt
	head, hhea := tt.tables["head"], tt.tables["hhea"]
	ascent, descent := i16(hhea[4:]), i16(hhea[6:])
	capHeight, weight := ascent, 400
	if os2 := tt.tables["OS/2"]; len(os2) >= 6 {
		weight = u16(os2[4:])
		if len(os2) >= 90 && u16(os2) >= 2 {
			capHeight = i16(os2[88:])
		}
	}
	flags, italicAngle := flagNonsymbolic, 0.0
	if post := tt.tables["post"]; len(post) >= 16 {
		italicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
		if italicAngle != 0 {
			flags |= flagItalic
		}
		if u32(post[12:]) != 0 {
			flags |= flagFixedPitch
		}
	}
	// StemV is only a hint for a viewer that substitutes the font; this
	// common estimate from the weight class is what such viewers expect.
	stemV := 50 + int(math.Pow(float64(weight)/65, 2))
	b = fmt.Appendf(b, " /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s",
		flags, tt.emThousandths(i16(head[36:])), tt.emThousandths(i16(head[38:])),
		tt.emThousandths(i16(head[40:])), tt.emThousandths(i16(head[42:])),
		appendFixed(nil, italicAngle, 2))
	return fmt.Appendf(b, " /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth %d",
		tt.emThousandths(ascent), tt.emThousandths(descent), tt.emThousandths(capHeight), stemV, f.widths[0])
}
