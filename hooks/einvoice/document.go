// Package einvoice gives every issued invoice as structured e-invoices:
// UBL (Peppol BIS 3.0), CII (EN 16931) inside Factur-X PDFs, and Facturae
// 3.2.2 signed with the firm's certificate. It binds their download routes,
// the Factur-X XML into the invoice PDF, and the check, when an invoice is
// issued, that the customer's preferred format can be produced from it.
package einvoice

import (
	"errors"
	"facturo/internal/money"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/einvoice"
	"facturo/internal/taxes"
	"facturo/ui"
)

// Document is an invoice as the structured formats state it, drawn from
// its own record: the parties as frozen at issue (a draft's as they are
// now), its lines and their exact totals.
func Document(app core.App, inv *core.Record) (*einvoice.Document, error) {
	issuer, recipient, err := invoicing.Parties(app, inv)
	if err != nil {
		return nil, err
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return nil, err
	}
	t := taxes.Compute(lines)
	lang := ui.Pick(recipient.Language)
	currency := inv.GetString("currency")
	if currency == "" {
		currency = money.Currency
	}
	d := &einvoice.Document{
		Number:         inv.GetString("number"),
		IssueDate:      civil(inv, "issue_date"),
		OperationDate:  civil(inv, "operation_date"),
		DueDate:        civil(inv, "due_date"),
		Currency:       currency,
		Language:       lang,
		Seller:         party(issuer),
		Buyer:          party(recipient),
		BuyerReference: recipient.BuyerReference,
		OrderReference: strings.TrimSpace(inv.GetString("order_reference")),
	}
	for i, l := range lines {
		d.Lines = append(d.Lines, einvoice.Line{
			Description: l.Description, Quantity: l.Quantity, UnitPrice: l.UnitPrice, Discount: l.Discount,
			Amount: t.LineAmounts[i], VAT: l.VAT, Surcharge: l.Surcharge, Withholding: l.Withholding,
			Category: einvoice.Classify(l.VAT, l.VATExemption),
		})
	}
	for _, r := range t.Taxes {
		d.VAT = append(d.VAT, einvoice.VATRow{Category: einvoice.Classify(r.VAT, r.VATExemption), Rate: r.VAT, Base: r.Base,
			Tax: r.Tax, Surcharge: r.Surcharge, SurchargeAmount: r.SurchargeAmount})
	}
	for _, w := range t.Withholdings {
		d.Withholdings = append(d.Withholdings, einvoice.WithholdingRow{Rate: w.Rate, Base: w.Base, Amount: w.Amount})
	}
	d.Totals = einvoice.Totals{Subtotal: t.Subtotal, Tax: t.TaxTotal, Surcharge: t.SurchargeTotal, Withholding: t.WithholdingTotal, Total: t.Total}
	// A credit is not paid by the customer: no payment instructions, as on the PDF.
	if issuer.IBAN != "" && t.Total.IsPositive() {
		d.Payment = &einvoice.Payment{IBAN: issuer.IBAN, BIC: issuer.BIC, Reference: d.Number}
	}
	if originalID := inv.GetString("rectifies"); originalID != "" {
		original, err := app.FindRecordById(invoicing.Invoices, originalID)
		if err != nil {
			return nil, err
		}
		d.Rectification = &einvoice.Rectification{
			Code: inv.GetString("rectification_code"), Reason: inv.GetString("rectification_reason"),
			OriginalNumber: original.GetString("number"), OriginalDate: civil(original, "issue_date"),
		}
		if d.CreditNote() {
			d.PaymentTerms = strings.ReplaceAll(ui.T(lang, "einvoice.terms.credit"), "{number}", d.Rectification.OriginalNumber)
		}
	}
	if notes := strings.TrimSpace(inv.GetString("notes")); notes != "" {
		d.Notes = append(d.Notes, notes)
	}
	d.Notes = append(d.Notes, taxNotes(lang, currency, d)...)
	return d, nil
}

// taxNotes say in words what EN 16931 has no place for: the recargo de
// equivalencia within each standard rate, and the IRPF withheld (which the
// structured invoices state as already paid).
func taxNotes(lang, currency string, d *einvoice.Document) []string {
	var notes []string
	for _, r := range d.VAT {
		if r.Surcharge.IsZero() {
			continue
		}
		notes = append(notes, strings.NewReplacer(
			"{vat}", ui.FormatPercent(lang, r.Rate), "{surcharge}", ui.FormatPercent(lang, r.Surcharge),
			"{base}", ui.FormatMoney(lang, r.Base, currency), "{tax}", ui.FormatMoney(lang, r.Tax, currency),
			"{amount}", ui.FormatMoney(lang, r.SurchargeAmount, currency),
		).Replace(ui.T(lang, "einvoice.note.surcharge")))
	}
	for _, w := range d.Withholdings {
		notes = append(notes, strings.NewReplacer(
			"{rate}", ui.FormatPercent(lang, w.Rate), "{base}", ui.FormatMoney(lang, w.Base, currency),
			"{amount}", ui.FormatMoney(lang, w.Amount, currency),
		).Replace(ui.T(lang, "einvoice.note.withholding")))
	}
	return notes
}

func party(p invoicing.Party) einvoice.Party {
	return einvoice.Party{
		Name: p.Name, TradeName: p.TradeName, TaxID: p.TaxID, Address: p.Address, City: p.City,
		PostalCode: p.PostalCode, Province: p.Province, Country: strings.ToUpper(p.Country), Email: p.Email, Phone: p.Phone,
		DIR3: einvoice.DIR3{OficinaContable: p.DIR3OficinaContable, OrganoGestor: p.DIR3OrganoGestor, UnidadTramitadora: p.DIR3UnidadTramitadora},
	}
}

// civil is a date field as a civil date (midnight UTC), zero when empty.
func civil(r *core.Record, field string) time.Time {
	d := r.GetDateTime(field)
	if d.IsZero() {
		return time.Time{}
	}
	t := d.Time().UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// errNotIssued is asked of an invoice that is not issued: a draft has no
// structured invoice yet, and a voided one no longer has one.
var errNotIssued = errors.New("not issued")
