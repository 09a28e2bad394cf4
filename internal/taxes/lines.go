package taxes

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// Line is one validated invoice line. Rates are percentages (21 means 21 %).
type Line struct {
	Description  string
	Quantity     decimal.Decimal // never zero; negative on a factura rectificativa (credit note)
	UnitPrice    decimal.Decimal
	Discount     decimal.Decimal // percent off the line, 0..100; zero when absent
	VAT          decimal.Decimal // IVA rate: 21, 10, 4 or 0
	VATExemption string          // exención (exemption reason); required when VAT is 0
	Surcharge    decimal.Decimal // recargo de equivalencia rate matching VAT, or zero
	Withholding  decimal.Decimal // IRPF retención rate, or zero
}

// hundred is 100 %, the whole of a price.
var hundred = decimal.NewFromInt(100)

// Amount returns the line's taxable amount: quantity × unit price × (1 − discount/100), rounded to the cent.
func (l Line) Amount() decimal.Decimal {
	// (100 − discount) / 100 via Shift keeps the product exact until the one
	// rounding at the end.
	kept := hundred.Sub(l.Discount).Shift(-2)
	return RoundCents(l.Quantity.Mul(l.UnitPrice).Mul(kept))
}

// Negate returns a copy of lines with every quantity negated, as a factura rectificativa needs.
func Negate(lines []Line) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.Quantity = l.Quantity.Neg()
		out[i] = l
	}
	return out
}

// lineJSON is the canonical JSON shape of a line: the same keys ParseLines
// reads, decimals as JSON numbers, optional fields left out when zero/empty.
type lineJSON struct {
	Description  string     `json:"description"`
	Quantity     numberJSON `json:"quantity"`
	UnitPrice    numberJSON `json:"unit_price"`
	Discount     numberJSON `json:"discount,omitzero"`
	VAT          numberJSON `json:"vat"`
	VATExemption string     `json:"vat_exemption,omitempty"`
	Surcharge    numberJSON `json:"surcharge,omitzero"`
	Withholding  numberJSON `json:"withholding,omitzero"`
}

// MarshalJSON writes the line in the canonical form that ParseLines reads back.
func (l Line) MarshalJSON() ([]byte, error) {
	return json.Marshal(lineJSON{
		Description:  l.Description,
		Quantity:     numberJSON(l.Quantity),
		UnitPrice:    numberJSON(l.UnitPrice),
		Discount:     numberJSON(l.Discount),
		VAT:          numberJSON(l.VAT),
		VATExemption: l.VATExemption,
		Surcharge:    numberJSON(l.Surcharge),
		Withholding:  numberJSON(l.Withholding),
	})
}

// MarshalLines encodes lines as the canonical JSON array that ParseLines accepts.
func MarshalLines(lines []Line) ([]byte, error) {
	if lines == nil {
		lines = []Line{} // "[]", never "null": the lines field is always an array
	}
	return json.Marshal(lines)
}
