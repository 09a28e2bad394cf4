package pdfdoc

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"

	"golang.org/x/image/font/sfnt"
)

// Font is a TrueType font prepared for embedding: a subset holding the
// glyphs of a Charset, compressed, with the widths and dictionaries that
// every document repeats. A Font is immutable and may be used by any number
// of documents at once.
//
// It is embedded as a Type0 font with Identity-H encoding over a
// CIDFontType2 font: each character is written as its two-byte CID, and a
// CIDToGIDMap takes it to the glyph.
type Font struct {
	charset *Charset
	// name is the PostScript name with the subset tag, as a PDF name.
	name []byte
	// widths holds the advance of each CID in thousandths of an em, as PDF
	// widths are given; index 0 is .notdef.
	widths []int
	// program is the subset font program; packed is it compressed.
	program, packed []byte
	// cidToGID is the compressed CIDToGIDMap stream.
	cidToGID []byte
	// cidFontTail and descriptorHead are the constant parts of the CIDFont
	// and FontDescriptor dictionaries, which only lack object numbers.
	cidFontTail, descriptorHead []byte
}

// NewFont prepares the TrueType font ttf for the runes of cs, which it must
// all have a glyph for. It is meant to run once per font and process: it
// subsets and compresses the font program.
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
	gids := make([]int, len(cs.runes))
	for i, r := range cs.runes {
		g, err := parsed.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			return nil, fmt.Errorf("pdfdoc: the font has no glyph for %U", r)
		}
		gids[i] = int(g)
	}
	program, err := tt.subset(cs.runes, gids)
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	psName, err := parsed.Name(&buf, sfnt.NameIDPostScript)
	if err != nil || psName == "" {
		return nil, fmt.Errorf("pdfdoc: the font has no PostScript name")
	}

	f := &Font{charset: cs, program: program, packed: deflateBest(program)}
	f.name = appendName(nil, subsetTag(program)+"+"+psName)
	f.widths = make([]int, len(gids)+1)
	f.widths[0] = tt.emThousandths(tt.advances[0])
	cidToGID := make([]byte, 2, 2*len(f.widths))
	for i, g := range gids {
		f.widths[i+1] = tt.emThousandths(tt.advances[g])
		cidToGID = binary.BigEndian.AppendUint16(cidToGID, uint16(g))
	}
	f.cidToGID = deflateBest(cidToGID)
	f.cidFontTail = f.appendCIDFontTail(nil)
	f.descriptorHead = f.appendDescriptorHead(nil, tt)
	return f, nil
}

// Program returns the embedded font program, uncompressed. The caller must
// not change it.
func (f *Font) Program() []byte { return f.program }

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

// appendCIDFontTail writes the end of the CIDFont dictionary, after its
// FontDescriptor and CIDToGIDMap references: the default width (.notdef's)
// and the widths of every CID, as one run from CID 1.
func (f *Font) appendCIDFontTail(b []byte) []byte {
	b = fmt.Appendf(b, " /DW %d /W [1 [", f.widths[0])
	for i, w := range f.widths[1:] {
		if i > 0 {
			b = append(b, ' ')
		}
		b = fmt.Appendf(b, "%d", w)
	}
	return append(b, "]] >>"...)
}

// Font descriptor flags.
const (
	flagFixedPitch  = 1 << 0
	flagNonsymbolic = 1 << 5
	flagItalic      = 1 << 6
)

// appendDescriptorHead writes the FontDescriptor dictionary up to its
// FontFile2 reference, from head, hhea, OS/2 and post.
func (f *Font) appendDescriptorHead(b []byte, tt *trueType) []byte {
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
	b = append(b, "<< /Type /FontDescriptor /FontName /"...)
	b = append(b, f.name...)
	b = fmt.Appendf(b, " /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s",
		flags, tt.emThousandths(i16(head[36:])), tt.emThousandths(i16(head[38:])),
		tt.emThousandths(i16(head[40:])), tt.emThousandths(i16(head[42:])),
		appendFixed(nil, italicAngle, 2))
	return fmt.Appendf(b, " /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth %d",
		tt.emThousandths(ascent), tt.emThousandths(descent), tt.emThousandths(capHeight), stemV, f.widths[0])
}
