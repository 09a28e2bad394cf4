package staff

import (
	"facturo/internal/money"
	"net/http"
	"strconv"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/dashboard"
	"facturo/hooks/inbox"
	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/clock"
	"facturo/ui"
)

// attentionLists are the lists of invoices that need someone to act, as
// list states, in the order the overview shows them; the drafts wait to be
// issued.
var attentionLists = []string{"bounced", "unsent", "correction", "unanswered", "overdue", "draft"}

type attention struct {
	Label, URL string
	Count      int
	Hot        bool // something is wrong: shown in red
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
	if e.Request.URL.Query().Get("setup") != "skip" && firstRun(e.App) {
		return e.Redirect(http.StatusSeeOther, "/app/setup")
	}
	p = p.titled("app.overview", "overview")
	today := clock.Now()
	firm, err := invoicing.FirmOverview(e.App, today)
	if err != nil {
		return err
	}
	debtors, err := invoicing.TopDebtors(e.App, 10, today)
	if err != nil {
		return err
	}
	formatAmount := func(v float64) string {
		return ui.FormatMoney(p.Lang, money.FromStored(v), money.Currency)
	}
	op := overviewPage{
		page: p, OpenBalance: formatAmount(firm.OpenBalance), Overdue: formatAmount(firm.Overdue), ThisYear: formatAmount(firm.InvoicedThisYear),
		DSO:     strconv.Itoa(int(firm.DaysSalesOutstanding + 0.5)),
		Monthly: dashboard.MonthlyChart(p.Lang, firm.Monthly), Ageing: dashboard.AgeingChart(p.Lang, firm.Ageing),
		Funnel: dashboard.FunnelChart(p.Lang, firm.Funnel),
	}
	// The queries not answered are few, and found through their own index.
	unanswered, err := invoicing.CountInvoices(e.App, invoicing.Filter{State: "unanswered"})
	if err != nil {
		return err
	}
	for _, state := range attentionLists {
		n := map[string]int{"bounced": firm.Bounced, "correction": firm.CorrectionAsked, "unanswered": unanswered, "overdue": firm.OverdueInvoices, "draft": firm.Drafts, "unsent": firm.Unsent}[state]
		op.Attention = append(op.Attention, attention{Label: ui.T(p.Lang, "app.list."+state), URL: "/app/invoices?state=" + state, Count: n, Hot: n > 0 && state != "draft"})
	}
	unmatched, err := inbox.CountUnmatched(e.App)
	if err != nil {
		return err
	}
	op.Attention = append(op.Attention, attention{Label: ui.T(p.Lang, "app.list.unmatched"), URL: "/app/inbox", Count: unmatched, Hot: unmatched > 0})
	aeatAction, err := verifactu.CountNeedsAction(e.App)
	if err != nil {
		return err
	}
	op.Attention = append(op.Attention, attention{Label: ui.T(p.Lang, "app.list.aeat"), URL: "/app/verifactu#needs-action", Count: aeatAction, Hot: aeatAction > 0})
	for _, d := range debtors {
		op.Debtors = append(op.Debtors, debtorRow{ID: d.ID, Name: d.Name, Owed: formatAmount(d.Owed), Overdue: formatAmount(d.Overdue), Open: d.Open})
	}
	return render(e, http.StatusOK, "overview.html", p, op)
}
