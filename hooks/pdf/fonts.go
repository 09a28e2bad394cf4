package pdf

import (
	"strings"
	"sync"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// fontFamily is the name under which the embedded fonts are registered.
const fontFamily = "go"

// replacementRune stands in for a character the embedded fonts cannot draw.
const replacementRune = '?'

// coveredBlocks are the Unicode blocks kept from the Go fonts: the Latin,
// Greek and Cyrillic scripts of the EU's languages, plus punctuation, currency
// and letter-like symbols. Trimming the fonts to these blocks once makes each
// document's font parsing and subsetting cheaper.
var coveredBlocks = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0020, Hi: 0x007e, Stride: 1},
		{Lo: 0x00a0, Hi: 0x024f, Stride: 1},
		{Lo: 0x0370, Hi: 0x04ff, Stride: 1},
		{Lo: 0x1e00, Hi: 0x1eff, Stride: 1},
		{Lo: 0x2010, Hi: 0x205e, Stride: 1},
		{Lo: 0x20a0, Hi: 0x20bf, Stride: 1},
		{Lo: 0x2100, Hi: 0x214f, Stride: 1},
		{Lo: 0x2212, Hi: 0x2212, Stride: 1},
	},
}

// fontSet is the trimmed regular and bold fonts and the runes both can draw.
type fontSet struct {
	regular, bold []byte
	// covered is indexed by rune: a table is faster than a map on the path
	// every printed string takes.
	covered []bool
}

var (
	fontsOnce sync.Once
	fonts     fontSet
	fontsErr  error
)

// loadFonts trims the Go fonts to coveredBlocks, once per process.
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fonts.covered, fontsErr = drawableRunes(goregular.TTF, gobold.TTF)
		if fontsErr != nil {
			return
		}
		// In rune order, so the trimmed fonts are the same in every process.
		var cutset []rune
		for r, ok := range fonts.covered {
			if ok {
				cutset = append(cutset, rune(r))
			}
		}
		fonts.regular = fpdf.UTF8CutFont(goregular.TTF, string(cutset))
		fonts.bold = fpdf.UTF8CutFont(gobold.TTF, string(cutset))
	})
	return &fonts, fontsErr
}

// drawableRunes lists the runes of coveredBlocks that every given font has a
// glyph for.
func drawableRunes(ttfs ...[]byte) ([]bool, error) {
	parsed := make([]*sfnt.Font, len(ttfs))
	for i, ttf := range ttfs {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, err
		}
		parsed[i] = f
	}
	var buf sfnt.Buffer
	last := coveredBlocks.R16[len(coveredBlocks.R16)-1].Hi
	covered := make([]bool, last+1)
	for _, rg := range coveredBlocks.R16 {
		for r := rune(rg.Lo); r <= rune(rg.Hi); r++ {
			covered[r] = hasGlyphInAll(parsed, &buf, r)
		}
	}
	return covered, nil
}

func hasGlyphInAll(fonts []*sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	for _, f := range fonts {
		if gi, err := f.GlyphIndex(buf, r); err != nil || gi == 0 {
			return false
		}
	}
	return true
}

// registerFonts adds the trimmed fonts to a new document. It must run before
// any SetFont call, or fpdf would fall back to a non-embedded core font.
func registerFonts(f *fpdf.Fpdf, set *fontSet) {
	f.AddUTF8FontFromBytes(fontFamily, "", set.regular)
	f.AddUTF8FontFromBytes(fontFamily, "B", set.bold)
}

// drawable returns s with every character the fonts cannot draw replaced by
// replacementRune, so that text from users never prints as an empty box nor
// reaches fpdf's width tables out of range. Line breaks are kept; other
// control characters become spaces.
func (set *fontSet) drawable(s string) string {
	clean := true
	for _, r := range s {
		if r != '\n' && !set.covers(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || set.covers(r):
			return r
		case r == '\r':
			return -1
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		default:
			return replacementRune
		}
	}, s)
}

func (set *fontSet) covers(r rune) bool {
	return r >= 0 && int(r) < len(set.covered) && set.covered[r]
}
