package staff

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/recurring"
	"facturo/internal/clock"
	"facturo/internal/taxes"
	"facturo/ui"
)

// Recurring invoices at /app/recurring: their list with the last daily
// run, and each one in the invoice editor with its schedule and what to
// do on its day. The run itself is hooks/recurring's.

// recurringFields are what the editor shows of a recurring invoice besides
// its customer, series, notes and lines.
type recurringFields struct {
	Name, Every, StartDate, EndDate, Count, NextDate string
	Active                                           bool
	Made                                             int
	LastError                                        string
	Intervals, Actions                               []option
	Periods                                          []recurringPeriodRow
}

// recurringPeriodRow is one period billed, newest first.
type recurringPeriodRow struct {
	Period, Invoice, Number, Note string
}

type recurringRow struct {
	ID, Name, Customer, Interval, Next, Action, LastError string
	Made                                                  int
	Active                                                bool
}

type recurringListPage struct {
	page
	Rows          []recurringRow
	LastRun       string
	Notice, Error string
}

// intervalLabel names a schedule: «Mensual», «Cada 2 meses».
func intervalLabel(lang, interval string, every int) string {
	label := ui.T(lang, "app.recurring.interval."+interval)
	if interval == recurring.EveryDays || interval == recurring.Months {
		label = strings.ReplaceAll(label, "{n}", strconv.Itoa(max(every, 1)))
	}
	return label
}

func handleRecurringList(e *core.RequestEvent, p page) error {
	p = p.titled("app.recurring", "recurring")
	lp := recurringListPage{page: p}
	records, err := e.App.FindRecordsByFilter(recurring.Collection, "", "-active,next_date,name", 0, 0)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, r := range records {
		id := r.GetString("customer")
		if _, ok := names[id]; !ok {
			if c, err := e.App.FindRecordById(invoicing.Customers, id); err == nil {
				names[id] = c.GetString("name")
			}
		}
		row := recurringRow{ID: r.Id, Name: r.GetString("name"), Customer: names[id], Active: r.GetBool("active"), Made: r.GetInt("made"),
			Interval: intervalLabel(p.Lang, r.GetString("interval"), r.GetInt("every")), Action: ui.T(p.Lang, "app.recurring.action."+r.GetString("action")),
			LastError: r.GetString("last_error")}
		if next := r.GetDateTime("next_date"); !next.IsZero() {
			row.Next = ui.FormatDate(p.Lang, next.Time())
		} else {
			row.Next = ui.T(p.Lang, "app.recurring.ended")
		}
		if row.Name == "" {
			row.Name = ui.T(p.Lang, "app.recurring.unnamed")
		}
		lp.Rows = append(lp.Rows, row)
	}
	settings := &core.Record{}
	if err := e.App.RecordQuery(recurring.Settings).Limit(1).One(settings); err == nil {
		lp.LastRun = settings.GetString("status")
	}
	if k := e.Request.URL.Query().Get("done"); k == "deleted" {
		lp.Notice = ui.T(p.Lang, "app.recurring.done.deleted")
	}
	return render(e, http.StatusOK, "recurring.html", p, lp)
}

// recurringEditor is the editor showing a recurring invoice, stored or new
// (r nil).
func recurringEditor(e *core.RequestEvent, p page, r *core.Record) editorPage {
	key := "app.recurring.new"
	if r != nil {
		key = "app.recurring.edit"
	}
	ep := newEditorPage(p.titled(key, "recurring"), "recurring")
	ep.Cancel, ep.Action = "/app/recurring", "/app/recurring/new"
	ep.SeriesOptions = seriesOptions(e.App)
	rf := &recurringFields{Every: "1", Active: true, StartDate: clock.Today().Format(time.DateOnly)}
	interval, action := recurring.Monthly, recurring.ActionDraft
	var in []lineInput
	if r != nil {
		ep.ID, ep.Saved, ep.Action = r.Id, true, "/app/recurring/"+r.Id
		ep.CustomerID, ep.Series, ep.Notes = r.GetString("customer"), r.GetString("series"), r.GetString("notes")
		if c, err := e.App.FindRecordById(invoicing.Customers, ep.CustomerID); err == nil {
			ep.CustomerName = c.GetString("name")
		}
		rf.Name, rf.Every, rf.Active, rf.Made, rf.LastError = r.GetString("name"), strconv.Itoa(max(r.GetInt("every"), 1)), r.GetBool("active"), r.GetInt("made"), r.GetString("last_error")
		rf.StartDate, rf.EndDate, rf.NextDate = dateInput(r.GetDateTime("start_date")), dateInput(r.GetDateTime("end_date")), dateInput(r.GetDateTime("next_date"))
		if n := r.GetInt("count"); n > 0 {
			rf.Count = strconv.Itoa(n)
		}
		interval, action = r.GetString("interval"), r.GetString("action")
		if lines, err := taxes.ParseLines([]byte(r.GetString("lines"))); err == nil {
			in = lineInputs(p.Lang, lines)
		}
		rf.Periods = recurringPeriods(e.App, r.Id)
	} else if id := e.Request.URL.Query().Get("customer"); id != "" {
		if c, err := e.App.FindRecordById(invoicing.Customers, id); err == nil && !c.GetBool("archived") {
			ep.CustomerID, ep.CustomerName = c.Id, c.GetString("name")
		}
	}
	rf.setChoices(p.Lang, interval, action)
	ep.Recurring = rf
	blanks := 1
	if len(in) == 0 {
		blanks = 3
	}
	ep.setLines(in, checkLines(p.Lang, in), blanks)
	return ep
}

func (rf *recurringFields) setChoices(lang, interval, action string) {
	rf.Intervals, rf.Actions = nil, nil
	for _, i := range recurring.Intervals {
		rf.Intervals = append(rf.Intervals, option{Value: i, Label: ui.T(lang, "app.recurring.interval.choice."+i), Selected: i == interval})
	}
	for _, a := range recurring.Actions {
		rf.Actions = append(rf.Actions, option{Value: a, Label: ui.T(lang, "app.recurring.action."+a), Selected: a == action})
	}
}

// recurringPeriods are the last periods a recurring invoice billed.
func recurringPeriods(app core.App, id string) []recurringPeriodRow {
	rows, err := app.FindRecordsByFilter(recurring.Periods, "recurring = {:id}", "-period", 24, 0, dbx.Params{"id": id})
	if err != nil {
		return nil
	}
	var out []recurringPeriodRow
	for _, r := range rows {
		row := recurringPeriodRow{Period: r.GetString("period"), Invoice: r.GetString("invoice"), Note: r.GetString("note")}
		if inv, err := app.FindRecordById(invoicing.Invoices, row.Invoice); err == nil {
			row.Number = inv.GetString("number")
		}
		out = append(out, row)
	}
	return out
}

func handleRecurringNew(e *core.RequestEvent, p page) error {
	ep := recurringEditor(e, p, nil)
	return render(e, http.StatusOK, "editor.html", ep.page, ep)
}

func handleRecurringEdit(e *core.RequestEvent, p page) error {
	r, err := e.App.FindRecordById(recurring.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	ep := recurringEditor(e, p, r)
	if e.Request.URL.Query().Get("done") == "saved" {
		ep.Notice = ui.T(p.Lang, "app.done.saved")
	}
	return render(e, http.StatusOK, "editor.html", ep.page, ep)
}

// handleRecurringSave saves the editor's recurring invoice, new or the one
// the path names; a refusal comes back on the form beside its fields.
func handleRecurringSave(e *core.RequestEvent, p page) error {
	var r *core.Record
	if id := e.Request.PathValue("id"); id != "" {
		stored, err := e.App.FindRecordById(recurring.Collection, id)
		if err != nil {
			return e.NotFoundError("", nil)
		}
		r = stored
	} else {
		col, err := e.App.FindCachedCollectionByNameOrId(recurring.Collection)
		if err != nil {
			return err
		}
		r = core.NewRecord(col)
	}
	var ep editorPage
	if r.IsNew() {
		ep = recurringEditor(e, p, nil)
	} else {
		ep = recurringEditor(e, p, r)
	}
	form := e.Request.PostForm
	value := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	rf := ep.Recurring
	ep.CustomerID, ep.CustomerName = value("customer"), value("customer_name")
	ep.Series, ep.Notes = value("series"), strings.TrimSpace(form.Get("notes"))
	rf.Name, rf.Every, rf.StartDate, rf.EndDate, rf.Count = value("name"), value("every"), value("start_date"), value("end_date"), value("count")
	rf.Active = value("active") == "true"
	interval, action := value("interval"), value("on_day")
	rf.setChoices(p.Lang, interval, action)
	if c := resolveCustomer(e.App, ep.CustomerID, ep.CustomerName); c == nil || c.GetBool("archived") {
		ep.Errors["customer"] = ui.T(p.Lang, "app.editor.err.customer")
	} else {
		ep.CustomerID, ep.CustomerName = c.Id, c.GetString("name")
		r.Set("customer", c.Id)
	}
	for field, v := range map[string]string{"start_date": rf.StartDate, "end_date": rf.EndDate} {
		if v == "" {
			if field == "start_date" {
				ep.Errors[field] = ui.T(p.Lang, "app.form.err.required")
			}
			r.Set(field, "")
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			ep.Errors[field] = ui.T(p.Lang, "app.form.err.date")
			continue
		}
		r.Set(field, d)
	}
	for field, v := range map[string]string{"every": rf.Every, "count": rf.Count} {
		if v == "" {
			r.Set(field, 0)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ep.Errors[field] = ui.T(p.Lang, "app.form.err.whole")
			continue
		}
		r.Set(field, n)
	}
	in := linesFromForm(form)
	checked := checkLines(p.Lang, in)
	ep.setLines(in, checked, 1)
	if !checked.ok() {
		ep.Error = checked.firstError(p.Lang)
	} else if len(checked.Valid) == 0 {
		ep.Errors["lines"] = ui.T(p.Lang, "app.recurring.err.no_lines")
	}
	r.Load(map[string]any{"name": rf.Name, "series": ep.Series, "notes": ep.Notes, "interval": interval, "action": action, "active": rf.Active, "lines": checked.linesJSON()})
	if len(ep.Errors) == 0 && ep.Error == "" {
		err := e.App.Save(r)
		if err == nil {
			return e.Redirect(http.StatusSeeOther, "/app/recurring/"+r.Id+"?done=saved")
		}
		fields, whole := fieldProblems(p.Lang, err)
		for f, msg := range fields {
			ep.Errors[f] = msg
		}
		ep.Error = whole
	}
	if ep.Error == "" {
		ep.Error = ui.T(p.Lang, "app.form.fix")
	}
	return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
}

func handleRecurringDelete(e *core.RequestEvent, p page) error {
	r, err := e.App.FindRecordById(recurring.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if err := e.App.Delete(r); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/app/recurring?done=deleted")
}
