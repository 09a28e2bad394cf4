package invoicing_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestSummaryCountsWhatIsStillOwed: invoice A (121 €, 21 € paid) is owed in
// part; a second invoice of A's customer, rectified by a full credit, owes
// nothing; the credit owes nothing either.
func TestSummaryCountsWhatIsStillOwed(t *testing.T) {
	app := apptest.New(t)
	second := issue(t, app, draft(t, app, apptest.CustomerA, nil).Id)
	credit, err := invoicing.Rectify(app, second.Id, "R1", "Duplicated")
	if err != nil {
		t.Fatal(err)
	}
	issue(t, app, credit.Id)
	today := clock.Now()

	s, err := invoicing.Summarize(app, apptest.CustomerA, today)
	if err != nil {
		t.Fatal(err)
	}
	if s.OpenBalance != 100 || s.Overdue != 0 {
		t.Errorf("open balance %v, overdue %v; want 100 and 0", s.OpenBalance, s.Overdue)
	}
	if s.InvoicedThisYear != 121 {
		t.Errorf("invoiced this year %v, want 121 (121 + 121 − 121)", s.InvoicedThisYear)
	}

	months, err := invoicing.MonthlyTotals(app, apptest.CustomerA, 24, today)
	if err != nil || len(months) != 24 {
		t.Fatalf("%d months: %v", len(months), err)
	}
	last := months[len(months)-1]
	if last.Paid != 21 || last.Owed != 100 {
		t.Errorf("this month: paid %v, owed %v; want 21 and 100", last.Paid, last.Owed)
	}

	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: decimal.NewFromInt(100)}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	a, _ := invoicing.AgeingOf(app, apptest.CustomerA, today.AddDate(0, 0, 45))
	if a.NotDue+a.Days1to30+a.Days31to60+a.Days61to90+a.Over90 != 0 {
		t.Errorf("a settled customer still owes by age: %+v", a)
	}
	b, _ := invoicing.AgeingOf(app, apptest.CustomerB, today.AddDate(0, 0, 75))
	if b.Days1to30 != 121 {
		t.Errorf("customer B's invoice (due in 60 days) 75 days on: %+v, want 121 at 1–30 days late", b)
	}
}
