package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	mbits "math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"facturo/internal/toolcheck"
)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func inflate(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPNGSamplesAndAlpha(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	src.Set(0, 0, color.NRGBA{10, 20, 30, 255})
	src.Set(2, 1, color.NRGBA{200, 100, 50, 128})
	img, err := NewImage(encodePNG(t, src))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Size(); w != 3 || h != 2 {
		t.Errorf("size %d×%d, want 3×2", w, h)
	}
	if !strings.Contains(string(img.dict), "/ColorSpace /DeviceRGB") {
		t.Errorf("dictionary %s", img.dict)
	}
	rgb := inflate(t, img.data)
	if len(rgb) != 18 || !bytes.Equal(rgb[:3], []byte{10, 20, 30}) || !bytes.Equal(rgb[15:], []byte{200, 100, 50}) {
		t.Errorf("samples %v", rgb)
	}
	if img.smask == nil {
		t.Fatal("a translucent PNG has no soft mask")
	}
	if alpha := inflate(t, img.smask.data); !bytes.Equal(alpha, []byte{255, 0, 0, 0, 0, 128}) {
		t.Errorf("alpha %v", alpha)
	}

	opaque := image.NewRGBA(image.Rect(0, 0, 2, 2))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	if img, err := NewImage(encodePNG(t, opaque)); err != nil || img.smask != nil {
		t.Errorf("an opaque PNG got a soft mask (%v)", err)
	}
	gray := image.NewGray(image.Rect(0, 0, 4, 1))
	gray.Pix = []byte{0, 85, 170, 255}
	img, err = NewImage(encodePNG(t, gray))
	if err != nil || !strings.Contains(string(img.dict), "/DeviceGray") || !bytes.Equal(inflate(t, img.data), gray.Pix) {
		t.Errorf("grey PNG: %v, %s", err, img.dict)
	}
}

func TestJPEGIsEmbeddedAsItIs(t *testing.T) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 30, 10)), nil); err != nil {
		t.Fatal(err)
	}
	img, err := NewImage(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img.data, buf.Bytes()) || !strings.Contains(string(img.dict), "/Filter /DCTDecode") {
		t.Errorf("JPEG not passed through: %s", img.dict)
	}
	if w, h := img.Size(); w != 30 || h != 10 {
		t.Errorf("size %d×%d", w, h)
	}
}

func TestNewImageRefusesOtherData(t *testing.T) {
	if _, err := NewImage([]byte("GIF89a")); !errors.Is(err, ErrImageFormat) {
		t.Errorf("GIF: %v", err)
	}
	if _, err := NewImage([]byte("\x89PNG\r\n\x1a\ntruncated")); err == nil {
		t.Error("a truncated PNG was accepted")
	}
}

// flatCMYKJPEG is an 8×8 baseline JPEG of four components, each of one
// value throughout, as stored (before any inversion); with adobe, it has
// the APP14 segment Adobe's software writes (transform 0: the components
// are stored as CMYK). The Go encoder writes no CMYK, so it is built here:
// a flat block is its DC coefficient alone, 8 × (value − 128) with a
// quantiser of 1, coded with a Huffman table that gives each size class
// the 4-bit code of its number, then an end of block.
func flatCMYKJPEG(stored [4]byte, adobe bool) []byte {
	b := []byte{0xff, 0xd8}
	if adobe {
		b = append(b, 0xff, 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0)
	}
	b = append(b, 0xff, 0xdb, 0, 67, 0) // quantisers of table 0: all 1
	b = append(b, bytes.Repeat([]byte{1}, 64)...)
	b = append(b, 0xff, 0xc0, 0, 8+3*4, 8, 0, 8, 0, 8, 4) // 8 bits, 8×8, 4 components
	for c := range 4 {
		b = append(b, byte(c+1), 0x11, 0)
	}
	b = append(b, 0xff, 0xc4, 0, 2+1+16+12, 0x00, 0, 0, 0, 12) // DC table: 12 codes of 4 bits
	b = append(b, make([]byte, 12)...)
	for class := range 12 {
		b = append(b, byte(class))
	}
	b = append(b, 0xff, 0xc4, 0, 2+1+16+1, 0x10, 1) // AC table: end of block, 1 bit
	b = append(b, make([]byte, 15)...)
	b = append(b, 0x00)
	b = append(b, 0xff, 0xda, 0, 6+2*4, 4)
	for c := range 4 {
		b = append(b, byte(c+1), 0x00)
	}
	b = append(b, 0, 63, 0)

	var acc, n uint
	put := func(v, bits uint) {
		acc, n = acc<<bits|v&(1<<bits-1), n+bits
	}
	for _, v := range stored {
		dc := 8 * (int(v) - 128)
		class := uint(mbits.Len(uint(max(dc, -dc))))
		put(class, 4)
		if dc < 0 {
			dc += 1<<class - 1
		}
		put(uint(dc), class)
		put(0, 1)
	}
	put(1<<(8-n%8)-1, 8-n%8) // pad with ones to a whole byte
	for n > 0 {
		n -= 8
		c := byte(acc >> n)
		b = append(b, c)
		if c == 0xff {
			b = append(b, 0) // stuffing
		}
	}
	return append(b, 0xff, 0xd9)
}

// cyanInk is full cyan and no other ink.
var cyanInk = [4]byte{255, 0, 0, 0}

// inverted is what Adobe's software stores for ink.
func inverted(ink [4]byte) [4]byte {
	for i := range ink {
		ink[i] = 255 - ink[i]
	}
	return ink
}

// A CMYK JPEG is inverted on output only when it has Adobe's marker, which
// says its components are stored inverted.
func TestCMYKJPEGIsInvertedOnlyWithTheAdobeMarker(t *testing.T) {
	for name, tc := range map[string]struct {
		data   []byte
		invert bool
	}{
		"adobe": {flatCMYKJPEG(inverted(cyanInk), true), true},
		"plain": {flatCMYKJPEG(cyanInk, false), false},
	} {
		img, err := NewImage(tc.data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		dict := string(img.dict)
		if !strings.Contains(dict, "/ColorSpace /DeviceCMYK") {
			t.Errorf("%s: %s", name, dict)
		}
		if got := strings.Contains(dict, "/Decode [1 0 1 0 1 0 1 0]"); got != tc.invert {
			t.Errorf("%s: inverted = %v, want %v: %s", name, got, tc.invert, dict)
		}
	}
	if hasAdobeMarker(flatCMYKJPEG(cyanInk, false)) || !hasAdobeMarker(flatCMYKJPEG(cyanInk, true)) {
		t.Error("the Adobe marker is misread")
	}
}

// Poppler prints both kinds of CMYK JPEG in the ink they hold: cyan, where
// a wrong inversion would give black.
func TestPopplerPrintsCMYKJPEGsInTheirInk(t *testing.T) {
	pdftoppm := toolcheck.Require(t, "pdftoppm", "poppler-utils")
	for name, data := range map[string][]byte{
		"adobe": flatCMYKJPEG(inverted(cyanInk), true),
		"plain": flatCMYKJPEG(cyanInk, false),
	} {
		img, err := NewImage(data)
		if err != nil {
			t.Fatal(err)
		}
		d := New(Info{})
		d.AddPage().DrawImage(img, 0, 0, 210, 297)
		dir := t.TempDir()
		file := filepath.Join(dir, "doc.pdf")
		if err := os.WriteFile(file, d.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(pdftoppm, "-r", "10", "-png", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
		f, err := os.Open(filepath.Join(dir, "page.png"))
		if err != nil {
			t.Fatal(err)
		}
		page, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := page.Bounds()
		r, g, bl, _ := page.At(b.Dx()/2, b.Dy()/2).RGBA()
		if r>>8 > 80 || g>>8 < 120 || bl>>8 < 180 {
			t.Errorf("%s: printed as rgb(%d, %d, %d), want cyan", name, r>>8, g>>8, bl>>8)
		}
	}
}
