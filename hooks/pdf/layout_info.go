package pdf

import "strings"

// Text blocks at the end of the invoice: a small accent title over rows that
// are either "label  value" pairs or plain paragraphs.
const (
	sectionTitleH = 6.0
	infoLabelW    = 32.0
	infoGap       = 5.0
)

// infoBlock is one titled block of text.
type infoBlock struct {
	title string
	rows  []infoRow
}

// infoRow is a labelled value, or a paragraph when label is empty. lines is
// the value already wrapped to the block's width; it is never empty.
type infoRow struct {
	label string
	lines []string
}

var infoLine = lineHeight(sizeBody)

// paymentBlock builds the payment instructions, wrapped to width w; ok is
// false when the invoice has none.
func (r *renderer) paymentBlock(w float64) (b infoBlock, ok bool) {
	rows := r.paymentRows(w - infoLabelW)
	return infoBlock{r.t("pdf.payment.title"), rows}, len(rows) > 0
}

// closingBlocks builds the legal notes and notes blocks that have content,
// across the page.
func (r *renderer) closingBlocks() []infoBlock {
	var blocks []infoBlock
	if rows := r.legalRows(); len(rows) > 0 {
		blocks = append(blocks, infoBlock{r.t("pdf.legal.title"), rows})
	}
	r.font("", sizeBody)
	if lines := r.wrap(r.inv.Notes, contentWidth); len(lines) > 0 {
		blocks = append(blocks, infoBlock{r.t("pdf.notes.title"), []infoRow{{lines: lines}}})
	}
	return blocks
}

// legalRows returns the wording required for each rate without VAT.
func (r *renderer) legalRows() []infoRow {
	r.font("", sizeBody)
	var rows []infoRow
	for _, t := range r.inv.Taxes {
		reason := strings.TrimSpace(t.ExemptionReason)
		if reason == "" || !t.Rate.IsZero() {
			continue
		}
		s := r.tf("pdf.legal.vat_exempt", "rate", r.percent(t.Rate), "base", r.money(t.Base), "reason", reason)
		rows = append(rows, infoRow{lines: r.wrap(s, contentWidth)})
	}
	return rows
}

// paymentRows lists the payment method, bank details, reference and due
// date that are set, with values wrapped to valueW.
func (r *renderer) paymentRows(valueW float64) []infoRow {
	p := r.inv.Payment
	if p == nil {
		return nil
	}
	r.font("", sizeBody)
	var rows []infoRow
	add := func(labelKey, value string) {
		if value = strings.TrimSpace(value); value != "" {
			rows = append(rows, infoRow{r.t(labelKey), r.wrap(value, valueW)})
		}
	}
	if p.Method != "" {
		add("pdf.payment.method", r.t("pdf.payment.method."+p.Method))
	}
	add("pdf.payment.iban", groupIBAN(p.IBAN))
	add("pdf.payment.bic", p.BIC)
	add("pdf.payment.reference", p.Reference)
	if !r.inv.DueDate.IsZero() {
		add("pdf.payment.due", r.date(r.inv.DueDate))
	}
	return rows
}

// blocksHeight is the height that drawInfoBlock takes for blocks.
func blocksHeight(blocks []infoBlock) float64 {
	h := 0.0
	for _, b := range blocks {
		h += infoGap + sectionTitleH
		for _, row := range b.rows {
			h += float64(len(row.lines)) * infoLine
		}
	}
	return h
}

// drawInfoBlock draws b at x from y and returns the y under it. Unlike the
// rest of the summary, a block may be longer than a page (long notes), so it
// flows onto new pages line by line.
func (r *renderer) drawInfoBlock(x, y float64, b infoBlock) float64 {
	y += infoGap
	if y+sectionTitleH+infoLine > contentBottom {
		y = r.newPage()
	}
	r.drawSectionTitle(x, y, b.title)
	y += sectionTitleH
	for _, row := range b.rows {
		for i, line := range row.lines {
			if y+infoLine > contentBottom {
				y = r.newPage()
			}
			vx := x
			if row.label != "" {
				vx += infoLabelW
			}
			if row.label != "" && i == 0 {
				r.font("", sizeBody)
				r.textColor(colorMuted)
				r.text(x, y, infoLabelW, infoLine, row.label, "L")
			}
			r.font("", sizeBody)
			r.textColor(colorText)
			r.text(vx, y, contentRight-vx, infoLine, line, "L")
			y += infoLine
		}
	}
	return y
}

// drawSectionTitle writes a small upper-case accent title.
func (r *renderer) drawSectionTitle(x, y float64, title string) {
	r.font("B", sizeCaption)
	r.textColor(colorAccent)
	r.text(x, y, contentRight-x, sectionTitleH-2, strings.ToUpper(title), "L")
}
