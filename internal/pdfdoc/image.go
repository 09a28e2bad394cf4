package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// ErrImageFormat is returned for an image that is neither PNG nor JPEG.
var ErrImageFormat = errors.New("pdfdoc: image is neither PNG nor JPEG")

// Image is a raster image prepared for embedding: its samples as the image
// XObject stores them. Like a Font it is immutable, so one Image can be
// drawn by many documents.
type Image struct {
	width, height int
	// dict is the constant part of the XObject dictionary: size, colour
	// space, depth and filter.
	dict []byte
	data []byte
	// smask is the alpha channel of a PNG that has transparency.
	smask *Image
	// digest identifies the source file, for the document ID.
	digest [sha256.Size]byte
}

// NewImage prepares a PNG or JPEG file, told apart by its signature. A JPEG
// is embedded as it is; a PNG is decoded, and its colour and alpha samples
// are compressed separately, as PDF keeps them.
func NewImage(data []byte) (*Image, error) {
	var img *Image
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		img, err = pngImage(data)
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		img, err = jpegImage(data)
	default:
		return nil, ErrImageFormat
	}
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	img.digest = sha256.Sum256(data)
	return img, nil
}

// Size returns the image's size in pixels.
func (img *Image) Size() (width, height int) { return img.width, img.height }

func jpegImage(data []byte) (*Image, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	space := "/DeviceRGB"
	switch cfg.ColorModel {
	case color.GrayModel:
		space = "/DeviceGray"
	case color.CMYKModel:
		space = "/DeviceCMYK"
		if hasAdobeMarker(data) {
			// Adobe's software, which marks its JPEGs with an APP14
			// segment, stores CMYK components inverted; other
			// encoders store them as they are.
			space += " /Decode [1 0 1 0 1 0 1 0]"
		}
	}
	return &Image{
		width: cfg.Width, height: cfg.Height, data: data,
		dict: imageDict(cfg.Width, cfg.Height, space, "/DCTDecode"),
	}, nil
}

// hasAdobeMarker tells whether a JPEG has an Adobe APP14 segment before its
// image data.
func hasAdobeMarker(data []byte) bool {
	const app14, sos, eoi = 0xee, 0xda, 0xd9
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xff {
			return false
		}
		marker := data[p+1]
		switch {
		case marker == 0xff: // fill byte
			p++
			continue
		case marker == sos || marker == eoi:
			return false
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd7: // no length
			p += 2
			continue
		}
		length := int(data[p+2])<<8 | int(data[p+3])
		if length < 2 {
			return false
		}
		segment := data[p+4 : min(p+2+length, len(data))]
		if marker == app14 && bytes.HasPrefix(segment, []byte("Adobe")) {
			return true
		}
		p += 2 + length
	}
	return false
}

// pngImage decodes a PNG into 8-bit RGB or grey samples, and an alpha mask
// when some pixel is not opaque.
func pngImage(data []byte) (*Image, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if gray, ok := src.(*image.Gray); ok {
		return flateImage(w, h, "/DeviceGray", gray.Pix, gray.Stride, w), nil
	}
	rgb := make([]byte, 0, 3*w*h)
	alpha := make([]byte, 0, w*h)
	opaque := true
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
			rgb = append(rgb, c.R, c.G, c.B)
			alpha = append(alpha, c.A)
			opaque = opaque && c.A == 0xff
		}
	}
	img := flateImage(w, h, "/DeviceRGB", rgb, 3*w, 3*w)
	if !opaque {
		img.smask = flateImage(w, h, "/DeviceGray", alpha, w, w)
	}
	return img, nil
}

// flateImage compresses rows of rowLen bytes taken every stride bytes of
// pix.
func flateImage(w, h int, space string, pix []byte, stride, rowLen int) *Image {
	samples := pix
	if stride != rowLen {
		samples = make([]byte, 0, rowLen*h)
		for y := range h {
			samples = append(samples, pix[y*stride:y*stride+rowLen]...)
		}
	}
	return &Image{
		width: w, height: h, data: deflateBest(samples[:rowLen*h]),
		dict: imageDict(w, h, space, "/FlateDecode"),
	}
}

func imageDict(w, h int, space, filter string) []byte {
	return fmt.Appendf(nil, "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter %s",
		w, h, space, filter)
}
