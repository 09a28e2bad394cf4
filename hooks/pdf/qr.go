package pdf

import (
	"fmt"

	"facturo/internal/pdfdoc"

	"github.com/skip2/go-qrcode"
)

// qrSize is the printed width of the tax QR code; the AEAT asks for 30 to
// 40 mm.
const qrSize = 32.0

// qrQuietZone is the white margin kept around the code. The symbol must be
// surrounded by four light modules to scan reliably; a module of a 32 mm code
// is at most 0.8 mm.
const qrQuietZone = 3.2

// qrCells encodes payload as a QR code with error correction level M, as the
// AEAT specifies, and returns its dark modules as rectangles on a grid of
// modules, with the grid's width. The layout leaves qrQuietZone around the
// symbol instead of the encoder's border. Runs of dark modules in a row make
// one rectangle, which grows downwards while the rows below repeat the run:
// a few hundred rectangles instead of over a thousand modules.
func qrCells(payload string) (cells []pdfdoc.Cell, modules int, err error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, 0, fmt.Errorf("pdf: QR code: %w", err)
	}
	q.DisableBorder = true
	bitmap := q.Bitmap()
	n := len(bitmap)
	// open[x] is 1 + the index of the last rectangle that starts at column
	// x, or 0.
	open := make([]int, n)
	for y, row := range bitmap {
		for x := 0; x < n; {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < n && row[x] {
				x++
			}
			if k := open[start] - 1; k >= 0 && cells[k].W == x-start && cells[k].Y+cells[k].H == y {
				cells[k].H++
				continue
			}
			cells = append(cells, pdfdoc.Cell{X: start, Y: y, W: x - start, H: 1})
			open[start] = len(cells)
		}
	}
	return cells, n, nil
}

// drawQR draws the tax QR block with its top-left corner at (x, y): the
// "QR tributario:" caption, the code, and under VERI*FACTU the scheme's
// legend. It returns the y under the block.
func (r *renderer) drawQR(x, y float64) (float64, error) {
	cells, modules, err := qrCells(r.inv.QR)
	if err != nil {
		return y, err
	}
	capH := lineHeight(sizeCaption)
	r.font("", sizeCaption)
	r.textColor(colorMuted)
	r.text(x, y, qrSize, capH, r.t("pdf.qr.label"), "L")
	y += capH + qrQuietZone
	r.page.SetFillColor(colorQR)
	r.page.FillCells(x, y, qrSize/float64(modules), cells)
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
	y = r.lines(x, y, qrSize, capH, r.wrap(r.t("pdf.qr.verifiable"), qrSize), "C")
	if r.inv.Testing {
		y = r.lines(x, y, qrSize, capH, r.wrap(r.t("pdf.qr.testing"), qrSize), "C")
	}
	return y, nil
}
