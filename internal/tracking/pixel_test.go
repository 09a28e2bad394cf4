package tracking

import (
	"bytes"
	"image/gif"
	"testing"
)

func TestPixelGIFIsOneTransparentPixel(t *testing.T) {
	img, err := gif.Decode(bytes.NewReader(PixelGIF))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1 || b.Dy() != 1 {
		t.Fatalf("bounds = %v, want 1×1", b)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Fatalf("alpha = %d, want 0 (transparent)", a)
	}
	cfg, err := gif.DecodeConfig(bytes.NewReader(PixelGIF))
	if err != nil {
		t.Fatalf("decode config: %v", err)
	}
	if cfg.Width != 1 || cfg.Height != 1 {
		t.Fatalf("config = %d×%d, want 1×1", cfg.Width, cfg.Height)
	}
}
