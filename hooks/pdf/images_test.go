package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
)

func TestLogoIsEmbedded(t *testing.T) {
	requireTool(t, "pdfimages")
	jpg := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		jpg.Set(x, 20, color.RGBA{28, 78, 128, 255})
	}
	var jpgBytes bytes.Buffer
	if err := jpeg.Encode(&jpgBytes, jpg, nil); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		logo []byte
		want string // a pdfimages -list row fragment: width, height, encoding
	}{
		"png":  {sampleLogo(), "240 80 rgb 3 8 image"},
		"jpeg": {jpgBytes.Bytes(), "120 40 rgb 3 8 jpeg"},
	} {
		t.Run(name, func(t *testing.T) {
			inv := shortInvoice(1)
			inv.Logo = tc.logo
			doc, err := Render(inv)
			if err != nil {
				t.Fatal(err)
			}
			list := spaces.ReplaceAllString(runTool(t, "pdfimages", "-list", writePDF(t, doc)), " ")
			if !strings.Contains(list, tc.want) {
				t.Errorf("pdfimages lists no logo %q:\n%s", tc.want, list)
			}
		})
	}
}
