package staff_test

import (
	"math"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/shopspring/decimal"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/clock"
)

// TestFirmOverviewAgreesWithEachCustomer: over the demo's two years of
// invoices in every state, the overview's one pass gives what the
// customers' own figures add up to, and what the lists count.
func TestFirmOverviewAgreesWithEachCustomer(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	today := clock.Now()
	firm, err := invoicing.FirmOverview(app, today)
	if err != nil {
		t.Fatal(err)
	}
	var want invoicing.Summary
	var ageing invoicing.Ageing
	monthly := make([]invoicing.MonthTotal, 24)
	customers, _ := app.FindAllRecords(invoicing.Customers)
	for _, c := range customers {
		s, err := invoicing.Summarize(app, c.Id, today)
		if err != nil {
			t.Fatal(err)
		}
		want.OpenBalance += s.OpenBalance
		want.Overdue += s.Overdue
		want.InvoicedThisYear += s.InvoicedThisYear
		a, _ := invoicing.AgeingOf(app, c.Id, today)
		ageing.NotDue += a.NotDue
		ageing.Days1to30 += a.Days1to30
		ageing.Days31to60 += a.Days31to60
		ageing.Days61to90 += a.Days61to90
		ageing.Over90 += a.Over90
		m, _ := invoicing.MonthlyTotals(app, c.Id, 24, today)
		for i := range m {
			monthly[i].Paid += m[i].Paid
			monthly[i].Owed += m[i].Owed
		}
	}
	near := func(name string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.005 {
			t.Errorf("%s: %.2f, the customers add up to %.2f", name, got, want)
		}
	}
	if want.OpenBalance == 0 || want.Overdue == 0 {
		t.Fatal("the demo owes nothing: the comparison would prove nothing")
	}
	near("open balance", firm.OpenBalance, want.OpenBalance)
	near("overdue", firm.Overdue, want.Overdue)
	near("invoiced this year", firm.InvoicedThisYear, want.InvoicedThisYear)
	near("not due", firm.Ageing.NotDue, ageing.NotDue)
	near("1-30", firm.Ageing.Days1to30, ageing.Days1to30)
	near("31-60", firm.Ageing.Days31to60, ageing.Days31to60)
	near("61-90", firm.Ageing.Days61to90, ageing.Days61to90)
	near("over 90", firm.Ageing.Over90, ageing.Over90)
	for i := range monthly {
		if firm.Monthly[i].Month != (time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, i-23, 0)) {
			t.Fatalf("month %d is %v", i, firm.Monthly[i].Month)
		}
		near("paid in "+firm.Monthly[i].Month.Format("2006-01"), firm.Monthly[i].Paid, monthly[i].Paid)
		near("owed in "+firm.Monthly[i].Month.Format("2006-01"), firm.Monthly[i].Owed, monthly[i].Owed)
	}
	for state, got := range map[string]int{"overdue": firm.OverdueInvoices, "bounced": firm.Bounced, "correction": firm.CorrectionAsked} {
		if n, _ := invoicing.CountInvoices(app, invoicing.Filter{State: state}); n != got {
			t.Errorf("%s: the overview counts %d, the list %d", state, got, n)
		}
	}
	if n, _ := app.CountRecords(invoicing.Invoices, dbx.HashExp{"status": "draft"}); int(n) != firm.Drafts {
		t.Errorf("drafts: the overview counts %d, the store %d", firm.Drafts, n)
	}

	// The funnel, counted record by record; a voided invoice counts nowhere.
	var f invoicing.Funnel
	var sales float64
	recent, _ := app.FindRecordsByFilter(invoicing.Invoices, "status != 'draft' && status != 'voided' && issue_date >= {:since}", "", 0, 0,
		dbx.Params{"since": today.AddDate(-1, 0, 0).UTC().Format(time.DateOnly)})
	for _, r := range recent {
		response := r.GetString("response")
		viewed := !r.GetDateTime("viewed_at").IsZero() || response != "none"
		reached := viewed || !r.GetDateTime("opened_at").IsZero()
		delivery := r.GetString("delivery")
		f.Issued++
		f.Sent += b2i(reached || delivery == "sent" || delivery == "delivered" || delivery == "bounced")
		f.Delivered += b2i(reached || delivery == "delivered")
		f.Opened += b2i(reached)
		f.Viewed += b2i(viewed)
		f.Accepted += b2i(response == "accepted")
		f.Rejected += b2i(response == "rejected")
		f.Queried += b2i(response == "queried")
		if r.GetFloat("total") > 0 {
			sales += r.GetFloat("total")
		}
	}
	if f != firm.Funnel || f.Viewed == 0 {
		t.Errorf("the funnel: %+v, counted %+v", firm.Funnel, f)
	}
	near("days sales outstanding", firm.DaysSalesOutstanding, want.OpenBalance/sales*365)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestFirmOverviewFollowsEveryChange: the overview is kept between
// requests, yet a payment, a pixel's open and a change written by another
// process each show at once.
func TestFirmOverviewFollowsEveryChange(t *testing.T) {
	app := apptest.New(t)
	today := clock.Now()
	before, err := invoicing.FirmOverview(app, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: decimal.NewFromInt(10)}, invoicing.Actor{}); err != nil {
		t.Fatal(err)
	}
	afterPayment, _ := invoicing.FirmOverview(app, today)
	if math.Abs(before.OpenBalance-afterPayment.OpenBalance-10) > 0.001 {
		t.Errorf("open balance %.2f before a payment of 10, %.2f after", before.OpenBalance, afterPayment.OpenBalance)
	}

	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if err := invoicing.AppendOpens(app, []invoicing.Open{{InvoiceID: a.Id, CustomerID: a.GetString("customer"), At: clock.Now().UTC().Format("2006-01-02 15:04:05.000Z")}}); err != nil {
		t.Fatal(err)
	}
	afterOpen, _ := invoicing.FirmOverview(app, today)
	if afterOpen.Funnel.Opened != afterPayment.Funnel.Opened+1 {
		t.Errorf("opened %d before the pixel, %d after", afterPayment.Funnel.Opened, afterOpen.Funnel.Opened)
	}

	// Another process (an import from the command line) writes through
	// SQLite; its rows carry the time of the change.
	if _, err := app.DB().NewQuery("UPDATE invoices SET paid_total = total, payment = 'paid', updated = {:now} WHERE id = {:id}").
		Bind(dbx.Params{"id": apptest.IssuedB, "now": time.Now().UTC().Add(time.Second).Format("2006-01-02 15:04:05.000Z")}).Execute(); err != nil {
		t.Fatal(err)
	}
	b, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	afterOther, _ := invoicing.FirmOverview(app, today)
	if math.Abs(afterOpen.OpenBalance-afterOther.OpenBalance-b.GetFloat("total")) > 0.001 {
		t.Errorf("open balance %.2f before another process settled %s, %.2f after", afterOpen.OpenBalance, b.GetString("number"), afterOther.OpenBalance)
	}
}
