package pdf

import (
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestQRCodeIsPrintedAtLevelM extracts the QR image from the PDF, checks its
// printed size, and reads the error-correction level from the symbol's format
// information.
func TestQRCodeIsPrintedAtLevelM(t *testing.T) {
	requireTool(t, "pdfimages")
	doc, err := Render(shortInvoice(3))
	if err != nil {
		t.Fatal(err)
	}
	file := writePDF(t, doc)

	rows := strings.Split(strings.TrimSpace(runTool(t, "pdfimages", "-list", file)), "\n")
	if len(rows) != 3 {
		t.Fatalf("want exactly one image (the QR code), pdfimages lists:\n%s", strings.Join(rows, "\n"))
	}
	// page num type width height color comp bpc enc interp object ID x-ppi y-ppi ...
	f := strings.Fields(rows[2])
	width, _ := strconv.ParseFloat(f[3], 64)
	ppi, _ := strconv.ParseFloat(f[12], 64)
	if ppi == 0 {
		t.Fatalf("cannot read pdfimages row %q", rows[2])
	}
	if mm := width / ppi * 25.4; math.Abs(mm-qrSize) > 0.5 {
		t.Errorf("the QR code is printed %.1f mm wide, want %.0f mm", mm, qrSize)
	}

	prefix := filepath.Join(t.TempDir(), "img")
	runTool(t, "pdfimages", "-png", file, prefix)
	img := decodePNG(t, prefix+"-000.png")
	if got := qrErrorCorrection(img, qrModulePixels); got != "M" {
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
// bottom-left one. It returns "?" when the copies disagree.
func qrErrorCorrection(img image.Image, modulePx int) string {
	size := img.Bounds().Dx() / modulePx
	dark := func(x, y int) bool {
		r, g, b, _ := img.At(x*modulePx+modulePx/2, y*modulePx+modulePx/2).RGBA()
		return r+g+b < 3*0x8000
	}
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
