package pdf

import (
	"bytes"
	"errors"

	"github.com/go-pdf/fpdf"
)

// errImageFormat is returned for an image that is neither PNG nor JPEG.
var errImageFormat = errors.New("neither PNG nor JPEG")

// imageType tells fpdf's image type from the file signature, so that a
// logo's stored file name or MIME type need not be trusted.
func imageType(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "PNG", nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return "JPG", nil
	default:
		return "", errImageFormat
	}
}

// placeImage registers data under name and draws it inside the box (x, y,
// maxW, maxH), keeping its proportions and its top-left corner at (x, y).
// It returns the drawn size.
func (r *renderer) placeImage(name string, data []byte, x, y, maxW, maxH float64) (w, h float64, err error) {
	tp, err := imageType(data)
	if err != nil {
		return 0, 0, err
	}
	opts := fpdf.ImageOptions{ImageType: tp}
	info := r.f.RegisterImageOptionsReader(name, opts, bytes.NewReader(data))
	if err := r.f.Error(); err != nil {
		return 0, 0, err
	}
	w, h = fitInside(info.Width(), info.Height(), maxW, maxH)
	r.f.ImageOptions(name, x, y, w, h, false, opts, 0, "")
	return w, h, nil
}

// fitInside scales (w, h) to the largest size inside (maxW, maxH).
func fitInside(w, h, maxW, maxH float64) (float64, float64) {
	if w <= 0 || h <= 0 {
		return 0, 0
	}
	scale := min(maxW/w, maxH/h)
	return w * scale, h * scale
}
