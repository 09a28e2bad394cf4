package pdf

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// qrTestDPI rasterizes pages at ten pixels per millimetre.
const qrTestDPI = 254

// TestQRCodeIsPrintedAtLevelM rasterizes the first page, finds the QR symbol
// by its three finder patterns, checks its printed size, and reads the
// error-correction level from the symbol's format information.
func TestQRCodeIsPrintedAtLevelM(t *testing.T) {
	doc, err := Render(shortInvoice(3))
	if err != nil {
		t.Fatal(err)
	}
	file := writePDF(t, doc)
	prefix := filepath.Join(t.TempDir(), "page")
	runTool(t, "pdftoppm", "-r", "254", "-gray", "-aa", "no", "-aaVector", "no", "-png", "-singlefile", "-f", "1", "-l", "1", file, prefix)
	page := decodePNG(t, prefix+".png")

	sym, ok := findQRSymbol(page)
	if !ok {
		t.Fatal("no QR symbol found on the first page")
	}
	pxPerMM := qrTestDPI / 25.4
	if mm := float64(sym.modules) * sym.module / pxPerMM; math.Abs(mm-qrSize) > 0.5 {
		t.Errorf("the QR code is printed %.1f mm wide, want %.0f mm", mm, qrSize)
	}
	if got := qrErrorCorrection(sym.dark, sym.modules); got != "M" {
		t.Errorf("the QR code has error correction level %s, want M", got)
	}
}

func decodePNG(t *testing.T, file string) image.Image {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// qrErrorCorrection reads the level from the two first format bits beside
// the top-left finder pattern, and checks them against their copy beside the
// bottom-left one. dark tells whether the module at column x and row y of a
// symbol size modules wide is dark. It returns "?" when the copies disagree.
func qrErrorCorrection(dark func(x, y int) bool, size int) string {
	topLeft := [2]bool{dark(0, 8), dark(1, 8)}
	bottomLeft := [2]bool{dark(8, size-1), dark(8, size-2)}
	if topLeft != bottomLeft {
		return "?"
	}
	// The format bits are XOR-masked with 10 101 0000010010; unmasked, the
	// level is L=01, M=00, Q=11, H=10.
	level := map[[2]bool]string{
		{true, true}:   "L",
		{true, false}:  "M",
		{false, true}:  "Q",
		{false, false}: "H",
	}
	return level[topLeft]
}

// qrSymbol is a QR symbol located on a page image.
type qrSymbol struct {
	modules int
	// module is the side of a module, in pixels.
	module float64
	dark   func(x, y int) bool
}

// finder is the centre of a finder pattern and its module size, in pixels.
type finder struct{ x, y, unit float64 }

// findQRSymbol looks for the three finder patterns at the corners of an
// upright symbol, and derives the symbol's module count and module size
// from the distance between them.
func findQRSymbol(img image.Image) (qrSymbol, bool) {
	b := img.Bounds()
	darkPx := func(x, y int) bool {
		if !(image.Point{x, y}.In(b)) {
			return false
		}
		r, g, bl, _ := img.At(x, y).RGBA()
		return r+g+bl < 3*0x8000
	}
	var found []finder
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := func(i int) bool { return darkPx(i, y) }
		for _, c := range finderCentres(row, b.Min.X, b.Max.X) {
			col := func(i int) bool { return darkPx(int(c.centre), i) }
			for _, v := range finderCentres(col, b.Min.Y, b.Max.Y) {
				if math.Abs(v.centre-float64(y)) < v.unit && math.Abs(v.unit-c.unit) < c.unit/2 {
					found = addFinder(found, finder{c.centre, v.centre, (c.unit + v.unit) / 2})
				}
			}
		}
	}
	tl, tr, bl, ok := cornerFinders(found)
	if !ok {
		return qrSymbol{}, false
	}
	// Finder centres are 3.5 modules in from the symbol's edges, and a
	// symbol is 17 + 4 × version modules wide: the nearest such width to the
	// estimate from the finders' own module size.
	modules := 4*int(math.Round(((tr.x-tl.x)/tl.unit+6)/4)) + 1
	if modules < 21 {
		return qrSymbol{}, false
	}
	module := (tr.x - tl.x) / float64(modules-7)
	if vertical := (bl.y - tl.y) / float64(modules-7); math.Abs(vertical-module) > 0.02*module {
		return qrSymbol{}, false
	}
	left, top := tl.x-3.5*module, tl.y-3.5*module
	return qrSymbol{
		modules: modules,
		module:  module,
		dark: func(x, y int) bool {
			return darkPx(int(left+(float64(x)+0.5)*module), int(top+(float64(y)+0.5)*module))
		},
	}, true
}

// cornerFinders picks the one set of three patterns that sit at the
// top-left, top-right and bottom-left corners of a square: data modules can
// mimic a finder pattern, but not that arrangement.
func cornerFinders(found []finder) (tl, tr, bl finder, ok bool) {
	n := 0
	for _, a := range found {
		for _, b := range found {
			for _, c := range found {
				side := b.x - a.x
				if side > 14*a.unit && math.Abs(b.y-a.y) < a.unit && math.Abs(c.x-a.x) < a.unit &&
					math.Abs(c.y-a.y-side) < a.unit {
					tl, tr, bl = a, b, c
					n++
				}
			}
		}
	}
	return tl, tr, bl, n == 1
}

// addFinder merges f into the pattern it belongs to, found on a nearby row,
// or adds it.
func addFinder(found []finder, f finder) []finder {
	for _, g := range found {
		if math.Abs(g.x-f.x) < 2*g.unit && math.Abs(g.y-f.y) < 2*g.unit {
			return found
		}
	}
	return append(found, f)
}

// scanHit is a dark-light-dark-light-dark sequence in the proportions
// 1:1:3:1:1 of a finder pattern, along one line of pixels.
type scanHit struct{ centre, unit float64 }

// finderCentres scans the pixels from lo to hi of one line for finder
// pattern proportions and returns the centre of each match. A module must
// be at least four pixels, which keeps text from matching.
func finderCentres(dark func(i int) bool, lo, hi int) []scanHit {
	type run struct {
		start, n int
		dark     bool
	}
	var runs []run
	for i := lo; i < hi; i++ {
		d := dark(i)
		if n := len(runs); n > 0 && runs[n-1].dark == d {
			runs[n-1].n++
			continue
		}
		runs = append(runs, run{i, 1, d})
	}
	var hits []scanHit
	for i := 0; i+5 <= len(runs); i++ {
		w := runs[i : i+5]
		if !w[0].dark {
			continue
		}
		total := 0
		for _, r := range w {
			total += r.n
		}
		unit := float64(total) / 7
		if unit < 4 {
			continue
		}
		want := [5]float64{1, 1, 3, 1, 1}
		ok := true
		for k, r := range w {
			if math.Abs(float64(r.n)-want[k]*unit) > want[k]*unit/2 {
				ok = false
			}
		}
		if ok {
			hits = append(hits, scanHit{float64(w[2].start) + float64(w[2].n)/2, unit})
		}
	}
	return hits
}
