package pdf

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/pdfdoc"
)

// Statement is a customer's statement of account on one day: what is still
// open, with the late-payment interest and compensation it carries, and the
// payments received lately. Money is final, rounded amounts in Currency.
type Statement struct {
	Lang     string // "es" or "en"
	Currency string
	AsOf     time.Time // the day the statement is made up to

	Issuer   Party
	Customer Party
	Logo     []byte // PNG or JPEG; nil prints none

	Open     []StatementInvoice // in the order printed
	Payments []StatementPayment // in the order printed
	Totals   StatementTotals
	// InterestUntil, when set, is the last day interest could be worked
	// out to: the rate of the half-year after it is not in the table yet.
	InterestUntil time.Time
	// Payment tells how to pay; nil prints no payment block.
	Payment *Payment
}

// StatementInvoice is one open invoice.
type StatementInvoice struct {
	Number             string
	IssueDate, DueDate time.Time
	Total, Paid        decimal.Decimal
	Outstanding        decimal.Decimal
	DaysLate           int // zero when not yet due
	Interest           decimal.Decimal
	Compensation       decimal.Decimal // zero when not late
}

// StatementPayment is one payment received.
type StatementPayment struct {
	Date      time.Time
	Invoice   string // its number
	Amount    decimal.Decimal
	Method    string // one of the payment methods ("transfer", …)
	Reference string
}

// StatementTotals close the statement.
type StatementTotals struct {
	Outstanding, Interest, Compensation decimal.Decimal
	// Claimable is Outstanding + Interest + Compensation.
	Claimable decimal.Decimal
}

// RenderStatement lays out s on A4 pages and returns the PDF. Like Render,
// the same Statement always gives the same bytes: the document date is AsOf.
func RenderStatement(s Statement) ([]byte, error) {
	set, err := loadFonts()
	if err != nil {
		return nil, fmt.Errorf("pdf: fonts: %w", err)
	}
	r := &renderer{fonts: set, stmt: &s, inv: &Invoice{
		Lang: s.Lang, Currency: s.Currency, Issuer: s.Issuer, Customer: s.Customer, Logo: s.Logo, Payment: s.Payment,
	}}
	r.doc = pdfdoc.New(pdfdoc.Info{
		Title:   r.t("pdf.statement") + " " + s.Customer.Name + " " + s.AsOf.Format(time.DateOnly),
		Author:  s.Issuer.Name,
		Creator: "facturo",
		Date:    documentDate(s.AsOf),
		Lang:    s.Lang,
	})
	if err := r.drawStatement(); err != nil {
		return nil, err
	}
	return r.doc.Bytes(), nil
}

// The open invoices' columns; the number takes what the others leave.
var statementColumns = []column{
	{"pdf.statement.col.number", contentWidth - 19 - 19 - 20 - 19 - 20 - 14 - 18 - 14, "L"},
	{"pdf.statement.col.issue_date", 19, "L"},
	{"pdf.statement.col.due_date", 19, "L"},
	{"pdf.statement.col.total", 20, "R"},
	{"pdf.statement.col.paid", 19, "R"},
	{"pdf.statement.col.outstanding", 20, "R"},
	{"pdf.statement.col.days_late", 14, "R"},
	{"pdf.statement.col.interest", 18, "R"},
	{"pdf.statement.col.compensation", 14, "R"},
}

var paymentColumns = []column{
	{"pdf.statement.payments.col.date", 20, "L"},
	{"pdf.statement.payments.col.invoice", 34, "L"},
	{"pdf.statement.payments.col.amount", 26, "R"},
	{"pdf.statement.payments.col.method", 38, "L"},
	{"pdf.statement.payments.col.reference", contentWidth - 20 - 34 - 26 - 38, "L"},
}

// drawStatement draws the heading, the two tables and the totals, then the
// footers, which need the page count.
func (r *renderer) drawStatement() error {
	r.newPage()
	left, err := r.drawIssuer(marginTop)
	if err != nil {
		return err
	}
	y := max(left, r.drawStatementMeta(marginTop)) + 6
	y = r.drawCustomer(y) + 8

	r.font("B", sizeName)
	r.textColor(colorText)
	r.text(marginLeft, y, contentWidth, lineHeight(sizeName), r.tf("pdf.statement.as_of", "date", r.date(r.stmt.AsOf)), "L")
	y += lineHeight(sizeName) + 3

	y = r.drawStatementSection(y, "pdf.statement.open.title", "pdf.statement.open.none", statementColumns, r.openRows())
	y = r.drawStatementSection(y+4, "pdf.statement.payments.title", "pdf.statement.payments.none", paymentColumns, r.paymentRowsOfStatement())
	r.drawStatementSummary(y)

	pages := r.doc.Pages()
	for i, p := range pages {
		r.page = p
		r.drawFooter(i+1, len(pages))
	}
	return nil
}

// The statement's title is longer than "FACTURA": it is set smaller, over
// the width the issuer's block leaves, so that it stays on one line.
const (
	statementTitleSize = 16.0
	statementMetaWidth = contentWidth - issuerWidth
	statementMetaLeft  = contentRight - statementMetaWidth
)

// drawStatementMeta draws the title and the statement's date, right-aligned.
func (r *renderer) drawStatementMeta(y float64) float64 {
	r.font("B", statementTitleSize)
	r.textColor(colorAccent)
	titleH := lineHeight(statementTitleSize)
	y = r.lines(statementMetaLeft, y, statementMetaWidth, titleH, r.wrap(strings.ToUpper(r.t("pdf.statement")), statementMetaWidth), "R")
	y += 2
	lh := lineHeight(sizeBody) + 0.6
	r.font("", sizeBody)
	r.textColor(colorMuted)
	r.text(metaLeft, y, metaWidth, lh, r.t("pdf.statement.date"), "L")
	r.font("B", sizeBody)
	r.textColor(colorText)
	r.text(metaLeft, y, metaWidth, lh, r.date(r.stmt.AsOf), "R")
	return y + lh
}

func (r *renderer) openRows() [][]string {
	rows := make([][]string, 0, len(r.stmt.Open))
	for _, inv := range r.stmt.Open {
		days, interest, comp := "", "", ""
		if inv.DaysLate > 0 {
			days = strconv.Itoa(inv.DaysLate)
			interest = r.money(inv.Interest)
			comp = r.money(inv.Compensation)
		}
		rows = append(rows, []string{
			inv.Number, r.date(inv.IssueDate), r.date(inv.DueDate), r.money(inv.Total), r.money(inv.Paid),
			r.money(inv.Outstanding), days, interest, comp,
		})
	}
	return rows
}

func (r *renderer) paymentRowsOfStatement() [][]string {
	rows := make([][]string, 0, len(r.stmt.Payments))
	for _, p := range r.stmt.Payments {
		method := ""
		if p.Method != "" {
			method = r.t("pdf.payment.method." + p.Method)
		}
		rows = append(rows, []string{r.date(p.Date), p.Invoice, r.money(p.Amount), method, p.Reference})
	}
	return rows
}

// drawStatementSection draws a titled table, or a line saying it is empty,
// and returns the y under it. The title never ends a page alone.
func (r *renderer) drawStatementSection(y float64, titleKey, emptyKey string, cols []column, rows [][]string) float64 {
	if y+sectionTitleH+headerHeight+rowHeight(1) > contentBottom {
		y = r.newPage()
	}
	r.drawSectionTitle(marginLeft, y, r.t(titleKey))
	y += sectionTitleH
	if len(rows) == 0 {
		r.font("", sizeBody)
		r.textColor(colorMuted)
		r.text(marginLeft, y, contentWidth, rowLine, r.t(emptyKey), "L")
		return y + rowLine
	}
	y = r.drawColumnsHeader(y, cols)
	for _, row := range rows {
		y = r.drawStatementRow(y, cols, row)
	}
	return y
}

// drawColumnsHeader draws a table's column titles on the accent band.
func (r *renderer) drawColumnsHeader(y float64, cols []column) float64 {
	r.box(marginLeft, y, contentWidth, headerHeight, colorAccent)
	r.font("B", sizeCaption)
	r.textColor(colorWhite)
	x := marginLeft
	for _, c := range cols {
		r.text(x+cellPad, y, c.width-2*cellPad, headerHeight, r.t(c.label), c.align)
		x += c.width
	}
	return y + headerHeight
}

// drawStatementRow draws one row, each cell wrapped to its column. A row is
// never split: when it does not fit, it starts the next page, under the
// repeated column titles.
func (r *renderer) drawStatementRow(y float64, cols []column, cells []string) float64 {
	r.font("", sizeSmall)
	wrapped := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		wrapped[i] = r.wrap(cells[i], c.width-2*cellPad)
		n = max(n, len(wrapped[i]))
	}
	line := lineHeight(sizeSmall)
	h := 2*rowPad + float64(n)*line
	if y+h > contentBottom {
		y = r.drawColumnsHeader(r.newPage(), cols)
		r.font("", sizeSmall)
	}
	r.textColor(colorText)
	x := marginLeft
	for i, c := range cols {
		r.lines(x+cellPad, y+rowPad, c.width-2*cellPad, line, wrapped[i], c.align)
		x += c.width
	}
	r.hrule(marginLeft, contentRight, y+h, 0.2, colorRule)
	return y + h
}

// statementTotalsRows are the lines above the total claimable.
func (r *renderer) statementTotalsRows() []metaRow {
	t := r.stmt.Totals
	return []metaRow{
		{r.t("pdf.statement.totals.outstanding"), r.money(t.Outstanding)},
		{r.t("pdf.statement.totals.interest"), r.money(t.Interest)},
		{r.t("pdf.statement.totals.compensation"), r.money(t.Compensation)},
	}
}

// drawStatementSummary draws the payment instructions beside the totals, and
// the legal basis of the interest under them, kept together on one page.
func (r *renderer) drawStatementSummary(y float64) {
	var left []infoBlock
	if b, ok := r.paymentBlock(summaryLeftW); ok {
		left = append(left, b)
	}
	r.font("", sizeBody)
	legalText := r.t("pdf.statement.legal")
	if until := r.stmt.InterestUntil; !until.IsZero() {
		legalText += " " + strings.ReplaceAll(r.t("pdf.statement.interest_until"), "{date}", r.date(until))
	}
	legal := []infoBlock{{r.t("pdf.legal.title"), []infoRow{{lines: r.wrap(legalText, contentWidth)}}}}
	totalsH := sectionTitleH + float64(len(r.statementTotalsRows()))*totalsRowH + 2 + totalBandH
	h := max(blocksHeight(left), totalsH) + blocksHeight(legal)
	y += summaryGap
	if y+h > contentBottom {
		y = r.newPage()
	}
	leftBottom := y - infoGap
	for _, b := range left {
		leftBottom = r.drawInfoBlock(marginLeft, leftBottom, b)
	}
	ty := y + sectionTitleH
	for _, row := range r.statementTotalsRows() {
		r.font("", sizeBody)
		r.textColor(colorMuted)
		r.text(totalsLeft, ty, totalsWidth, totalsRowH, row.label, "L")
		r.textColor(colorText)
		r.text(totalsLeft, ty, totalsWidth, totalsRowH, row.value, "R")
		ty += totalsRowH
		r.hrule(totalsLeft, contentRight, ty, 0.2, colorRule)
	}
	ty += 2
	r.box(totalsLeft, ty, totalsWidth, totalBandH, colorAccent)
	r.font("B", sizeBody+1)
	r.textColor(colorWhite)
	r.text(totalsLeft+3, ty, totalsWidth-6, totalBandH, r.t("pdf.statement.totals.claimable"), "L")
	r.text(totalsLeft+3, ty, totalsWidth-6, totalBandH, r.money(r.stmt.Totals.Claimable), "R")
	bottom := max(leftBottom, ty+totalBandH)
	for _, b := range legal {
		bottom = r.drawInfoBlock(marginLeft, bottom, b)
	}
}
