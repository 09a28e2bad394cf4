package pdf

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/skip2/go-qrcode"
)

// qrSize is the printed width of the tax QR code; the AEAT asks for 30 to
// 40 mm.
const qrSize = 32.0

// qrQuietZone is the white margin kept around the code. The symbol must be
// surrounded by four light modules to scan reliably; a module of a 32 mm code
// is at most 0.8 mm.
const qrQuietZone = 3.2

// qrModulePixels is the PNG size of one QR module. The image is scaled to
// qrSize anyway; four pixels keep the file small and the edges sharp.
const qrModulePixels = 4

// qrPNG encodes payload as a QR code with error correction level M, as the
// AEAT specifies, without a quiet zone: the layout leaves qrQuietZone around
// it instead.
func qrPNG(payload string) ([]byte, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("pdf: QR code: %w", err)
	}
	q.DisableBorder = true
	// go-qrcode's own PNG method compresses hardest, which costs more time
	// than the few bytes it saves on a two-colour image.
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, q.Image(-qrModulePixels)); err != nil {
		return nil, fmt.Errorf("pdf: QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// drawQR draws the tax QR block with its top-left corner at (x, y): the
// "QR tributario:" caption, the code, and under VERI*FACTU the scheme's
// legend. It returns the y under the block.
func (r *renderer) drawQR(x, y float64) (float64, error) {
	img, err := qrPNG(r.inv.QR)
	if err != nil {
		return y, err
	}
	capH := lineHeight(sizeCaption)
	r.font("", sizeCaption)
	r.textColor(colorMuted)
	r.text(x, y, qrSize, capH, r.t("pdf.qr.label"), "L")
	y += capH + qrQuietZone
	if _, _, err := r.placeImage("qr", img, x, y, qrSize, qrSize); err != nil {
		return y, fmt.Errorf("pdf: QR code: %w", err)
	}
	y += qrSize + qrQuietZone
	if !r.inv.VeriFactu {
		return y, nil
	}
	r.font("B", sizeSmall)
	r.textColor(colorText)
	r.text(x, y, qrSize, lineHeight(sizeSmall), r.t("pdf.qr.verifactu"), "C")
	y += lineHeight(sizeSmall)
	r.font("", sizeCaption)
	r.textColor(colorMuted)
	return r.lines(x, y, qrSize, capH, r.wrap(r.t("pdf.qr.verifiable"), qrSize), "C"), nil
}
