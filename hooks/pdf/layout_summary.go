package pdf

// The summary closes the invoice: the tax breakdown and the payment
// instructions on the left, the totals on the right, then the legal notes and
// the notes across the page. It is kept in one piece, on the last page.
const (
	totalsWidth  = 70.0
	totalsLeft   = contentRight - totalsWidth
	summaryLeftW = totalsLeft - marginLeft - 8
	summaryGap   = 6.0
	totalBandH   = 9.0
	totalsRowH   = 5.0
	breakdownRow = 5.0
)

// drawSummary draws the summary under the lines table, or at the top of a new
// page when it does not fit in what is left of this one.
func (r *renderer) drawSummary(y float64) {
	var left []infoBlock
	if b, ok := r.paymentBlock(summaryLeftW); ok {
		left = append(left, b)
	}
	below := r.closingBlocks()
	leftH := r.breakdownHeight() + blocksHeight(left)
	h := max(leftH, r.totalsHeight()) + blocksHeight(below)
	y += summaryGap
	if y+h > contentBottom {
		y = r.newPage()
	}
	leftBottom := r.drawBreakdown(y)
	for _, b := range left {
		leftBottom = r.drawInfoBlock(marginLeft, leftBottom, b)
	}
	bottom := max(leftBottom, r.drawTotals(y))
	for _, b := range below {
		bottom = r.drawInfoBlock(marginLeft, bottom, b)
	}
}

// breakdownColumns are the tax breakdown's columns; the recargo de
// equivalencia columns appear only when some rate carries it.
func (r *renderer) breakdownColumns() []column {
	cols := []column{
		{"pdf.breakdown.base", 26, "R"},
		{"pdf.breakdown.rate", 15, "R"},
		{"pdf.breakdown.vat", 22, "R"},
	}
	if r.hasSurcharge() {
		cols = append(cols,
			column{"pdf.breakdown.surcharge_rate", 15, "R"},
			column{"pdf.breakdown.surcharge", 22, "R"})
	}
	return cols
}

func (r *renderer) hasSurcharge() bool {
	for _, t := range r.inv.Taxes {
		if !t.SurchargeRate.IsZero() || !t.Surcharge.IsZero() {
			return true
		}
	}
	return false
}

// breakdownCells are the printed values of one tax row.
func (r *renderer) breakdownCells(t TaxRow) []string {
	cells := []string{r.money(t.Base), r.percent(t.Rate), r.money(t.VAT)}
	switch {
	case !t.SurchargeRate.IsZero() || !t.Surcharge.IsZero():
		cells = append(cells, r.percent(t.SurchargeRate), r.money(t.Surcharge))
	case r.hasSurcharge():
		cells = append(cells, "", "")
	}
	return cells
}

func (r *renderer) breakdownHeight() float64 {
	return sectionTitleH + breakdownRow + float64(len(r.inv.Taxes))*breakdownRow
}

// drawBreakdown draws the per-rate tax table and returns the y under it.
func (r *renderer) drawBreakdown(y float64) float64 {
	r.drawSectionTitle(marginLeft, y, r.t("pdf.breakdown.title"))
	y += sectionTitleH
	cols := r.breakdownColumns()
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = r.t(c.label)
	}
	r.font("B", sizeCaption)
	r.textColor(colorMuted)
	y = r.drawBreakdownRow(y, cols, header)
	r.font("", sizeBody)
	r.textColor(colorText)
	for _, t := range r.inv.Taxes {
		y = r.drawBreakdownRow(y, cols, r.breakdownCells(t))
	}
	return y
}

func (r *renderer) drawBreakdownRow(y float64, cols []column, cells []string) float64 {
	x := marginLeft
	for i, c := range cols {
		r.text(x, y, c.width-cellPad, breakdownRow, cells[i], c.align)
		x += c.width
	}
	r.hrule(marginLeft, x, y+breakdownRow, 0.2, colorRule)
	return y + breakdownRow
}

// totalsRows are the lines above the total: base, VAT, surcharge when any,
// and one line per withholding, subtracted, with the rate and the base it
// applies to.
func (r *renderer) totalsRows() []metaRow {
	tot := r.inv.Totals
	rows := []metaRow{
		{r.t("pdf.totals.base"), r.money(tot.Base)},
		{r.t("pdf.totals.vat"), r.money(tot.VAT)},
	}
	if !tot.Surcharge.IsZero() {
		rows = append(rows, metaRow{r.t("pdf.totals.surcharge"), r.money(tot.Surcharge)})
	}
	for _, w := range r.inv.Withholdings {
		label := r.tf("pdf.totals.withholding", "rate", r.percent(w.Rate), "base", r.money(w.Base))
		rows = append(rows, metaRow{label, r.money(w.Amount.Neg())})
	}
	return rows
}

func (r *renderer) totalsHeight() float64 {
	return sectionTitleH + float64(len(r.totalsRows()))*totalsRowH + 2 + totalBandH
}

// drawTotals draws the totals column, ending with the amount payable on an
// accent band, and returns the y under it.
func (r *renderer) drawTotals(y float64) float64 {
	y += sectionTitleH
	for _, row := range r.totalsRows() {
		r.font("", sizeBody)
		valueW := r.width(row.value)
		// A long label (a withholding's, with its base) takes a smaller
		// size rather than run into its amount.
		for _, size := range []float64{sizeSmall, sizeCaption} {
			if r.width(row.label)+valueW+2 <= totalsWidth {
				break
			}
			r.font("", size)
		}
		r.textColor(colorMuted)
		r.text(totalsLeft, y, totalsWidth, totalsRowH, row.label, "L")
		r.font("", sizeBody)
		r.textColor(colorText)
		r.text(totalsLeft, y, totalsWidth, totalsRowH, row.value, "R")
		y += totalsRowH
		r.hrule(totalsLeft, contentRight, y, 0.2, colorRule)
	}
	y += 2
	r.box(totalsLeft, y, totalsWidth, totalBandH, colorAccent)
	r.font("B", sizeTotal)
	r.textColor(colorWhite)
	r.text(totalsLeft+3, y, totalsWidth-6, totalBandH, r.t("pdf.totals.total"), "L")
	r.text(totalsLeft+3, y, totalsWidth-6, totalBandH, r.money(r.inv.Totals.Total), "R")
	return y + totalBandH
}
