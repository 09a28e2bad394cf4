package staff

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/dashboard"
	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/taxes"
	"facturo/ui"
)

// attentionLists are the lists of invoices that need someone to act, as
// list states, in the order the overview shows them.
var attentionLists = []string{"bounced", "correction", "unanswered", "overdue"}

type attention struct {
	Label, URL string
	Count      int
}

type debtorRow struct {
	ID, Name, Owed, Overdue string
	Open                    int
}

type overviewPage struct {
	page
	OpenBalance, Overdue, ThisYear, DSO string
	Attention                           []attention
	Debtors                             []debtorRow
	Monthly, Ageing, Funnel             dashboard.Chart
}

// handleOverview is the workspace's first screen: the firm's receivables,
// what needs action, and how far this year's invoices got with customers.
func handleOverview(e *core.RequestEvent, p page) error {
	p = p.titled("app.overview", "overview")
	today := time.Now()
	summary, err := invoicing.Summarize(e.App, "", today)
	if err != nil {
		return err
	}
	monthly, err := invoicing.MonthlyTotals(e.App, "", 24, today)
	if err != nil {
		return err
	}
	ageing, err := invoicing.AgeingOf(e.App, "", today)
	if err != nil {
		return err
	}
	dso, err := invoicing.DaysSalesOutstanding(e.App, today)
	if err != nil {
		return err
	}
	funnel, err := invoicing.FunnelSince(e.App, today.AddDate(-1, 0, 0))
	if err != nil {
		return err
	}
	debtors, err := invoicing.TopDebtors(e.App, 10, today)
	if err != nil {
		return err
	}
	money := func(v float64) string {
		return ui.FormatMoney(p.Lang, taxes.RoundCents(decimal.NewFromFloat(v)), "EUR")
	}
	op := overviewPage{
		page: p, OpenBalance: money(summary.OpenBalance), Overdue: money(summary.Overdue), ThisYear: money(summary.InvoicedThisYear),
		DSO:     strconv.Itoa(int(dso + 0.5)),
		Monthly: dashboard.MonthlyChart(p.Lang, monthly), Ageing: dashboard.AgeingChart(p.Lang, ageing),
		Funnel: dashboard.FunnelChart(p.Lang, funnel),
	}
	for _, state := range attentionLists {
		n, err := invoicing.CountInvoices(e.App, invoicing.Filter{State: state})
		if err != nil {
			return err
		}
		op.Attention = append(op.Attention, attention{Label: ui.T(p.Lang, "app.list."+state), URL: "/app/invoices?state=" + state, Count: n})
	}
	unmatched, err := inbox.CountUnmatched(e.App)
	if err != nil {
		return err
	}
	op.Attention = append(op.Attention, attention{Label: ui.T(p.Lang, "app.list.unmatched"), URL: "/app/inbox", Count: unmatched})
	for _, d := range debtors {
		op.Debtors = append(op.Debtors, debtorRow{ID: d.ID, Name: d.Name, Owed: money(d.Owed), Overdue: money(d.Overdue), Open: d.Open})
	}
	return render(e, http.StatusOK, "overview.html", p, op)
}
