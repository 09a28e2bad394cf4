package invoicing_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestRectifiedPairOwesItsNet: customer B's invoice (121 €, unpaid, due in
// 60 days) corrected by a factura rectificativa. The invoice and its
// correction are one debt: every figure, list and the pair itself say what
// is left of both together, once, and the correction is not "owed" on its
// own unless it adds to the invoice.
func TestRectifiedPairOwesItsNet(t *testing.T) {
	cases := []struct {
		name      string
		paidFirst string // paid on the invoice before it was rectified
		lines     string // the correction's lines
		pair      string // what the invoice and its correction owe together
		owed      float64
		unpaid    int // customer B's invoices listed as unpaid
	}{
		{"a credit of 24.20", "", `[{"description":"Descuento","quantity":1,"unit_price":"-20","vat":21}]`, "96.8", 96.8, 1},
		{"a credit after a payment", "50", `[{"description":"Descuento","quantity":1,"unit_price":"-20","vat":21}]`, "46.8", 46.8, 1},
		{"a full credit", "", `[{"description":"Anulación","quantity":1,"unit_price":"-100","vat":21}]`, "0", 0, 0},
		{"an addition of 12.10", "", `[{"description":"Horas extra","quantity":1,"unit_price":"10","vat":21}]`, "133.1", 133.1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			if c.paidFirst != "" {
				if _, err := invoicing.RecordPayment(app, apptest.IssuedB, invoicing.Payment{Amount: decimal.RequireFromString(c.paidFirst)}, invoicing.Actor{}); err != nil {
					t.Fatal(err)
				}
			}
			draft, err := invoicing.Rectify(app, apptest.IssuedB, "R1", "Precio acordado")
			if err != nil {
				t.Fatal(err)
			}
			draft.Set("lines", c.lines)
			if err := app.Save(draft); err != nil {
				t.Fatal(err)
			}
			rectifying := issue(t, app, draft.Id)
			original := find(t, app, invoicing.Invoices, apptest.IssuedB)
			today := clock.Now()

			pair, err := invoicing.CorrectionOf(app, original)
			if err != nil || len(pair.RectifiedBy) != 1 || pair.RectifiedBy[0].Id != rectifying.Id {
				t.Fatalf("the original does not name its correction: %+v, %v", pair, err)
			}
			if !pair.PairOwed.Equal(decimal.RequireFromString(c.pair)) {
				t.Errorf("the pair owes %s, want %s", pair.PairOwed, c.pair)
			}
			back, err := invoicing.CorrectionOf(app, rectifying)
			if err != nil || back.Rectifies == nil || back.Rectifies.Id != original.Id {
				t.Errorf("the correction does not name the invoice it rectifies: %+v, %v", back, err)
			}

			s, err := invoicing.Summarize(app, apptest.CustomerB, today)
			if err != nil {
				t.Fatal(err)
			}
			if s.OpenBalance != c.owed {
				t.Errorf("open balance %v, want %v", s.OpenBalance, c.owed)
			}
			a, err := invoicing.AgeingOf(app, apptest.CustomerB, today)
			if err != nil {
				t.Fatal(err)
			}
			if sum := a.NotDue + a.Days1to30 + a.Days31to60 + a.Days61to90 + a.Over90; !near(sum, c.owed) {
				t.Errorf("ageing adds up to %v, want %v", sum, c.owed)
			}
			months, err := invoicing.MonthlyTotals(app, apptest.CustomerB, 12, today)
			if err != nil {
				t.Fatal(err)
			}
			var monthly float64
			for _, m := range months {
				monthly += m.Owed
			}
			if !near(monthly, c.owed) {
				t.Errorf("the months owe %v, want %v", monthly, c.owed)
			}
			byCustomer, err := invoicing.OwedByCustomer(app)
			if err != nil {
				t.Fatal(err)
			}
			if !near(byCustomer[apptest.CustomerB], c.owed) {
				t.Errorf("owed by customer B %v, want %v", byCustomer[apptest.CustomerB], c.owed)
			}
			firm, err := invoicing.FirmOverview(app, today)
			if err != nil {
				t.Fatal(err)
			}
			if !near(firm.OpenBalance, 100+c.owed) { // customer A owes 100
				t.Errorf("the firm is owed %v, want %v", firm.OpenBalance, 100+c.owed)
			}
			var firmMonthly float64
			for _, m := range firm.Monthly {
				firmMonthly += m.Owed
			}
			if !near(firmMonthly, 100+c.owed) {
				t.Errorf("the firm's months owe %v, want %v", firmMonthly, 100+c.owed)
			}
			unpaid, err := invoicing.CountInvoices(app, invoicing.Filter{Customer: apptest.CustomerB, State: "unpaid"})
			if err != nil {
				t.Fatal(err)
			}
			if unpaid != c.unpaid {
				t.Errorf("%d invoices listed as unpaid, want %d", unpaid, c.unpaid)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 0.005 && b-a < 0.005 }
