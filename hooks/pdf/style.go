package pdf

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

// lineHeight returns a comfortable baseline-to-baseline distance, in
// millimetres, for text of size points.
func lineHeight(size float64) float64 {
	return size * 0.3528 * 1.35
}

// rgb is a colour.
type rgb struct{ r, g, b int }

// The palette: near-black text, a muted grey for labels, light rules, and one
// accent colour for titles, the table header and the total.
var (
	colorText   = rgb{33, 37, 41}
	colorMuted  = rgb{108, 117, 125}
	colorRule   = rgb{218, 223, 228}
	colorTint   = rgb{243, 246, 249}
	colorAccent = rgb{28, 78, 128}
	colorWhite  = rgb{255, 255, 255}
)
