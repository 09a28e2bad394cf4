package pdf

import "facturo/internal/pdfdoc"

// Page geometry, in millimetres (A4 portrait).
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginLeft   = 16.0
	marginRight  = 16.0
	marginTop    = 16.0
	contentWidth = pageWidth - marginLeft - marginRight
	contentRight = pageWidth - marginRight
	// contentBottom is where body content stops; below it is the footer.
	contentBottom = pageHeight - 24.0
	footerTop     = pageHeight - 17.0
	// continuedTop is where content starts on pages after the first, under
	// the compact running header.
	continuedTop = 24.0
)

// Type sizes, in points.
const (
	sizeTitle   = 20.0
	sizeName    = 11.0
	sizeBody    = 8.5
	sizeSmall   = 7.5
	sizeCaption = 6.5
	sizeTotal   = 11.0
)

// pointsPerMM is the number of points in a millimetre: a type size divided
// by it is the height of the type in millimetres.
const pointsPerMM = 72 / 25.4

// lineHeight returns a comfortable baseline-to-baseline distance, in
// millimetres, for text of size points.
func lineHeight(size float64) float64 {
	return size * 0.3528 * 1.35
}

// The palette: near-black text, a muted grey for labels, light rules, and one
// accent colour for titles, the table header and the total. The QR code is
// pure black, for the contrast that scanners need.
var (
	colorText   = pdfdoc.Color{R: 33, G: 37, B: 41}
	colorMuted  = pdfdoc.Color{R: 108, G: 117, B: 125}
	colorRule   = pdfdoc.Color{R: 218, G: 223, B: 228}
	colorTint   = pdfdoc.Color{R: 243, G: 246, B: 249}
	colorAccent = pdfdoc.Color{R: 28, G: 78, B: 128}
	colorWhite  = pdfdoc.Color{R: 255, G: 255, B: 255}
	colorQR     = pdfdoc.Color{}
	colorVoid   = pdfdoc.Color{R: 200, G: 35, B: 35}
	// colorDraft marks a draft's preview, so that it is never taken for
	// an invoice.
	colorDraft = pdfdoc.Color{R: 180, G: 35, B: 24}
)
