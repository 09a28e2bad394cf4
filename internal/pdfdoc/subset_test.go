package pdfdoc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// drawnText is the text the subset tests draw: accents, ñ, ß, the euro
// sign, and a rune twice.
const drawnText = "Factura Straße ñÑ áéíóú € 1.234,56"

// subsetOf subsets f for the runes of s and returns the subset and its
// program, uncompressed.
func subsetOf(t *testing.T, f *Font, s string) (fontSubset, []byte) {
	t.Helper()
	used := newCIDSet(f.charset)
	for _, r := range s {
		used.add(f.charset.cid(r))
	}
	sub := f.subset(used)
	program := inflate(t, sub.packed)
	if len(program) != sub.length {
		t.Errorf("the program is %d bytes, /Length1 says %d", len(program), sub.length)
	}
	return sub, program
}

// Every glyph drawn keeps its exact outline and advance in the subset, under
// a new id that the CIDToGIDMap and the subset's cmap both give.
func TestSubsetKeepsTheGlyphsDrawn(t *testing.T) {
	_, regular, _ := testFonts(t)
	sub, program := subsetOf(t, regular, drawnText)
	orig, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	subFont, err := sfnt.Parse(program)
	if err != nil {
		t.Fatalf("the subset does not parse: %v", err)
	}
	cidToGID := inflate(t, sub.cidToGID)
	var b1, b2 sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range drawnText {
		g1, _ := orig.GlyphIndex(&b1, r)
		g2, err := subFont.GlyphIndex(&b2, r)
		if err != nil || g2 == 0 {
			t.Errorf("%q: no glyph in the subset (%v)", r, err)
			continue
		}
		if cid := int(regular.charset.cid(r)); int(binary.BigEndian.Uint16(cidToGID[2*cid:])) != int(g2) {
			t.Errorf("%q: the CIDToGIDMap gives glyph %d, the cmap %d", r, binary.BigEndian.Uint16(cidToGID[2*cid:]), g2)
		}
		s1, err1 := orig.LoadGlyph(&b1, g1, ppem, nil)
		s2, err2 := subFont.LoadGlyph(&b2, g2, ppem, nil)
		if err1 != nil || err2 != nil || !reflect.DeepEqual(s1, s2) {
			t.Errorf("%q: the outline differs in the subset (%v, %v)", r, err1, err2)
		}
		a1, _ := orig.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
		a2, _ := subFont.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
		if a1 != a2 {
			t.Errorf("%q: advance %v in the subset, %v in the font", r, a2, a1)
		}
	}
	distinct := map[rune]bool{}
	for _, r := range drawnText {
		distinct[r] = true
	}
	if got, want := subFont.NumGlyphs(), len(distinct)+1; got != want {
		t.Errorf("the subset has %d glyphs, want %d: .notdef and one a rune drawn", got, want)
	}
	if g, _ := subFont.GlyphIndex(&b2, 'Z'); g != 0 {
		t.Errorf("the subset maps Z, which is not drawn, to glyph %d", g)
	}
}

func TestSubsetKeepsOnlyTheTablesAPDFUses(t *testing.T) {
	_, regular, _ := testFonts(t)
	_, program := subsetOf(t, regular, drawnText)
	sub, err := parseTrueType(program)
	if err != nil {
		t.Fatal(err)
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

// Subsets of different glyphs get different tags, and the same glyphs the
// same tag, which names the font as a subset.
func TestSubsetTags(t *testing.T) {
	_, regular, bold := testFonts(t)
	a, _ := subsetOf(t, regular, "Factura")
	b, _ := subsetOf(t, regular, "Factura")
	c, _ := subsetOf(t, regular, "Total")
	d, _ := subsetOf(t, bold, "Factura")
	tag := regexp.MustCompile(`^[A-Z]{6}\+GoRegular$`)
	if !tag.Match(a.name) {
		t.Errorf("subset name %q", a.name)
	}
	if string(a.name) != string(b.name) || string(a.name) == string(c.name) || string(a.name[:6]) == string(d.name[:6]) {
		t.Errorf("tags %q %q %q %q", a.name, b.name, c.name, d.name)
	}
}

// The checksums in the table directory and head's adjustment make the
// subset a valid font file, which strict readers check.
func TestSubsetChecksums(t *testing.T) {
	_, regular, _ := testFonts(t)
	_, p := subsetOf(t, regular, drawnText)
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

// A composite glyph is drawn from other glyphs, which the subset must keep,
// renumbered, even when no rune maps to them. The Go fonts have none, so the glyphs here
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

	if err := tt.readComponents(); err != nil {
		t.Fatal(err)
	}
	if parts := tt.components(3); !reflect.DeepEqual(parts, []int{5, 6}) {
		t.Fatalf("components = %v, want [5 6]", parts)
	}
	program, newGIDs := tt.subset([]rune{'A'}, []int{3})
	if !reflect.DeepEqual(newGIDs, []int{1}) {
		t.Errorf("glyph 3 is now %v, want 1", newGIDs)
	}
	sub, err := parseTrueType(program)
	if err != nil {
		t.Fatal(err)
	}
	// .notdef, the composite, then its components in order.
	if len(sub.glyphs) != 4 || !bytes.Equal(sub.glyphs[2], simple) || !bytes.Equal(sub.glyphs[3], simple) {
		t.Fatalf("the subset has %d glyphs, want .notdef, the composite and its two components", len(sub.glyphs))
	}
	if parts := sub.components(1); !reflect.DeepEqual(parts, []int{2, 3}) {
		t.Errorf("the composite's components are %v in the subset, want [2 3]", parts)
	}
	if _, err := componentRefs(composite[:16]); !errors.Is(err, errMalformedFont) {
		t.Errorf("a truncated composite gave %v", err)
	}
}

// What a document draws with Stamp alone is in its subset like any other
// text; a rune outside the charset adds nothing to it, since it prints as
// .notdef, which every subset has.
func TestSubsetsHoldWhatTheDocumentDraws(t *testing.T) {
	_, regular, bold := testFonts(t)
	d := New(Info{})
	p := d.AddPage()
	p.SetFont(regular, 10)
	p.Text(20, 20, "漢")
	p.Stamp(bold, 100, Color{200, 0, 0}, 55, "ANULADA")
	if doc := d.Bytes(); !bytes.Contains(doc, []byte("+Go-Bold")) {
		t.Fatal("the document does not embed the bold subset")
	}
	var buf sfnt.Buffer
	for i, want := range map[int]string{0: "", 1: "ANULD"} {
		sub := d.fonts[i].subset(d.used[i])
		font, err := sfnt.Parse(inflate(t, sub.packed))
		if err != nil {
			t.Fatal(err)
		}
		if font.NumGlyphs() != len(want)+1 {
			t.Errorf("%s: %d glyphs, want %d", sub.name, font.NumGlyphs(), len(want)+1)
		}
		for _, r := range want {
			if g, err := font.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("%s has no glyph for %q", sub.name, r)
			}
		}
	}
}
