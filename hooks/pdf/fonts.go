package pdf

import (
	"strings"
	"sync"
	"unicode"

	"facturo/internal/pdfdoc"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// replacementRune stands in for a character the embedded fonts cannot draw.
const replacementRune = '?'

// coveredBlocks are the Unicode blocks kept from the Go fonts: the Latin,
// Greek and Cyrillic scripts of the EU's languages, plus punctuation, currency
// and letter-like symbols.
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

// fontSet is the regular and bold fonts for the runes of coveredBlocks that
// both can draw, and that shared character set. Each document embeds only
// the glyphs it draws of them.
type fontSet struct {
	charset       *pdfdoc.Charset
	regular, bold *pdfdoc.Font
}

var (
	fontsOnce sync.Once
	fonts     fontSet
	fontsErr  error
)

// loadFonts prepares the fonts once per process: reading their glyphs and
// widths and finding the character set is the same for every document.
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		runes, err := drawableRunes(goregular.TTF, gobold.TTF)
		if err != nil {
			fontsErr = err
			return
		}
		if fonts.charset, fontsErr = pdfdoc.NewCharset(runes); fontsErr != nil {
			return
		}
		if fonts.regular, fontsErr = pdfdoc.NewFont(goregular.TTF, fonts.charset); fontsErr != nil {
			return
		}
		fonts.bold, fontsErr = pdfdoc.NewFont(gobold.TTF, fonts.charset)
	})
	return &fonts, fontsErr
}

// drawableRunes lists, in ascending order, the runes of coveredBlocks that
// every given font has a glyph for.
func drawableRunes(ttfs ...[]byte) ([]rune, error) {
	parsed := make([]*sfnt.Font, len(ttfs))
	for i, ttf := range ttfs {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, err
		}
		parsed[i] = f
	}
	var buf sfnt.Buffer
	var runes []rune
	for _, rg := range coveredBlocks.R16 {
		for r := rune(rg.Lo); r <= rune(rg.Hi); r++ {
			if hasGlyphInAll(parsed, &buf, r) {
				runes = append(runes, r)
			}
		}
	}
	return runes, nil
}

func hasGlyphInAll(fonts []*sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	for _, f := range fonts {
		if gi, err := f.GlyphIndex(buf, r); err != nil || gi == 0 {
			return false
		}
	}
	return true
}

// drawable returns s with every character the fonts cannot draw replaced by
// replacementRune, so that text from users never prints as an empty box.
// Line breaks are kept; other control characters become spaces.
func (set *fontSet) drawable(s string) string {
	clean := true
	for _, r := range s {
		if r != '\n' && !set.charset.Covers(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || set.charset.Covers(r):
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
