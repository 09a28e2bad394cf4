package taxes

import (
	"cmp"
	"encoding/json"
	"slices"

	"github.com/shopspring/decimal"
)

// TaxRow is one row of the tax breakdown: the lines sharing an IVA rate, a
// recargo de equivalencia rate and an exención reason.
type TaxRow struct {
	VAT             decimal.Decimal // IVA rate, percent
	Base            decimal.Decimal // sum of the group's line amounts
	Tax             decimal.Decimal // IVA on Base, rounded to the cent
	Surcharge       decimal.Decimal // recargo de equivalencia rate, percent (0 if none)
	SurchargeAmount decimal.Decimal // recargo on Base, rounded to the cent
	VATExemption    string          // exención reason, if any
}

// MarshalJSON writes rates as plain numbers (21, 5.2) and amounts with two decimals (121.00).
func (r TaxRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		VAT             numberJSON `json:"vat"`
		Base            moneyJSON  `json:"base"`
		Tax             moneyJSON  `json:"tax"`
		Surcharge       numberJSON `json:"surcharge"`
		SurchargeAmount moneyJSON  `json:"surcharge_amount"`
		VATExemption    string     `json:"vat_exemption,omitempty"`
	}{numberJSON(r.VAT), moneyJSON(r.Base), moneyJSON(r.Tax),
		numberJSON(r.Surcharge), moneyJSON(r.SurchargeAmount), r.VATExemption})
}

// WithholdingRow is the IRPF retención (income-tax withholding) at one rate.
type WithholdingRow struct {
	Rate   decimal.Decimal // IRPF rate, percent
	Base   decimal.Decimal // sum of the amounts of the lines withheld at Rate
	Amount decimal.Decimal // Rate % of Base, rounded to the cent
}

// MarshalJSON writes the rate as a plain number and amounts with two decimals.
func (w WithholdingRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Rate   numberJSON `json:"rate"`
		Base   moneyJSON  `json:"base"`
		Amount moneyJSON  `json:"amount"`
	}{numberJSON(w.Rate), moneyJSON(w.Base), moneyJSON(w.Amount)})
}

// Totals are an invoice's exact amounts, all rounded to the cent.
type Totals struct {
	LineAmounts      []decimal.Decimal // Line.Amount of each line, in order
	Subtotal         decimal.Decimal   // sum of LineAmounts (base imponible, taxable base)
	TaxTotal         decimal.Decimal   // sum of TaxRow.Tax
	SurchargeTotal   decimal.Decimal   // sum of TaxRow.SurchargeAmount
	WithholdingTotal decimal.Decimal   // sum of WithholdingRow.Amount
	Total            decimal.Decimal   // Subtotal + TaxTotal + SurchargeTotal − WithholdingTotal
	Taxes            []TaxRow          // by IVA descending, then recargo ascending, then exención
	Withholdings     []WithholdingRow  // by rate descending
}

// MarshalJSON writes every amount as a JSON number with two decimals.
func (t Totals) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		LineAmounts      []moneyJSON      `json:"line_amounts"`
		Subtotal         moneyJSON        `json:"subtotal"`
		TaxTotal         moneyJSON        `json:"tax_total"`
		SurchargeTotal   moneyJSON        `json:"surcharge_total"`
		WithholdingTotal moneyJSON        `json:"withholding_total"`
		Total            moneyJSON        `json:"total"`
		Taxes            []TaxRow         `json:"taxes"`
		Withholdings     []WithholdingRow `json:"withholdings"`
	}{moneySlice(t.LineAmounts), moneyJSON(t.Subtotal), moneyJSON(t.TaxTotal),
		moneyJSON(t.SurchargeTotal), moneyJSON(t.WithholdingTotal), moneyJSON(t.Total),
		t.Taxes, t.Withholdings})
}

// taxKey identifies a TaxRow. Rates are keyed by their exact text so that
// equal values with different scales (21 and 21.00) share a row.
type taxKey struct{ vat, surcharge, exemption string }

// Compute returns the exact totals of lines, which are assumed valid (as returned by ParseLines).
//
// Each line amount is rounded first; taxes and withholdings are then computed
// once per group on the sum of the rounded amounts, not per line, so the
// breakdown printed on the invoice is exactly rate × base.
func Compute(lines []Line) Totals {
	t := Totals{
		LineAmounts: make([]decimal.Decimal, len(lines)),
		// Non-nil so that an empty invoice marshals [] rather than null.
		Taxes:        []TaxRow{},
		Withholdings: []WithholdingRow{},
	}
	taxes := map[taxKey]*TaxRow{}
	withholdings := map[string]*WithholdingRow{}

	for i, l := range lines {
		amount := l.Amount()
		t.LineAmounts[i] = amount
		t.Subtotal = t.Subtotal.Add(amount)

		key := taxKey{plainNumber(l.VAT), plainNumber(l.Surcharge), l.VATExemption}
		row, ok := taxes[key]
		if !ok {
			row = &TaxRow{VAT: l.VAT, Surcharge: l.Surcharge, VATExemption: l.VATExemption}
			taxes[key] = row
		}
		row.Base = row.Base.Add(amount)

		if l.Withholding.IsZero() {
			continue // not every line of a professional's invoice is withheld
		}
		rateKey := plainNumber(l.Withholding)
		w, ok := withholdings[rateKey]
		if !ok {
			w = &WithholdingRow{Rate: l.Withholding}
			withholdings[rateKey] = w
		}
		w.Base = w.Base.Add(amount)
	}

	for _, row := range taxes {
		row.Tax = percentOf(row.Base, row.VAT)
		row.SurchargeAmount = percentOf(row.Base, row.Surcharge)
		t.TaxTotal = t.TaxTotal.Add(row.Tax)
		t.SurchargeTotal = t.SurchargeTotal.Add(row.SurchargeAmount)
		t.Taxes = append(t.Taxes, *row)
	}
	for _, w := range withholdings {
		w.Amount = percentOf(w.Base, w.Rate)
		t.WithholdingTotal = t.WithholdingTotal.Add(w.Amount)
		t.Withholdings = append(t.Withholdings, *w)
	}
	// Map order is random; sort so the breakdown (and the stored JSON) is
	// the same on every run.
	slices.SortFunc(t.Taxes, compareTaxRows)
	slices.SortFunc(t.Withholdings, func(a, b WithholdingRow) int { return b.Rate.Cmp(a.Rate) })

	t.Total = t.Subtotal.Add(t.TaxTotal).Add(t.SurchargeTotal).Sub(t.WithholdingTotal)
	return t
}

// compareTaxRows orders the breakdown: IVA descending, then recargo
// ascending (plain row before its recargo row), then exención reason.
func compareTaxRows(a, b TaxRow) int {
	if c := b.VAT.Cmp(a.VAT); c != 0 {
		return c
	}
	if c := a.Surcharge.Cmp(b.Surcharge); c != 0 {
		return c
	}
	return cmp.Compare(a.VATExemption, b.VATExemption)
}
