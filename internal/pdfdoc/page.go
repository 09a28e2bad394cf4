package pdfdoc

import "math"

// ptPerMM converts the millimetres of the drawing API to PDF points.
const ptPerMM = 72 / 25.4

// A4 in points.
const (
	pageWidthPt  = 210 * ptPerMM
	pageHeightPt = 297 * ptPerMM
)

// Color is an RGB colour, eight bits a channel.
type Color struct{ R, G, B uint8 }

// Page is one A4 portrait page being drawn. Its setters only record the
// wanted state; drawing operations write an operator for what changed since
// the content stream last set it, so that layouts can set the font and
// colours before every piece of text without bloating the stream.
type Page struct {
	doc     *Document
	content []byte

	// The state drawing operations will use.
	font                            *Font
	size                            float64
	textColor, fillColor, lineColor Color
	lineWidth                       float64
	// The state the content stream has set so far.
	curFont            *Font
	curSize            float64
	curFill, curStroke Color
	curLineWidth       float64
}

// PDF's initial graphics state: black, and a line width of one point.
const initialLineWidth = 1 / ptPerMM

func newPage(doc *Document) *Page {
	return &Page{
		doc:          doc,
		content:      make([]byte, 0, 16<<10),
		lineWidth:    initialLineWidth,
		curLineWidth: initialLineWidth,
	}
}

// SetFont selects the font and its size in points for Text.
func (p *Page) SetFont(f *Font, size float64) {
	p.font, p.size = f, size
}

// SetTextColor sets the colour of Text.
func (p *Page) SetTextColor(c Color) { p.textColor = c }

// SetFillColor sets the colour of FillRect and FillCells.
func (p *Page) SetFillColor(c Color) { p.fillColor = c }

// SetLineColor sets the colour of Line.
func (p *Page) SetLineColor(c Color) { p.lineColor = c }

// SetLineWidth sets the width of Line, in millimetres.
func (p *Page) SetLineWidth(w float64) { p.lineWidth = w }

// Text writes s in the current font with its baseline starting at (x, y).
// Runes outside the font's Charset print as .notdef.
func (p *Page) Text(x, y float64, s string) {
	if s == "" || p.font == nil {
		return
	}
	p.useFill(p.textColor)
	b := append(p.content, "BT "...)
	if p.font != p.curFont || p.size != p.curSize {
		b = append(b, "/F"...)
		b = appendFixed(b, float64(p.doc.fontIndex(p.font)), 0)
		b = append(b, ' ')
		b = appendFixed(b, p.size, 2)
		b = append(b, " Tf "...)
		p.curFont, p.curSize = p.font, p.size
	}
	b = appendPt(b, x)
	b = append(b, ' ')
	b = appendY(b, y)
	b = append(b, " Td ("...)
	b = p.appendCIDs(b, p.font, s)
	p.content = append(b, ") Tj ET\n"...)
}

// appendCIDs writes the CIDs of s in f into a literal string, and records
// them as drawn, for the document to embed their glyphs.
func (p *Page) appendCIDs(b []byte, f *Font, s string) []byte {
	cs, used := f.charset, p.doc.used[p.doc.fontIndex(f)-1]
	for _, r := range s {
		cid := cs.cid(r)
		used.add(cid)
		b = appendCIDByte(appendCIDByte(b, byte(cid>>8)), byte(cid))
	}
	return b
}

// appendCIDByte writes one byte of a two-byte CID into a literal string.
// Raw bytes are half the size of a hex string, so the content stream is
// quicker to compress; only the delimiters, the escape character and a
// carriage return, which a reader would take for a line end, need escaping.
func appendCIDByte(b []byte, c byte) []byte {
	switch c {
	case '(', ')', '\\':
		return append(b, '\\', c)
	case '\r':
		return append(b, '\\', 'r')
	}
	return append(b, c)
}

// FillRect fills the rectangle whose top-left corner is (x, y).
func (p *Page) FillRect(x, y, w, h float64) {
	p.useFill(p.fillColor)
	b := appendPt(p.content, x)
	b = append(b, ' ')
	b = appendY(b, y+h)
	b = append(b, ' ')
	b = appendPt(b, w)
	b = append(b, ' ')
	b = appendPt(b, h)
	p.content = append(b, " re f\n"...)
}

// Line strokes a straight line from (x1, y1) to (x2, y2).
func (p *Page) Line(x1, y1, x2, y2 float64) {
	b := p.content
	if p.lineColor != p.curStroke {
		b = appendColor(b, p.lineColor)
		b = append(b, " RG\n"...)
		p.curStroke = p.lineColor
	}
	if p.lineWidth != p.curLineWidth {
		b = appendPt(b, p.lineWidth)
		b = append(b, " w\n"...)
		p.curLineWidth = p.lineWidth
	}
	b = appendPt(b, x1)
	b = append(b, ' ')
	b = appendY(b, y1)
	b = append(b, " m "...)
	b = appendPt(b, x2)
	b = append(b, ' ')
	b = appendY(b, y2)
	p.content = append(b, " l S\n"...)
}

// Cell is a rectangle on a grid, in whole cells.
type Cell struct{ X, Y, W, H int }

// FillCells fills cells of a grid whose top-left corner is at (x, y) and
// whose cells are size millimetres square. The grid is drawn in its own
// coordinate system, so that cells are written as small integers and
// adjacent cells meet exactly, leaving no hairline between them.
func (p *Page) FillCells(x, y, size float64, cells []Cell) {
	if len(cells) == 0 {
		return
	}
	p.useFill(p.fillColor)
	b := append(p.content, "q "...)
	b = appendFixed(b, size*ptPerMM, 4)
	b = append(b, " 0 0 "...)
	b = appendFixed(b, -size*ptPerMM, 4)
	b = append(b, ' ')
	b = appendPt(b, x)
	b = append(b, ' ')
	b = appendY(b, y)
	b = append(b, " cm\n"...)
	for _, c := range cells {
		b = appendFixed(b, float64(c.X), 0)
		b = append(b, ' ')
		b = appendFixed(b, float64(c.Y), 0)
		b = append(b, ' ')
		b = appendFixed(b, float64(c.W), 0)
		b = append(b, ' ')
		b = appendFixed(b, float64(c.H), 0)
		b = append(b, " re\n"...)
	}
	p.content = append(b, "f Q\n"...)
}

// DrawImage draws img stretched to the rectangle whose top-left corner is
// (x, y).
func (p *Page) DrawImage(img *Image, x, y, w, h float64) {
	b := append(p.content, "q "...)
	b = appendPt(b, w)
	b = append(b, " 0 0 "...)
	b = appendPt(b, h)
	b = append(b, ' ')
	b = appendPt(b, x)
	b = append(b, ' ')
	b = appendY(b, y+h)
	b = append(b, " cm /Im"...)
	b = appendFixed(b, float64(p.doc.imageIndex(img)), 0)
	p.content = append(b, " Do Q\n"...)
}

// useFill sets the non-stroking colour, which PDF uses for both text and
// fills.
func (p *Page) useFill(c Color) {
	if c != p.curFill {
		p.content = appendColor(p.content, c)
		p.content = append(p.content, " rg\n"...)
		p.curFill = c
	}
}

// appendColor writes c as three components from 0 to 1.
func appendColor(b []byte, c Color) []byte {
	b = appendFixed(b, float64(c.R)/255, 3)
	b = append(b, ' ')
	b = appendFixed(b, float64(c.G)/255, 3)
	b = append(b, ' ')
	return appendFixed(b, float64(c.B)/255, 3)
}

// Stamp writes s in outline across the whole page, over what is drawn on
// it, as a rubber stamp would: centred, rotated by degrees
// counter-clockwise, its letters stroked in c so that the text beneath
// stays legible. It leaves the page's drawing state as it was.
func (p *Page) Stamp(f *Font, size float64, c Color, degrees float64, s string) {
	if s == "" || f == nil {
		return
	}
	rad := degrees * math.Pi / 180
	cos, sin := math.Cos(rad), math.Sin(rad)
	w := f.Width(s, size) * ptPerMM
	// The baseline starts half the text's width before the page's centre,
	// along the text's direction, and a third of its height below it.
	cx, cy := pageWidthPt/2, pageHeightPt/2
	dy := size / 3
	x := cx - w/2*cos + dy*sin
	y := cy - w/2*sin - dy*cos
	b := append(p.content, "q "...)
	b = appendColor(b, c)
	b = append(b, " RG 1.2 w BT 1 Tr /F"...)
	b = appendFixed(b, float64(p.doc.fontIndex(f)), 0)
	b = append(b, ' ')
	b = appendFixed(b, size, 2)
	b = append(b, " Tf "...)
	for _, v := range []float64{cos, sin, -sin, cos} {
		b = appendFixed(b, v, 4)
		b = append(b, ' ')
	}
	b = appendFixed(b, x, 2)
	b = append(b, ' ')
	b = appendFixed(b, y, 2)
	b = append(b, " Tm ("...)
	b = p.appendCIDs(b, f, s)
	p.content = append(b, ") Tj ET Q\n"...)
}
