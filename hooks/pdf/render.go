package pdf

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
)

// Render lays out inv on A4 pages and returns the PDF. The same Invoice
// always gives the same bytes: the document dates are the issue date, and
// object order does not depend on map iteration. It fails only when the
// logo cannot be decoded or the QR payload cannot be encoded.
func Render(inv Invoice) ([]byte, error) {
	set, err := loadFonts()
	if err != nil {
		return nil, fmt.Errorf("pdf: fonts: %w", err)
	}
	r := &renderer{inv: &inv, fonts: set}
	r.f = r.newDocument()
	if err := r.drawDocument(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// renderer holds one document being drawn.
type renderer struct {
	f     *fpdf.Fpdf
	inv   *Invoice
	fonts *fontSet
}

// newDocument creates the fpdf document with the fonts, metadata and page
// furniture of an invoice.
func (r *renderer) newDocument() *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	stamp := documentDate(r.inv.IssueDate)
	f.SetCreationDate(stamp)
	f.SetModificationDate(stamp)
	f.SetTitle(r.drawable(r.title()+" "+r.inv.Number), true)
	f.SetAuthor(r.drawable(r.inv.Issuer.Name), true)
	f.SetCreator("facturo", false)
	f.SetLang(r.inv.Lang)
	f.SetMargins(marginLeft, marginTop, marginRight)
	// Layouts measure before drawing and start pages themselves, so that
	// rows and blocks are never cut by an automatic break.
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.AliasNbPages(pageCountAlias)
	registerFonts(f, r.fonts)
	f.SetHeaderFunc(r.drawRunningHeader)
	f.SetFooterFunc(r.drawFooter)
	return f
}

// documentDate is the PDF creation date: the issue date, so that rendering is
// reproducible. fpdf reads a zero time as "now", hence the fixed fallback.
func documentDate(issue time.Time) time.Time {
	if issue.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return time.Date(issue.Year(), issue.Month(), issue.Day(), 0, 0, 0, 0, time.UTC)
}

// drawDocument draws every section, top to bottom.
func (r *renderer) drawDocument() error {
	r.f.AddPage()
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
	return r.f.Error()
}
