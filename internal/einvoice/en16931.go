package einvoice

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// The EN 16931 view of an invoice, shared by the UBL and CII writers.
//
// EN 16931 knows one VAT rate per line and per breakdown row and has no
// place for the recargo de equivalencia or for a withholding. The product
// writes a line with recargo as standard rated at the sum of both rates
// (21 % IVA + 5.2 % recargo: 26.2 %) with the sum of both amounts as the
// row's tax, so that every total stays the invoice's own to the cent (the
// standard's rule BR-CO-17 allows the cent the two separate roundings may
// differ by); and the IRPF withheld as the amount already paid (BT-113),
// since the buyer pays it to the tax office for the seller, so that the
// amount due (BT-115) is what the buyer transfers. Notes (BT-22) say both
// in words.

// ENLine is a line as EN 16931 states it, signs turned for a credit note
// and a negative price moved to the quantity (BR-27: no negative prices).
type ENLine struct {
	Line
	Quantity, UnitPrice, Amount, Gross, Allowance decimal.Decimal
	Percent                                       decimal.Decimal // IVA + recargo
}

// ENRow is one row of the EN 16931 VAT breakdown (BG-23): one per category
// and rate, the exemption reasons of a category's rows joined.
type ENRow struct {
	Category Category
	Percent  decimal.Decimal
	Base     decimal.Decimal
	Tax      decimal.Decimal
}

// ENTotals are the document totals (BG-22), signs turned for a credit note.
type ENTotals struct {
	Lines, TaxExclusive, Tax, TaxInclusive, Prepaid, Payable decimal.Decimal
}

// sign is −1 for a credit note, whose amounts EN 16931 writes positive.
func (d *Document) sign() decimal.Decimal {
	if d.CreditNote() {
		return decimal.NewFromInt(-1)
	}
	return decimal.NewFromInt(1)
}

// ENLines are the lines as EN 16931 states them.
func (d *Document) ENLines() []ENLine {
	s := d.sign()
	out := make([]ENLine, len(d.Lines))
	for i, l := range d.Lines {
		e := ENLine{Line: l, Quantity: l.Quantity.Mul(s), UnitPrice: l.UnitPrice, Amount: l.Amount.Mul(s), Percent: l.VAT.Add(l.Surcharge)}
		if e.UnitPrice.IsNegative() {
			e.UnitPrice, e.Quantity = e.UnitPrice.Neg(), e.Quantity.Neg()
		}
		e.Gross = e.Quantity.Mul(e.UnitPrice).Round(2)
		e.Allowance = e.Gross.Sub(e.Amount)
		out[i] = e
	}
	return out
}

// ENBreakdown is the VAT breakdown as EN 16931 states it.
func (d *Document) ENBreakdown() []ENRow {
	s := d.sign()
	var rows []ENRow
	for _, r := range d.VAT {
		percent := r.Rate.Add(r.Surcharge)
		i := slices.IndexFunc(rows, func(x ENRow) bool { return x.Category.Code == r.Category.Code && x.Percent.Equal(percent) })
		if i < 0 {
			rows = append(rows, ENRow{Category: r.Category, Percent: percent})
			i = len(rows) - 1
		} else {
			rows[i].Category = mergeReasons(rows[i].Category, r.Category)
		}
		rows[i].Base = rows[i].Base.Add(r.Base.Mul(s))
		rows[i].Tax = rows[i].Tax.Add(r.Tax.Add(r.SurchargeAmount).Mul(s))
	}
	return rows
}

// mergeReasons joins the exemption reasons of two rows of one category:
// their texts, and the VATEX code when both name the same.
func mergeReasons(a, b Category) Category {
	if a.VATEX != b.VATEX {
		a.VATEX = ""
	}
	if b.Reason != "" && !strings.Contains(a.Reason, b.Reason) {
		if a.Reason != "" {
			a.Reason += "; "
		}
		a.Reason += b.Reason
	}
	if a.Reason == "" {
		a.Reason = a.VATEX
	}
	return a
}

// ENTotals are the document totals as EN 16931 states them.
func (d *Document) ENTotals() ENTotals {
	s := d.sign()
	t := d.Totals
	return ENTotals{
		Lines: t.Subtotal.Mul(s), TaxExclusive: t.Subtotal.Mul(s), Tax: t.Tax.Add(t.Surcharge).Mul(s),
		TaxInclusive: t.WithTaxes().Mul(s), Prepaid: t.Withholding.Mul(s), Payable: t.Total.Mul(s),
	}
}

// NotSubject tells whether the invoice's operations are outside the scope
// of VAT (category O), when EN 16931 forbids stating VAT numbers (BR-O-02).
func (d *Document) NotSubject() bool {
	for _, r := range d.VAT {
		if r.Category.Code == CategoryNotSubject {
			return true
		}
	}
	return false
}

// HasCategory tells whether a line of the invoice is of the category.
func (d *Document) HasCategory(code string) bool {
	for _, r := range d.VAT {
		if r.Category.Code == code {
			return true
		}
	}
	return false
}

// Percent writes a rate as EN 16931 wants it: a plain number ("21", "26.2").
func Percent(p decimal.Decimal) string { return p.String() }

// Money writes an amount with two decimals.
func Money(a decimal.Decimal) string { return a.StringFixed(2) }
