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
	"strings"
	"testing"
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
