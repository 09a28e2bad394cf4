package staff

import (
	"facturo/internal/money"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/internal/taxes"
	"facturo/ui"
)

// Quotes at /app/quotes: written in the invoice editor, finished (numbered
// in their own series and drawn), and turned into a draft invoice once the
// customer accepts. hooks/quotes keeps their rules.

type quoteRow struct {
	ID, Number, Customer, Date, Total, Status string
}

type quotesPage struct {
	page
	Rows []quoteRow
}

type quotePage struct {
	page
	ID, Number, Customer, Date, ValidUntil, Total, Status, Response, Invoice string
	Delivery                                                                 string
	Draft, Accepted                                                          bool
	Timeline                                                                 []timelineEntry
	Notice, Error                                                            string
}

func customerName(app core.App, id string) string {
	if c, err := app.FindRecordById(invoicing.Customers, id); err == nil {
		return c.GetString("name")
	}
	return ""
}

func quoteTotal(lang string, q *core.Record) string {
	if q.GetString("status") == quotes.StatusDraft {
		lines, err := taxes.ParseLines([]byte(q.GetString("lines")))
		if err != nil {
			return "—"
		}
		return ui.FormatMoney(lang, taxes.Compute(lines).Total, money.Currency)
	}
	return ui.FormatMoney(lang, money.FromStored(q.GetFloat("total")), money.Currency)
}

func handleQuotes(e *core.RequestEvent, p page) error {
	p = p.titled("app.quotes", "quotes")
	qp := quotesPage{page: p}
	records, err := e.App.FindRecordsByFilter(quotes.Collection, "", "-created", 500, 0)
	if err != nil {
		return err
	}
	for _, q := range records {
		row := quoteRow{ID: q.Id, Number: q.GetString("number"), Customer: customerName(e.App, q.GetString("customer")),
			Total: quoteTotal(p.Lang, q), Status: ui.T(p.Lang, "app.quotes.status."+q.GetString("status"))}
		if row.Number == "" {
			row.Number = ui.T(p.Lang, "app.quotes.draft")
		}
		if d := q.GetDateTime("issue_date"); !d.IsZero() {
			row.Date = ui.FormatDate(p.Lang, d.Time())
		}
		qp.Rows = append(qp.Rows, row)
	}
	return render(e, http.StatusOK, "quotes.html", p, qp)
}

func quoteEditor(e *core.RequestEvent, p page, q *core.Record) editorPage {
	key := "app.quotes.new"
	if q != nil {
		key = "app.quotes.edit"
	}
	ep := newEditorPage(p.titled(key, "quotes"), "quote")
	ep.Action, ep.Cancel = "/app/quotes/new", "/app/quotes"
	ep.SeriesOptions = seriesOptions(e.App)
	var in []lineInput
	if q != nil {
		ep.ID, ep.Saved = q.Id, true
		ep.Action, ep.Cancel = "/app/quotes/"+q.Id+"/edit", "/app/quotes/"+q.Id
		ep.CustomerID, ep.CustomerName = q.GetString("customer"), customerName(e.App, q.GetString("customer"))
		ep.Series, ep.Notes = q.GetString("series"), q.GetString("notes")
		ep.IssueDate, ep.ValidUntil = dateInput(q.GetDateTime("issue_date")), dateInput(q.GetDateTime("valid_until"))
		if lines, err := taxes.ParseLines([]byte(q.GetString("lines"))); err == nil {
			in = lineInputs(p.Lang, lines)
		}
	} else if id := e.Request.URL.Query().Get("customer"); id != "" {
		if c, err := e.App.FindRecordById(invoicing.Customers, id); err == nil && !c.GetBool("archived") {
			ep.CustomerID, ep.CustomerName = c.Id, c.GetString("name")
		}
	}
	blanks := 1
	if len(in) == 0 {
		blanks = 3
	}
	ep.setLines(in, checkLines(p.Lang, in), blanks)
	return ep
}

func handleQuoteNew(e *core.RequestEvent, p page) error {
	ep := quoteEditor(e, p, nil)
	return render(e, http.StatusOK, "editor.html", ep.page, ep)
}

func handleQuoteEdit(e *core.RequestEvent, p page) error {
	q, err := e.App.FindRecordById(quotes.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if q.GetString("status") != quotes.StatusDraft {
		return e.Redirect(http.StatusSeeOther, "/app/quotes/"+q.Id)
	}
	ep := quoteEditor(e, p, q)
	if e.Request.URL.Query().Get("done") == "saved" {
		ep.Notice = ui.T(p.Lang, "app.done.saved")
	}
	return render(e, http.StatusOK, "editor.html", ep.page, ep)
}

// readQuoteForm fills a quote from the posted editor, with the invoice
// editor's own reading of the customer, dates and lines.
func readQuoteForm(e *core.RequestEvent, ep *editorPage, q *core.Record) bool {
	ok := readDraftForm(e, ep, q)
	ep.ValidUntil = strings.TrimSpace(e.Request.PostFormValue("valid_until"))
	q.Set("valid_until", "")
	if ep.ValidUntil != "" {
		d, err := time.Parse(time.DateOnly, ep.ValidUntil)
		if err != nil {
			ep.Errors["valid_until"] = ui.T(ep.Lang, "app.form.err.date")
			return false
		}
		q.Set("valid_until", d)
	}
	return ok
}

// handleQuoteSave saves the editor's quote, then finishes it when asked.
func handleQuoteSave(e *core.RequestEvent, p page) error {
	var q *core.Record
	if id := e.Request.PathValue("id"); id != "" {
		stored, err := e.App.FindRecordById(quotes.Collection, id)
		if err != nil {
			return e.NotFoundError("", nil)
		}
		if stored.GetString("status") != quotes.StatusDraft {
			return e.Redirect(http.StatusSeeOther, "/app/quotes/"+stored.Id)
		}
		q = stored
	} else {
		col, err := e.App.FindCachedCollectionByNameOrId(quotes.Collection)
		if err != nil {
			return err
		}
		q = core.NewRecord(col)
		q.Set("status", quotes.StatusDraft)
		q.Set("currency", money.Currency)
	}
	var ep editorPage
	if q.IsNew() {
		ep = quoteEditor(e, p, nil)
	} else {
		ep = quoteEditor(e, p, q)
	}
	ep.Errors, ep.Error = map[string]string{}, ""
	if !readQuoteForm(e, &ep, q) {
		if ep.Error == "" {
			ep.Error = ui.T(p.Lang, "app.form.fix")
		}
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	if err := e.App.Save(q); err != nil {
		fields, whole := fieldProblems(p.Lang, err)
		for f, msg := range fields {
			ep.Errors[f] = msg
		}
		ep.Error = whole
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	action := e.Request.PostFormValue("action")
	if action != "finish" && action != "finish_send" {
		return e.Redirect(http.StatusSeeOther, "/app/quotes/"+q.Id+"/edit?done=saved")
	}
	if _, err := quotes.Finish(e.App, q.Id, e.Auth.Email()); err != nil {
		q, _ = e.App.FindRecordById(quotes.Collection, q.Id)
		ep = quoteEditor(e, p, q)
		_, whole := fieldProblems(p.Lang, err)
		ep.Error = whole
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	if action == "finish_send" {
		return sendQuote(e, q.Id)
	}
	return e.Redirect(http.StatusSeeOther, "/app/quotes/"+q.Id+"?done=finished")
}

// handleQuoteSend e-mails a finished quote to its customer (again, if it
// was sent before), through the outbox.
func handleQuoteSend(e *core.RequestEvent, _ page) error {
	return sendQuote(e, e.Request.PathValue("id"))
}

func sendQuote(e *core.RequestEvent, id string) error {
	a := invoicing.ActorFromRequest(e)
	actor := quotes.Actor{Email: a.Email, IP: a.IP, UserAgent: a.UserAgent}
	if _, err := mail.QueueQuote(e.App, id, actor); err != nil {
		return e.Redirect(http.StatusSeeOther, "/app/quotes/"+id+"?done=not_sent")
	}
	return e.Redirect(http.StatusSeeOther, "/app/quotes/"+id+"?done=queued")
}

// handleQuotePreview draws the editor's quote as posted, unsaved and
// unnumbered.
func handleQuotePreview(e *core.RequestEvent, p page) error {
	col, err := e.App.FindCachedCollectionByNameOrId(quotes.Collection)
	if err != nil {
		return err
	}
	q := core.NewRecord(col)
	ep := quoteEditor(e, p, nil)
	if !readQuoteForm(e, &ep, q) || q.GetString("lines") == "[]" {
		if ep.Error == "" {
			ep.Error = ui.T(p.Lang, "app.editor.err.no_lines")
		}
		return render(e, http.StatusBadRequest, "editor.html", ep.page, ep)
	}
	doc, err := quotes.Render(e.App, q)
	if err != nil {
		return err
	}
	return servePreview(e, doc, ui.T(p.Lang, "app.quotes.preview_file"))
}

func handleQuote(e *core.RequestEvent, p page) error {
	q, err := e.App.FindRecordById(quotes.Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	status := q.GetString("status")
	if status == quotes.StatusDraft {
		return e.Redirect(http.StatusSeeOther, "/app/quotes/"+q.Id+"/edit")
	}
	p = p.titled("app.quote", "quotes")
	qp := quotePage{page: p, ID: q.Id, Number: q.GetString("number"), Customer: customerName(e.App, q.GetString("customer")),
		Total: quoteTotal(p.Lang, q), Status: ui.T(p.Lang, "app.quotes.status."+status), Response: q.GetString("response_note"),
		Invoice: q.GetString("invoice"), Accepted: status == quotes.StatusAccepted}
	qp.Date = ui.FormatDate(p.Lang, q.GetDateTime("issue_date").Time())
	if d := q.GetDateTime("valid_until"); !d.IsZero() {
		qp.ValidUntil = ui.FormatDate(p.Lang, d.Time())
	}
	if d := q.GetString("delivery"); d != "" {
		qp.Delivery = ui.T(p.Lang, "app.quotes.delivery."+d)
	}
	if k := e.Request.URL.Query().Get("done"); k != "" {
		qp.Notice = ui.T(p.Lang, "app.quotes.done."+k)
	}
	events, err := quotes.Timeline(e.App, q.Id)
	if err != nil {
		return err
	}
	for i := len(events) - 1; i >= 0; i-- {
		ev := events[i]
		typ := ev.GetString("type")
		var data map[string]any
		_ = ev.UnmarshalJSONField("data", &data)
		entry := timelineEntry{When: ui.FormatMoment(p.Lang, ev.GetDateTime("created").Time()),
			What: ui.T(p.Lang, "app.quotes.event."+typ), Who: ev.GetString("actor_email"), From: ev.GetString("ip"), Signal: signals[typ]}
		if auto, _ := data["automated"].(bool); auto && typ != "opened" {
			entry.Signal = "automated"
		}
		entry.Text = eventDetail(p.Lang, money.Currency, typ, data)
		qp.Timeline = append(qp.Timeline, entry)
	}
	return render(e, http.StatusOK, "quote.html", p, qp)
}

func handleQuotePDF(e *core.RequestEvent, _ page) error {
	q, err := e.App.FindRecordById(quotes.Collection, e.Request.PathValue("id"))
	if err != nil || q.GetString("pdf") == "" {
		return e.NotFoundError("", nil)
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	return fsys.Serve(e.Response, e.Request, q.BaseFilesPath()+"/"+q.GetString("pdf"), q.GetString("number")+".pdf")
}

// handleQuoteInvoice turns an accepted quote into a draft invoice, and
// opens it in the editor.
func handleQuoteInvoice(e *core.RequestEvent, p page) error {
	inv, err := quotes.ToDraftInvoice(e.App, e.Request.PathValue("id"), e.Auth.Email())
	if err != nil {
		return e.Redirect(http.StatusSeeOther, "/app/quotes/"+e.Request.PathValue("id")+"?done=not_accepted")
	}
	return e.Redirect(http.StatusSeeOther, "/app/invoices/"+inv.Id+"/edit")
}
