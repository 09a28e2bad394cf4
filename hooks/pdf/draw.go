package pdf

import "strings"

// The drawing primitives below are the only way layouts put text on a page:
// they pass every string through the font coverage filter.

func (r *renderer) drawable(s string) string {
	return r.fonts.drawable(s)
}

// font selects the embedded family; style is "" or "B".
func (r *renderer) font(style string, size float64) {
	r.f.SetFont(fontFamily, style, size)
}

func (r *renderer) textColor(c rgb) {
	r.f.SetTextColor(c.r, c.g, c.b)
}

func (r *renderer) fillColor(c rgb) {
	r.f.SetFillColor(c.r, c.g, c.b)
}

func (r *renderer) drawColor(c rgb) {
	r.f.SetDrawColor(c.r, c.g, c.b)
}

// text writes one line of s in the box (x, y, w, h); align is "L", "C" or
// "R", and the text is vertically centred in the box.
func (r *renderer) text(x, y, w, h float64, s, align string) {
	r.f.SetXY(x, y)
	r.f.CellFormat(w, h, r.drawable(s), "", 0, align+"M", false, 0, "")
}

// wrap splits s into lines no wider than w in the current font.
func (r *renderer) wrap(s string, w float64) []string {
	s = strings.TrimSpace(r.drawable(s))
	if s == "" {
		return nil
	}
	return r.f.SplitText(s, w)
}

// lines writes already wrapped lines from y, lh apart, and returns the y
// under the last one.
func (r *renderer) lines(x, y, w, lh float64, lines []string, align string) float64 {
	for _, l := range lines {
		r.text(x, y, w, lh, l, align)
		y += lh
	}
	return y
}

// hrule draws a horizontal rule across [x1, x2] at y.
func (r *renderer) hrule(x1, x2, y, width float64, c rgb) {
	r.drawColor(c)
	r.f.SetLineWidth(width)
	r.f.Line(x1, y, x2, y)
}

// box fills a rectangle.
func (r *renderer) box(x, y, w, h float64, c rgb) {
	r.fillColor(c)
	r.f.Rect(x, y, w, h, "F")
}

// newPage starts a page and returns where its content begins.
func (r *renderer) newPage() float64 {
	r.f.AddPage()
	return continuedTop
}
