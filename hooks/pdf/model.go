package pdf

import (
	"time"

	"github.com/shopspring/decimal"
)

// Invoice is everything printed on one invoice. Money fields are final
// amounts in Currency, already rounded; rates are percentages (21, 5.2).
// Dates are civil dates: only their year, month and day are printed.
type Invoice struct {
	// Kind is what is drawn: an invoice (the zero value), a draft's
	// preview, or a quote.
	Kind Kind
	// Lang is the language of the document: "es" or "en".
	Lang string
	// Series is the invoice series; empty when the issuer uses none.
	Series string
	// Number is the full invoice number as it must be printed.
	Number string
	// IssueDate is the date of issue (fecha de expedición).
	IssueDate time.Time
	// OperationDate is the date of the supply; it is printed only when set
	// and different from IssueDate.
	OperationDate time.Time
	// DueDate is printed when set.
	DueDate time.Time
	// ValidUntil is the last day a quote stands; printed on quotes.
	ValidUntil time.Time
	// Currency is an ISO 4217 code, such as "EUR".
	Currency string

	// Issuer is the seller, who issues the invoice.
	Issuer Party
	// Customer is the buyer, to whom the invoice is addressed.
	Customer Party
	// Logo is the issuer's logo, PNG or JPEG; nil prints none.
	Logo []byte

	// Lines are the invoice lines, printed in order.
	Lines []Line
	// Taxes is the breakdown per VAT rate (and recargo de equivalencia).
	Taxes []TaxRow
	// Withholdings are the income-tax withholdings; usually none or one.
	Withholdings []WithholdingRow
	// Totals are the amounts that close the invoice.
	Totals Totals

	// Rectification is set when the invoice corrects an earlier one.
	Rectification *Rectification
	// Payment tells the customer how to pay; nil prints no payment block.
	Payment *Payment
	// Notes is free text printed at the end; line breaks are kept.
	Notes string

	// QR is the VeriFactu verification URL encoded in the tax QR code;
	// empty prints no QR code.
	QR string
	// VeriFactu is true when the invoice was sent to the AEAT under the
	// VERI*FACTU scheme, which adds the scheme's legend under the QR code.
	VeriFactu bool

	// FacturX is the invoice's CII XML (EN 16931 profile); when set, the
	// PDF is a Factur-X file: PDF/A-3b carrying it as factur-x.xml.
	FacturX []byte
	// Testing is true when its records went to the AEAT's test environment,
	// which the legend then says.
	Testing bool
	// Voided is true when the invoice was cancelled as issued by mistake:
	// every page is stamped so.
	Voided bool
}

// Party is the issuer or the customer of an invoice.
type Party struct {
	// Name is the legal name, or full name for a person.
	Name string
	// TaxID is the NIF, or the foreign tax identifier of a customer.
	TaxID string
	// Address is the postal address.
	Address Address
	// Email and Phone are optional contact details.
	Email string
	Phone string
	// Registry is the issuer's commercial-registry entry ("Inscrita en el
	// Registro Mercantil de …"), printed in the page footer; unused for the
	// customer.
	Registry string
}

// Address is a postal address; empty fields are skipped.
type Address struct {
	// Line1 and Line2 are the street lines.
	Line1 string
	Line2 string
	// PostalCode, City and Province are printed as "28013 Madrid
	// (Madrid)"; the province is left out when it repeats the city.
	PostalCode string
	City       string
	Province   string
	// Country is the country name as it must be printed; empty for the
	// issuer's own country.
	Country string
}

// Line is one line of the invoice.
type Line struct {
	// Description is wrapped over as many lines as it needs; line breaks
	// are kept.
	Description string
	// Quantity may be negative on a rectifying invoice.
	Quantity decimal.Decimal
	// Unit is the unit of Quantity as printed ("h", "kg"); may be empty.
	Unit string
	// UnitPrice is the price of one unit, before the discount.
	UnitPrice decimal.Decimal
	// DiscountPct is the discount in percent; zero prints nothing.
	DiscountPct decimal.Decimal
	// VATRate is the line's VAT rate in percent.
	VATRate decimal.Decimal
	// Amount is the line's taxable base, after the discount.
	Amount decimal.Decimal
}

// TaxRow is the breakdown for one VAT rate.
type TaxRow struct {
	// Rate is the VAT rate in percent.
	Rate decimal.Decimal
	// Base is the taxable base at Rate.
	Base decimal.Decimal
	// VAT is the VAT due on Base.
	VAT decimal.Decimal
	// SurchargeRate and Surcharge are the recargo de equivalencia; zero
	// when it does not apply.
	SurchargeRate decimal.Decimal
	Surcharge     decimal.Decimal
	// ExemptionReason is the legal wording required when Rate is zero,
	// such as "Exenta por el artículo 20 de la Ley 37/1992".
	ExemptionReason string
}

// WithholdingRow is an income-tax withholding (IRPF) on the invoice.
type WithholdingRow struct {
	// Rate is the withholding rate in percent (15, 7).
	Rate decimal.Decimal
	// Base is the amount the rate applies to.
	Base decimal.Decimal
	// Amount is the withheld amount, positive; it is subtracted from the
	// total.
	Amount decimal.Decimal
}

// Totals are the invoice totals.
type Totals struct {
	// Base is the sum of the taxable bases.
	Base decimal.Decimal
	// VAT is the sum of the VAT amounts.
	VAT decimal.Decimal
	// Surcharge is the sum of the recargo de equivalencia amounts.
	Surcharge decimal.Decimal
	// Withholding is the sum of the withheld amounts, positive.
	Withholding decimal.Decimal
	// Total is the amount payable: Base + VAT + Surcharge - Withholding.
	Total decimal.Decimal
}

// Rectification describes the invoice that a rectifying invoice corrects.
type Rectification struct {
	// Code is the AEAT rectification type: "R1" to "R5".
	Code string
	// OriginalNumber and OriginalDate identify the corrected invoice.
	OriginalNumber string
	OriginalDate   time.Time
	// Reason says why the invoice is corrected.
	Reason string
}

// Payment tells how the invoice is to be paid.
type Payment struct {
	// Method is one of "transfer", "direct_debit", "card" or "cash".
	Method string
	// IBAN is the account to pay to; it is printed in groups of four.
	IBAN string
	// BIC is the bank's code; optional.
	BIC string
	// Reference is the text the customer should quote when paying.
	Reference string
}
