package staff

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing/interest"
	"facturo/hooks/remind"
	"facturo/internal/clock"
	"facturo/ui"
)

type plannedRow struct {
	InvoiceID, Number, Level, DaysFromDue, Interest, Compensation string
	RateMissing                                                   bool // the interest is unknown: a half-year's rate is missing
}

type remindersPage struct {
	page
	Enabled, Grouped bool
	RunHour          int
	LastRun          string
	Planned          []plannedRow
	SettingsURL      string
	RatesURL         string
	RatesMissing     bool
	LevelsURL        string
	Notice, Error    string
	RunConfirm       string // asked before sending now: how many customers are written to
}

// handleReminders shows the reminder policy's switches and what today's run
// sends (or sent), and lets staff run it now.
func handleReminders(e *core.RequestEvent, p page) error {
	p = p.titled("app.reminders", "reminders")
	settings, err := remind.LoadSettings(e.App)
	if err != nil {
		return err
	}
	rp := remindersPage{
		page: p, Enabled: settings.Enabled, Grouped: settings.GroupPerCustomer, RunHour: settings.RunHour, LastRun: settings.LastRunOn,
		SettingsURL: "/_/#/collections?collection=" + remind.SettingsCollection,
		LevelsURL:   "/_/#/collections?collection=" + remind.Levels,
		RatesURL:    "/_/#/collections?collection=" + interest.Rates,
	}
	if q := e.Request.URL.Query(); q.Get("done") == "run" {
		rp.Notice = strings.NewReplacer("{invoices}", q.Get("invoices"), "{messages}", q.Get("messages")).Replace(ui.T(p.Lang, "app.reminders.done"))
	}
	planned, err := remind.Plan(e.App, clock.Today())
	if err != nil {
		rp.Error = problemText(p.Lang, err)
	}
	money := func(s string) string {
		if s == "" {
			return "—"
		}
		return s + " €"
	}
	customers := map[string]bool{}
	for _, pl := range planned {
		customers[pl.Customer] = true
		rp.Planned = append(rp.Planned, plannedRow{
			InvoiceID: pl.Invoice, Number: pl.Number, Level: pl.LevelName, DaysFromDue: strconv.Itoa(pl.DaysFromDue),
			Interest: money(pl.Interest), Compensation: money(pl.Compensation),
		})
		if pl.InterestNote != "" {
			// The half-year's rate is missing: the interest is unknown, not
			// 0.00; the row says so, with where to add the rate.
			rp.Planned[len(rp.Planned)-1].RateMissing = true
			rp.RatesMissing = true
		}
	}
	rp.RunConfirm = strings.NewReplacer("{customers}", strconv.Itoa(len(customers)), "{invoices}", strconv.Itoa(len(planned))).
		Replace(ui.T(p.Lang, "app.reminders.run_confirm"))
	return render(e, http.StatusOK, "reminders.html", p, rp)
}

// handleRemindersRun sends today's reminders now, as the daily run would.
func handleRemindersRun(e *core.RequestEvent, p page) error {
	result, err := remind.Run(e.App, clock.Today())
	if err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/app/reminders?done=run&invoices="+strconv.Itoa(result.Reminded)+"&messages="+strconv.Itoa(result.Messages))
}
