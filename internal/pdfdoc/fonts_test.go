package pdfdoc

import (
	"sync"
	"testing"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// testRunes are printable ASCII, Latin-1 and Latin Extended-A, which the Go
// fonts cover, plus a few symbols beyond: enough for CIDs and runes to cross
// a change of high byte, as ToUnicode ranges must not.
func testRunes() []rune {
	var runes []rune
	for r := rune(0x20); r <= 0x7e; r++ {
		runes = append(runes, r)
	}
	for r := rune(0xa0); r <= 0x17f; r++ {
		runes = append(runes, r)
	}
	return append(runes, 'Ω', 'Ж', '–', '—', '‘', '’', '“', '”', '…', '€')
}

var (
	testFontsOnce         sync.Once
	testCharset           *Charset
	testRegular, testBold *Font
	testFontsErr          error
)

// testFonts prepares the Go fonts for testRunes once for the package's
// tests.
func testFonts(t testing.TB) (*Charset, *Font, *Font) {
	t.Helper()
	testFontsOnce.Do(func() {
		if testCharset, testFontsErr = NewCharset(testRunes()); testFontsErr != nil {
			return
		}
		if testRegular, testFontsErr = NewFont(goregular.TTF, testCharset); testFontsErr != nil {
			return
		}
		testBold, testFontsErr = NewFont(gobold.TTF, testCharset)
	})
	if testFontsErr != nil {
		t.Fatal(testFontsErr)
	}
	return testCharset, testRegular, testBold
}
