package pdf

import (
	"fmt"
	"strings"
)

// Heading geometry: the issuer on the left, the document title and its
// numbers and dates on the right.
const (
	issuerWidth = 96.0
	metaWidth   = 72.0
	metaLeft    = contentRight - metaWidth
	logoMaxW    = 50.0
	logoMaxH    = 18.0
)

// drawHeading draws the top of the first page and returns the y under it.
func (r *renderer) drawHeading() (float64, error) {
	left, err := r.drawIssuer(marginTop)
	if err != nil {
		return 0, err
	}
	right := r.drawMeta(marginTop)
	return max(left, right) + 6, nil
}

// drawIssuer draws the logo, then the issuer's name, NIF and address.
func (r *renderer) drawIssuer(y float64) (float64, error) {
	if len(r.inv.Logo) > 0 {
		_, h, err := r.placeImage(r.inv.Logo, marginLeft, y, logoMaxW, logoMaxH)
		if err != nil {
			return 0, fmt.Errorf("pdf: logo: %w", err)
		}
		y += h + 4
	}
	iss := r.inv.Issuer
	r.font("B", sizeName)
	r.textColor(colorText)
	nameH := lineHeight(sizeName)
	y = r.lines(marginLeft, y, issuerWidth, nameH, r.wrap(iss.Name, issuerWidth), "L")
	y += 0.5
	return r.drawPartyDetails(iss, marginLeft, y, issuerWidth), nil
}

// drawPartyDetails prints the NIF, address and contact lines of p and
// returns the y under them.
func (r *renderer) drawPartyDetails(p Party, x, y, w float64) float64 {
	r.font("", sizeBody)
	r.textColor(colorText)
	lh := lineHeight(sizeBody)
	for _, l := range r.partyDetails(p) {
		y = r.lines(x, y, w, lh, r.wrap(l, w), "L")
	}
	return y
}

// partyDetails lists the printed lines under a party's name.
func (r *renderer) partyDetails(p Party) []string {
	var out []string
	if id := strings.TrimSpace(p.TaxID); id != "" {
		out = append(out, r.t("pdf.tax_id")+": "+id)
	}
	out = append(out, addressLines(p.Address)...)
	if c := joinNonEmpty(" | ", p.Email, p.Phone); c != "" {
		out = append(out, c)
	}
	return out
}

// metaRow is one "label: value" line under the document title.
type metaRow struct{ label, value string }

// metaRows lists the number, series and dates, skipping the empty ones and
// the operation date when it is the issue date.
func (r *renderer) metaRows() []metaRow {
	inv := r.inv
	rows := []metaRow{{r.numberLabel(), r.numberText()}}
	if inv.Series != "" {
		rows = append(rows, metaRow{r.t("pdf.series"), inv.Series})
	}
	rows = append(rows, metaRow{r.t("pdf.issue_date"), r.date(inv.IssueDate)})
	if !inv.OperationDate.IsZero() && !sameDay(inv.OperationDate, inv.IssueDate) {
		rows = append(rows, metaRow{r.t("pdf.operation_date"), r.date(inv.OperationDate)})
	}
	if !inv.DueDate.IsZero() {
		rows = append(rows, metaRow{r.t("pdf.due_date"), r.date(inv.DueDate)})
	}
	if !inv.ValidUntil.IsZero() {
		rows = append(rows, metaRow{r.t("pdf.quote.valid_until"), r.date(inv.ValidUntil)})
	}
	return rows
}

// drawMeta draws the title and the meta rows, right-aligned.
func (r *renderer) drawMeta(y float64) float64 {
	r.font("B", sizeTitle)
	r.textColor(colorAccent)
	titleH := lineHeight(sizeTitle)
	y = r.lines(metaLeft, y-1, metaWidth, titleH, r.wrap(strings.ToUpper(r.title()), metaWidth), "R")
	y += 2
	if mark := r.draftMark(); mark != "" {
		r.font("B", sizeName)
		r.textColor(colorDraft)
		y = r.lines(metaLeft, y, metaWidth, lineHeight(sizeName), r.wrap(mark, metaWidth), "R")
		y += 1
	}
	lh := lineHeight(sizeBody) + 0.6
	for _, row := range r.metaRows() {
		r.font("", sizeBody)
		r.textColor(colorMuted)
		r.text(metaLeft, y, metaWidth, lh, row.label, "L")
		r.font("B", sizeBody)
		r.textColor(colorText)
		r.text(metaLeft, y, metaWidth, lh, row.value, "R")
		y += lh
	}
	return y
}
