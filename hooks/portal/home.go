package portal

import (
	"facturo/internal/money"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/dashboard"
	"facturo/hooks/invoicing"
	"facturo/internal/clock"
	"facturo/ui"
)

// periods are the spans the first screen's chart can show, in months.
var periods = []int{12, 24, 36}

type homePage struct {
	page
	OpenBalance, Overdue, ThisYear, DaysToPay string
	Periods                                   []option
	Monthly, Ageing                           dashboard.Chart
}

// handleHome is the first screen: the customer's standing with the firm and
// the charts of its billing history.
func handleHome(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	p := newPage(e, contact, "dashboard.title")
	customer := contact.GetString("customer")
	months := 24
	if n, err := strconv.Atoi(e.Request.URL.Query().Get("months")); err == nil && slices.Contains(periods, n) {
		months = n
	}
	today := clock.Now()
	figures, err := invoicing.FiguresOf(e.App, customer, today)
	if err != nil {
		return err
	}
	summary, monthly, ageing := figures.Summary, figures.LastMonths(months), figures.Ageing
	formatAmount := func(v float64) string {
		return ui.FormatMoney(p.Lang, money.FromStored(v), money.Currency)
	}
	hp := homePage{
		page: p, OpenBalance: formatAmount(summary.OpenBalance), Overdue: formatAmount(summary.Overdue), ThisYear: formatAmount(summary.InvoicedThisYear),
		DaysToPay: "—", Monthly: dashboard.MonthlyChart(p.Lang, monthly), Ageing: dashboard.AgeingChart(p.Lang, ageing),
	}
	if summary.Settled > 0 {
		hp.DaysToPay = strconv.Itoa(int(summary.AverageDaysToPay + 0.5))
	}
	for _, n := range periods {
		hp.Periods = append(hp.Periods, option{Value: strconv.Itoa(n), Label: strings.ReplaceAll(ui.T(p.Lang, "dashboard.months"), "{n}", strconv.Itoa(n)), Selected: n == months})
	}
	return render(e, http.StatusOK, "home.html", p.Lang, hp)
}
