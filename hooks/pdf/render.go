package pdf

import (
	"fmt"
	"time"

	"facturo/internal/pdfdoc"
)

// Render lays out inv on A4 pages and returns the PDF. The same Invoice
// always gives the same bytes: the document date is the issue date, and
// object order does not depend on map iteration. It fails only when the
// logo cannot be decoded or the QR payload cannot be encoded.
func Render(inv Invoice) ([]byte, error) {
	if inv.Kind != KindInvoice {
		// Only an issued invoice is verifiable at the AEAT or a Factur-X
		// invoice: a draft's preview or a quote carries neither, whatever
		// its caller filled in.
		inv.QR, inv.VeriFactu, inv.FacturX = "", false, nil
	}
	set, err := loadFonts()
	if err != nil {
		return nil, fmt.Errorf("pdf: fonts: %w", err)
	}
	r := &renderer{inv: &inv, fonts: set}
	r.doc = pdfdoc.New(pdfdoc.Info{
		Title:   r.title() + " " + inv.Number,
		Author:  inv.Issuer.Name,
		Creator: "facturo",
		Date:    documentDate(inv.IssueDate),
		Lang:    inv.Lang,
	})
	if len(inv.FacturX) > 0 {
		makeFacturX(r.doc, inv.FacturX)
	}
	if err := r.drawDocument(); err != nil {
		return nil, err
	}
	return r.doc.Bytes(), nil
}

// renderer holds one document being drawn.
type renderer struct {
	doc   *pdfdoc.Document
	page  *pdfdoc.Page
	inv   *Invoice
	fonts *fontSet
	pen   pen
	// stmt is set when the document is a statement of account; inv then
	// carries only the parties, language, currency and payment details.
	stmt *Statement
}

// pen is the font and colour that text is drawn with; rules and boxes are
// given theirs with each call.
type pen struct {
	font *pdfdoc.Font
	size float64
	text pdfdoc.Color
}

// documentDate is the PDF creation date: the issue date, so that rendering is
// reproducible. A draft without one gets no date.
func documentDate(issue time.Time) time.Time {
	if issue.IsZero() {
		return issue
	}
	return time.Date(issue.Year(), issue.Month(), issue.Day(), 0, 0, 0, 0, time.UTC)
}

// drawDocument draws every section, top to bottom, then the footers, which
// need the page count.
func (r *renderer) drawDocument() error {
	r.newPage()
	y, err := r.drawHeading()
	if err != nil {
		return err
	}
	y, err = r.drawPartiesRow(y)
	if err != nil {
		return err
	}
	y = r.drawRectification(y)
	y = r.drawLines(y)
	r.drawSummary(y)
	pages := r.doc.Pages()
	for i, p := range pages {
		r.page = p
		r.drawFooter(i+1, len(pages))
		if r.inv.Voided {
			p.Stamp(r.fonts.bold, 110, colorVoid, 55, r.t("pdf.voided"))
		}
	}
	return nil
}
