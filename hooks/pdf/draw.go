package pdf

import (
	"strings"

	"facturo/internal/pdfdoc"
)

// The drawing primitives below are the only way layouts put text on a page:
// they pass every string through the font coverage filter.

func (r *renderer) drawable(s string) string {
	return r.fonts.drawable(s)
}

// font selects the embedded font; style is "" or "B".
func (r *renderer) font(style string, size float64) {
	r.pen.font = r.fonts.regular
	if style == "B" {
		r.pen.font = r.fonts.bold
	}
	r.pen.size = size
}

func (r *renderer) textColor(c pdfdoc.Color) {
	r.pen.text = c
}

// fontHeight is the current type size in millimetres.
func (r *renderer) fontHeight() float64 {
	return r.pen.size / pointsPerMM
}

// width is the width of s in the current font, in millimetres.
func (r *renderer) width(s string) float64 {
	return r.pen.font.Width(s, r.pen.size)
}

// text writes one line of s in the box (x, y, w, h); align is "L", "C" or
// "R", and the text is vertically centred in the box.
func (r *renderer) text(x, y, w, h float64, s, align string) {
	s = r.drawable(s)
	if s == "" {
		return
	}
	switch align {
	case "R":
		x += w - r.width(s)
	case "C":
		x += (w - r.width(s)) / 2
	}
	r.page.SetFont(r.pen.font, r.pen.size)
	r.page.SetTextColor(r.pen.text)
	// The baseline sits 0.3 em under the middle of the box, which centres
	// the height of capitals and x-height letters alike.
	r.page.Text(x, y+h/2+0.3*r.fontHeight(), s)
}

// wrap splits s into lines no wider than w in the current font.
func (r *renderer) wrap(s string, w float64) []string {
	s = strings.TrimSpace(r.drawable(s))
	if s == "" {
		return nil
	}
	return splitLines(s, r.pen.font, r.fontHeight(), w)
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
func (r *renderer) hrule(x1, x2, y, width float64, c pdfdoc.Color) {
	r.page.SetLineColor(c)
	r.page.SetLineWidth(width)
	r.page.Line(x1, y, x2, y)
}

// box fills a rectangle.
func (r *renderer) box(x, y, w, h float64, c pdfdoc.Color) {
	r.page.SetFillColor(c)
	r.page.FillRect(x, y, w, h)
}

// newPage starts a page and returns where its content begins. Pages after
// the first get the running header; the font and text colour are left as
// they were, so that a layout carries on from one page to the next as if on
// the same one.
func (r *renderer) newPage() float64 {
	r.page = r.doc.AddPage()
	if len(r.doc.Pages()) > 1 {
		saved := r.pen
		r.drawRunningHeader()
		r.pen = saved
	}
	return continuedTop
}
