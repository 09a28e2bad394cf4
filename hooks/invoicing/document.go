package invoicing

import (
	"errors"
	"fmt"
	"io"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/pdf"
	"facturo/internal/huella"
	"facturo/internal/taxes"
)

// PDFFileName is the name an invoice's PDF is downloaded and attached
// under: ASCII only, so that every mail client and file system keeps it.
func PDFFileName(inv *core.Record) string {
	return "Factura-" + inv.GetString("number") + ".pdf"
}

// AttachPDF renders an issued invoice's PDF and stores it in the invoice's
// protected pdf field, unless it has one. Rendering happens outside any
// transaction: issuing must not hold SQLite's writer while a PDF is drawn.
func AttachPDF(app core.App, invoiceID string) (*core.Record, error) {
	inv, err := findInvoice(app, invoiceID)
	if err != nil {
		return nil, err
	}
	if inv.GetString("status") == StatusDraft {
		return nil, errors.New("a draft has no PDF")
	}
	if inv.GetString("pdf") != "" {
		return inv, nil
	}
	doc, err := RenderPDF(app, inv)
	if err != nil {
		return nil, fmt.Errorf("rendering the PDF of %s: %w", inv.GetString("number"), err)
	}
	file, err := filesystem.NewFileFromBytes(doc, PDFFileName(inv))
	if err != nil {
		return nil, err
	}
	err = app.RunInTransaction(func(tx core.App) error {
		inv, err = findInvoice(tx, invoiceID)
		if err != nil || inv.GetString("pdf") != "" {
			return err
		}
		inv.Set("pdf", file)
		return saveAsSystem(tx, inv)
	})
	return inv, err
}

// RenderPDF draws an issued invoice as its customer received it: from its
// own frozen record, the parties as they were copied at issue; a voided
// one is stamped so on every page.
func RenderPDF(app core.App, inv *core.Record) ([]byte, error) {
	firm, err := LoadIssuer(app)
	if err != nil {
		return nil, err
	}
	issuer, recipient, err := Parties(app, inv)
	if err != nil {
		return nil, err
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return nil, err
	}
	logo, err := ReadLogo(app, firm)
	if err != nil {
		return nil, err
	}
	lang := recipient.Language
	if lang == "" {
		lang = firm.GetString("default_language")
	}
	mode, err := QRModeOf(app, inv)
	if err != nil {
		return nil, err
	}
	doc := pdf.Invoice{
		Lang:          lang,
		Series:        inv.GetString("series"),
		Number:        inv.GetString("number"),
		IssueDate:     inv.GetDateTime("issue_date").Time(),
		OperationDate: inv.GetDateTime("operation_date").Time(),
		DueDate:       inv.GetDateTime("due_date").Time(),
		Currency:      inv.GetString("currency"),
		Issuer:        issuer.Printed(lang, issuer.Country),
		Customer:      recipient.Printed(lang, issuer.Country),
		Logo:          logo,
		Notes:         inv.GetString("notes"),
		QR: huella.QR{
			IssuerTaxID: inv.GetString("issuer_tax_id"),
			Number:      inv.GetString("number"),
			IssueDate:   inv.GetDateTime("issue_date").Time(),
			Total:       huellaRecord(inv).Total,
			VeriFactu:   mode.VeriFactu,
			Testing:     mode.Testing,
		}.URL(),
		VeriFactu: mode.VeriFactu,
		Testing:   mode.VeriFactu && mode.Testing,
		Voided:    inv.GetString("status") == StatusVoided,
	}
	fillAmounts(&doc, lines)
	// A credit (a factura rectificativa with a negative total) is not paid
	// by the customer: no payment instructions.
	if issuer.IBAN != "" && doc.Totals.Total.IsPositive() {
		doc.Payment = &pdf.Payment{Method: "transfer", IBAN: issuer.IBAN, BIC: issuer.BIC, Reference: inv.GetString("number")}
	}
	if originalID := inv.GetString("rectifies"); originalID != "" {
		original, err := app.FindRecordById(Invoices, originalID)
		if err != nil {
			return nil, err
		}
		doc.Rectification = &pdf.Rectification{
			Code:           inv.GetString("rectification_code"),
			OriginalNumber: original.GetString("number"),
			OriginalDate:   original.GetDateTime("issue_date").Time(),
			Reason:         inv.GetString("rectification_reason"),
		}
	}
	if err := OnRenderingPDF(app).Trigger(&RenderingPDFEvent{App: app, Invoice: inv, Document: &doc}); err != nil {
		return nil, err
	}
	return pdf.Render(doc)
}

// QRModeOf is how an issued invoice's QR code and legend read: as the
// registry of its records says (VERI*FACTU only for an invoice whose
// records go to the AEAT), or, without one, as an invoice of a system that
// sends nothing.
func QRModeOf(app core.App, inv *core.Record) (QRMode, error) {
	if r := registry(app); r != nil {
		return r.QR(app, inv)
	}
	return QRMode{}, nil
}

// fillAmounts copies the lines and their exact totals into the document.
func fillAmounts(doc *pdf.Invoice, lines []taxes.Line) {
	t := taxes.Compute(lines)
	for i, l := range lines {
		doc.Lines = append(doc.Lines, pdf.Line{
			Description: l.Description, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			DiscountPct: l.Discount, VATRate: l.VAT, Amount: t.LineAmounts[i],
		})
	}
	for _, row := range t.Taxes {
		doc.Taxes = append(doc.Taxes, pdf.TaxRow{
			Rate: row.VAT, Base: row.Base, VAT: row.Tax, SurchargeRate: row.Surcharge,
			Surcharge: row.SurchargeAmount, ExemptionReason: row.VATExemption,
		})
	}
	for _, w := range t.Withholdings {
		doc.Withholdings = append(doc.Withholdings, pdf.WithholdingRow{Rate: w.Rate, Base: w.Base, Amount: w.Amount})
	}
	doc.Totals = pdf.Totals{Base: t.Subtotal, VAT: t.TaxTotal, Surcharge: t.SurchargeTotal, Withholding: t.WithholdingTotal, Total: t.Total}
}

// ReadLogo returns the issuer's logo bytes, or nil when there is none.
func ReadLogo(app core.App, issuer *core.Record) ([]byte, error) {
	name := issuer.GetString("logo")
	if name == "" {
		return nil, nil
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	f, err := fsys.GetReader(issuer.BaseFilesPath() + "/" + name)
	if err != nil {
		return nil, fmt.Errorf("reading the issuer's logo: %w", err)
	}
	defer f.Close()
	return io.ReadAll(f)
}
