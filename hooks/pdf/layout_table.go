package pdf

import "strings"

// column is one column of the lines table.
type column struct {
	label string // translation key of the header
	width float64
	align string
}

// The lines table: the description takes what the numeric columns leave.
var lineColumns = []column{
	{"pdf.col.description", contentWidth - 17 - 24 - 12 - 13 - 25, "L"},
	{"pdf.col.quantity", 17, "R"},
	{"pdf.col.unit_price", 24, "R"},
	{"pdf.col.discount", 12, "R"},
	{"pdf.col.vat", 13, "R"},
	{"pdf.col.amount", 25, "R"},
}

// Table metrics, in millimetres: cellPad separates a cell's text from its
// neighbours, rowPad is the space above and below a row's text.
const (
	headerHeight = 7.0
	cellPad      = 1.8
	rowPad       = 1.5
)

var rowLine = lineHeight(sizeBody)

// pageRoomForRows is the height left for rows on a page after the first.
const pageRoomForRows = contentBottom - continuedTop - headerHeight

// rowHeight is the height of a row whose description wraps to n lines.
func rowHeight(n int) float64 {
	return 2*rowPad + float64(max(n, 1))*rowLine
}

// drawLines draws the lines table, starting a new page, with the header
// repeated, whenever the next row would not fit. It returns the y under the
// table.
func (r *renderer) drawLines(y float64) float64 {
	if y+headerHeight+rowHeight(1) > contentBottom {
		y = r.newPage()
	}
	y = r.drawTableHeader(y)
	for _, l := range r.inv.Lines {
		y = r.drawLineRow(y, l)
	}
	return y
}

// drawTableHeader draws the column titles and returns the y under them.
func (r *renderer) drawTableHeader(y float64) float64 {
	r.box(marginLeft, y, contentWidth, headerHeight, colorAccent)
	r.font("B", sizeSmall)
	r.textColor(colorWhite)
	x := marginLeft
	for _, c := range lineColumns {
		r.text(x+cellPad, y, c.width-2*cellPad, headerHeight, r.t(c.label), c.align)
		x += c.width
	}
	return y + headerHeight
}

// drawLineRow draws one line. A row is never split across pages unless it is
// taller than a whole page; then its description continues on the next page
// and the numbers stay with its first part.
func (r *renderer) drawLineRow(y float64, l Line) float64 {
	r.font("", sizeBody)
	desc := r.wrap(l.Description, lineColumns[0].width-2*cellPad)
	cells := r.lineCells(l)
	for {
		h := rowHeight(len(desc))
		if y+h <= contentBottom {
			r.drawRowCells(y, h, desc, cells)
			return y + h
		}
		fit := int((contentBottom - y - 2*rowPad) / rowLine)
		if h <= pageRoomForRows || fit < 1 {
			y = r.drawTableHeader(r.newPage())
			continue
		}
		r.drawRowCells(y, rowHeight(fit), desc[:fit], cells)
		desc, cells = desc[fit:], nil
		y = r.drawTableHeader(r.newPage())
	}
}

// lineCells are the printed values of a line's numeric columns.
func (r *renderer) lineCells(l Line) []string {
	qty := r.number(l.Quantity)
	if u := strings.TrimSpace(l.Unit); u != "" {
		qty += " " + u
	}
	discount := ""
	if !l.DiscountPct.IsZero() {
		discount = r.percent(l.DiscountPct)
	}
	return []string{qty, r.money(l.UnitPrice), discount, r.percent(l.VATRate), r.money(l.Amount)}
}

// drawRowCells draws a row of height h: the description lines and, when
// given, the numeric cells aligned with its first line; then a light rule.
func (r *renderer) drawRowCells(y, h float64, desc, cells []string) {
	r.font("", sizeBody)
	r.textColor(colorText)
	first := lineColumns[0]
	r.lines(marginLeft+cellPad, y+rowPad, first.width-2*cellPad, rowLine, desc, "L")
	x := marginLeft + first.width
	for i, c := range lineColumns[1:] {
		if i < len(cells) {
			r.text(x+cellPad, y+rowPad, c.width-2*cellPad, rowLine, cells[i], c.align)
		}
		x += c.width
	}
	r.hrule(marginLeft, contentRight, y+h, 0.2, colorRule)
}
