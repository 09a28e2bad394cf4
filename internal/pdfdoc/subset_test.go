package pdfdoc

import (
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Every glyph of the charset keeps its id and its exact outline in the
// subset.
func TestSubsetKeepsTheCharsetGlyphs(t *testing.T) {
	cs, regular, _ := testFonts(t)
	orig, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := sfnt.Parse(regular.Program())
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range cs.runes {
		g1, _ := orig.GlyphIndex(&b1, r)
		g2, err := sub.GlyphIndex(&b2, r)
		if err != nil || g2 != g1 {
			t.Errorf("%q: glyph %d in the subset, %d in the font (%v)", r, g2, g1, err)
			continue
		}
		s1, err1 := orig.LoadGlyph(&b1, g1, ppem, nil)
		s2, err2 := sub.LoadGlyph(&b2, g2, ppem, nil)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(s1, s2) {
			t.Errorf("%q: the outline differs in the subset (%v, %v)", r, err1, err2)
		}
		a1, _ := orig.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
		a2, _ := sub.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
		if a1 != a2 {
			t.Errorf("%q: advance %v in the subset, %v in the font", r, a2, a1)
		}
	}
	if g, _ := sub.GlyphIndex(&b2, 'Я'); g != 0 {
		t.Errorf("the subset maps a rune outside the charset to glyph %d", g)
	}
}

func TestSubsetLeavesOutOtherGlyphs(t *testing.T) {
	_, regular, _ := testFonts(t)
	orig, _ := parseTrueType(goregular.TTF)
	sub, err := parseTrueType(regular.Program())
	if err != nil {
		t.Fatal(err)
	}
	var b sfnt.Buffer
	f, _ := sfnt.Parse(goregular.TTF)
	g, _ := f.GlyphIndex(&b, 'Я')
	if orig.glyphs[g] == nil || sub.glyphs[g] != nil {
		t.Errorf("glyph %d (Я) is %d bytes in the font and %d in the subset, want it dropped",
			g, len(orig.glyphs[g]), len(sub.glyphs[g]))
	}
	for _, tag := range []string{"cvt ", "fpgm", "prep", "glyf", "loca", "head", "hhea", "hmtx", "maxp", "cmap"} {
		if sub.tables[tag] == nil {
			t.Errorf("the subset lacks the %q table", tag)
		}
	}
	if sub.tables["name"] != nil || sub.tables["GPOS"] != nil {
		t.Error("the subset keeps tables a PDF does not use")
	}
}

// The checksums in the table directory and head's adjustment make the
// subset a valid font file, which strict readers check.
func TestSubsetChecksums(t *testing.T) {
	_, regular, _ := testFonts(t)
	p := regular.Program()
	if got := checksum(p); got != 0xb1b0afba {
		t.Errorf("the font's checksum is %#x, want 0xb1b0afba", got)
	}
	n := u16(p[4:])
	for i := range n {
		rec := p[12+16*i:]
		off, length := u32(rec[8:]), u32(rec[12:])
		data := p[off : off+length]
		if string(rec[:4]) == "head" {
			data = append([]byte(nil), data...)
			binary.BigEndian.PutUint32(data[8:], 0)
		}
		if got := checksum(data); got != binary.BigEndian.Uint32(rec[4:]) {
			t.Errorf("table %q: checksum %#x, directory says %#x", rec[:4], got, binary.BigEndian.Uint32(rec[4:]))
		}
		if off%4 != 0 {
			t.Errorf("table %q is not four-byte aligned", rec[:4])
		}
	}
}

func TestNewFontRefusesMissingGlyphs(t *testing.T) {
	cs, err := NewCharset([]rune{'A', '漢'})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewFont(goregular.TTF, cs); err == nil {
		t.Error("a font without a glyph for 漢 was accepted")
	}
	if _, err := parseTrueType([]byte("OTTO not a TrueType font")); !errors.Is(err, errMalformedFont) {
		t.Errorf("a CFF font gave %v", err)
	}
}

func TestWidthsAreInThousandthsOfAnEm(t *testing.T) {
	_, regular, bold := testFonts(t)
	f, _ := sfnt.Parse(goregular.TTF)
	var b sfnt.Buffer
	g, _ := f.GlyphIndex(&b, 'W')
	adv, _ := f.GlyphAdvance(&b, g, fixed.I(int(f.UnitsPerEm())), font.HintingNone)
	want := int((float64(adv)/64)*1000/float64(f.UnitsPerEm()) + 0.5)
	if got := regular.RuneWidth('W'); got != want {
		t.Errorf("width of W = %d, want %d", got, want)
	}
	if reflect.DeepEqual(regular.widths, bold.widths) {
		t.Error("the bold font has the regular widths")
	}
	// 10 pt is 3.5278 mm; "WW" is twice W.
	if got, want := regular.Width("WW", 10), 2*float64(want)*10/ptPerMM/1000; got != want {
		t.Errorf("Width(WW) = %v mm, want %v", got, want)
	}
}

// A composite glyph is drawn from other glyphs, which the subset must keep
// even when no rune maps to them. The Go fonts have none, so the glyphs here
// are made up: glyph 3 is a composite of glyph 5 (word arguments and a
// scale) and glyph 6 (byte arguments and a two-by-two matrix).
func TestSubsetKeepsTheComponentsOfCompositeGlyphs(t *testing.T) {
	tt, err := parseTrueType(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	simple := []byte{0, 1, 0, 0, 0, 0, 0, 10, 0, 10, 0, 0, 0, 0, 1, 0}
	composite := []byte{0xff, 0xff, 0, 0, 0, 0, 0, 10, 0, 10}
	composite = appendU16s(composite, compArgsAreWords|compHaveScale|compMoreComponents, 5, 0, 0, 0x4000)
	composite = appendU16s(composite, compHaveTwoByTwo, 6, 0, 0x4000, 0, 0, 0x4000)
	tt.glyphs = [][]byte{simple, simple, simple, composite, simple, simple, simple, simple}
	n := len(tt.glyphs)
	tt.advances = tt.advances[:n]
	maxp, hhea := slices.Clone(tt.tables["maxp"]), slices.Clone(tt.tables["hhea"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	tt.tables["maxp"], tt.tables["hhea"], tt.tables["hmtx"] = maxp, hhea, tt.tables["hmtx"][:4*n]

	parts, err := components(composite)
	if err != nil || !reflect.DeepEqual(parts, []int{5, 6}) {
		t.Fatalf("components = %v, %v; want [5 6]", parts, err)
	}
	program, err := tt.subset([]rune{'A'}, []int{3})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := parseTrueType(program)
	if err != nil {
		t.Fatal(err)
	}
	for g, want := range []bool{true, false, false, true, false, true, true, false} {
		if kept := sub.glyphs[g] != nil; kept != want {
			t.Errorf("glyph %d kept = %v, want %v", g, kept, want)
		}
	}
	if _, err := components(composite[:16]); !errors.Is(err, errMalformedFont) {
		t.Errorf("a truncated composite gave %v", err)
	}
}
