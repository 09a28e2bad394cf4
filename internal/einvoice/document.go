// Package einvoice is the structured invoice the product writes as UBL, CII
// (Factur-X) and Facturae: one model, filled from an issued invoice's own
// frozen record, that every writer reads. It knows the Spanish tax cases the
// product issues (IVA with its categories and exemption reasons, recargo de
// equivalencia, IRPF withholding, facturas rectificativas) and what each
// format requires of them (Missing). It binds nothing and reads no database.
package einvoice

import (
	"time"

	"github.com/shopspring/decimal"
)

// Formats a customer may prefer. PDF is the printed invoice alone; FacturX
// is the PDF with its CII XML inside.
const (
	FormatPDF      = "pdf"
	FormatFacturX  = "facturx"
	FormatUBL      = "ubl"
	FormatCII      = "cii"
	FormatFacturae = "facturae"
)

// Document is one invoice as the structured formats state it. Amounts are
// the invoice's own, exact to the cent; they carry the invoice's signs (a
// factura rectificativa's are negative), and the writers turn a credit note's
// around where their format wants positive amounts.
type Document struct {
	Number        string
	IssueDate     time.Time // civil dates: only year, month and day count
	OperationDate time.Time // zero when not stated
	DueDate       time.Time
	Currency      string
	Language      string // the recipient's: "es" or "en"

	Seller, Buyer Party

	BuyerReference string // the customer's standing reference for its invoices (Peppol BT-10)
	OrderReference string // the customer's purchase order (BT-13)
	Notes          []string
	PaymentTerms   string // how and when the invoice is settled, in words (BT-20); a credit note needs it

	Lines        []Line
	VAT          []VATRow // the invoice's tax breakdown, one row per rate, recargo and exemption reason
	Withholdings []WithholdingRow
	Totals       Totals

	Payment       *Payment       // nil when nothing is to be paid or no account is known
	Rectification *Rectification // set on a factura rectificativa
}

// Party is the seller or the buyer.
type Party struct {
	Name       string // legal name, or a person's full name
	TradeName  string
	TaxID      string // as the invoice states it (a Spanish NIF without ES, or a foreign VAT number)
	Address    string
	City       string
	PostalCode string
	Province   string
	Country    string // ISO 3166-1 alpha-2
	Email      string
	Phone      string
	DIR3       DIR3 // a public body's units, for FACe
}

// DIR3 are the three units of a Spanish public body that receive an invoice
// through FACe, by their codes in the DIR3 directory.
type DIR3 struct {
	OficinaContable   string // the accounting office
	OrganoGestor      string // the managing body
	UnidadTramitadora string // the processing unit
}

// Complete tells whether all three codes are there.
func (d DIR3) Complete() bool {
	return d.OficinaContable != "" && d.OrganoGestor != "" && d.UnidadTramitadora != ""
}

// Empty tells whether none is.
func (d DIR3) Empty() bool {
	return d.OficinaContable == "" && d.OrganoGestor == "" && d.UnidadTramitadora == ""
}

// Line is one invoice line.
type Line struct {
	Description string
	Quantity    decimal.Decimal
	UnitPrice   decimal.Decimal
	Discount    decimal.Decimal // percent
	Amount      decimal.Decimal // the line's taxable amount, rounded to the cent
	VAT         decimal.Decimal // IVA rate, percent
	Surcharge   decimal.Decimal // recargo de equivalencia rate, percent, or zero
	Withholding decimal.Decimal // IRPF rate, percent, or zero
	Category    Category
}

// Gross is quantity × unit price, before the discount, rounded to the cent.
func (l Line) Gross() decimal.Decimal {
	return l.Quantity.Mul(l.UnitPrice).Round(2)
}

// VATRow is one row of the tax breakdown.
type VATRow struct {
	Category        Category
	Rate            decimal.Decimal // IVA rate
	Base            decimal.Decimal
	Tax             decimal.Decimal
	Surcharge       decimal.Decimal // recargo rate
	SurchargeAmount decimal.Decimal
}

// WithholdingRow is the IRPF withheld at one rate.
type WithholdingRow struct {
	Rate, Base, Amount decimal.Decimal
}

// Totals are the invoice's totals.
type Totals struct {
	Subtotal    decimal.Decimal // sum of the line amounts: the taxable base
	Tax         decimal.Decimal // IVA
	Surcharge   decimal.Decimal // recargo de equivalencia
	Withholding decimal.Decimal // IRPF withheld
	Total       decimal.Decimal // Subtotal + Tax + Surcharge − Withholding: what the buyer pays
}

// WithTaxes is what the invoice totals before the withholding.
func (t Totals) WithTaxes() decimal.Decimal { return t.Subtotal.Add(t.Tax).Add(t.Surcharge) }

// Payment is how the buyer pays: a transfer to the seller's account.
type Payment struct {
	IBAN, BIC string
	Reference string // what the transfer should say: the invoice number
}

// Rectification is what a factura rectificativa corrects.
type Rectification struct {
	Code           string // R1–R5, as VERI*FACTU names the legal grounds
	Reason         string
	OriginalNumber string
	OriginalDate   time.Time
}

// CreditNote tells whether the document is a credit: a factura
// rectificativa whose total is negative. UBL and CII write it as a credit
// note with the amounts turned positive.
func (d *Document) CreditNote() bool {
	return d.Rectification != nil && d.Totals.Total.IsNegative()
}
