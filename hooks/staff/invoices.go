package staff

import (
	"database/sql"
	"encoding/json"
	"errors"
	"facturo/hooks/export"
	"facturo/internal/money"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/shopspring/decimal"

	"facturo/hooks/einvoice"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/clock"
	"facturo/internal/numtext"
	"facturo/internal/taxes"
	"facturo/internal/web"
	"facturo/ui"
)

const listPageSize = 50

type option struct {
	Value, Label string
	Selected     bool
}

type invoiceRow struct {
	ID, Number, Customer, IssueDate, DueDate, Total, Outstanding, Payment, Delivery, Response string
	Late                                                                                      string // "Vencida · 12 días" when overdue
	Mark                                                                                      string // "Rectificada por …" or "Rectifica …" in a rectification
}

type invoicesPage struct {
	page
	Query, Customer, CustomerName string
	Min, Max                      string
	States                        []option
	Rows                          []invoiceRow
	PreviousURL, NextURL          string
	ExportQuery                   template.URL // the filters in force, as a query string
	ZIP                           export.ZIPForm
}

// lateLabel marks a row overdue with its days late, or is empty.
func lateLabel(lang string, r invoicing.Row) string {
	if days := r.DaysLate(clock.Today()); days > 0 {
		return ui.Late(lang, days)
	}
	return ""
}

// listStates are the list's filters: the portal's states and the lists of
// what needs action.
// listStates are the list's filters: the lists of issued invoices, and the
// drafts.
var listStates = append(append([]string{""}, invoicing.ListStates...), "draft")

// handleInvoices lists the firm's issued invoices, newest first, filtered
// by a search, a state, a customer or amounts, a page at a time. Amounts
// that do not read are left out, as the portal's list does.
func handleInvoices(e *core.RequestEvent, p page) error {
	p = p.titled("app.invoices", "invoices")
	q := e.Request.URL.Query()
	kept := url.Values{}
	f := invoicing.Filter{}
	ip := invoicesPage{}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		f.Search, ip.Query = v, v
		kept.Set("q", v)
	}
	if v := q.Get("state"); slices.Contains(listStates, v) && v != "" {
		if v == "draft" {
			f.Drafts = true
		} else {
			f.State = v
		}
		kept.Set("state", v)
		p.Title = ui.T(p.Lang, "app.list."+v)
		if v == "unpaid" || v == "paid" || v == "rejected" || v == "queried" {
			p.Title = ui.T(p.Lang, "portal.state."+v)
		}
	}
	if v := q.Get("customer"); v != "" {
		if c, err := e.App.FindRecordById(invoicing.Customers, v); err == nil {
			f.Customer, ip.Customer, ip.CustomerName = c.Id, c.Id, c.GetString("name")
			kept.Set("customer", c.Id)
		}
	}
	// Amounts as the clerk types them in the page's language (package
	// numtext); the next pages and the exports are asked to read them in
	// that language too, whatever the firm's.
	for _, a := range []struct {
		name string
		dst  **float64
		text *string
	}{{"min", &f.Min, &ip.Min}, {"max", &f.Max, &ip.Max}} {
		if n, err := numtext.TypedDecimal(p.Lang, q.Get(a.name)); err == nil {
			*a.dst, *a.text = new(n.InexactFloat64()), q.Get(a.name)
			kept.Set(a.name, *a.text)
			kept.Set("lang", p.Lang)
		}
	}
	ip.page = p
	for _, s := range listStates {
		key := "portal.state." + s
		switch s {
		case "":
			key = "portal.state.all"
		case "overdue", "bounced", "unsent", "correction", "unanswered", "draft":
			key = "app.list." + s
		}
		ip.States = append(ip.States, option{Value: s, Label: ui.T(p.Lang, key), Selected: s == q.Get("state")})
	}
	paging := web.PageOf(e, listPageSize)
	f.Limit, f.Offset = paging.Limit(), paging.Offset()
	if f.State == "overdue" {
		f.Sort = "due_date"
	}
	var listed []invoicing.Row
	err := invoicing.EachInvoice(e.App, f, func(r invoicing.Row) error {
		number := r.Number
		if number == "" {
			number = strings.TrimSpace(ui.T(p.Lang, "app.draft") + " " + r.ExternalID)
		}
		ip.Rows = append(ip.Rows, invoiceRow{
			ID: r.ID, Number: number, Customer: r.CustomerName,
			IssueDate: ui.FormatDate(p.Lang, r.IssueDate), DueDate: ui.FormatDate(p.Lang, r.DueDate),
			Total:       ui.FormatMoney(p.Lang, money.FromStored(r.Total), r.Currency),
			Outstanding: ui.FormatMoney(p.Lang, money.FromStored(r.Total).Sub(money.FromStored(r.PaidTotal)), r.Currency),
			Payment:     ui.T(p.Lang, "view.payment."+r.PaymentState()), Delivery: ui.T(p.Lang, "delivery."+r.Delivery),
			Response: ui.T(p.Lang, "response."+r.Response), Late: lateLabel(p.Lang, r),
		})
		// A voided invoice is owed nothing.
		if r.Status == invoicing.StatusVoided {
			ip.Rows[len(ip.Rows)-1].Outstanding = "—"
		}
		listed = append(listed, r)
		return nil
	})
	if err != nil {
		return err
	}
	pairs, err := invoicing.PairsOfRows(e.App, listed)
	if err != nil {
		return err
	}
	for i, r := range listed {
		if r.Status != invoicing.StatusVoided {
			ip.Rows[i].Mark = pairs.Mark(p.Lang, r.ID)
		}
	}
	// A URL, not a string: the template would escape its & and = into
	// one value the export cannot read, and export everything.
	ip.ExportQuery = template.URL(kept.Encode())
	ip.ZIP = export.NewZIPForm(p.Lang, "/app/exports/invoices.zip", kept)
	var shown int
	shown, ip.PreviousURL, ip.NextURL = paging.Links("/app/invoices", kept, len(ip.Rows))
	ip.Rows = ip.Rows[:shown]
	return render(e, http.StatusOK, "invoices.html", p, ip)
}

type lineView struct{ Description, Quantity, UnitPrice, VAT, Amount string }

type timelineEntry struct {
	When, What, Who, From, Text, Signal string
}

type invoicePage struct {
	page
	ID, Number, Status, CustomerID, Customer, IssueDate, DueDate string
	Total, Paid, Outstanding, Delivery, Response, ResponseDetail string
	Rectifies, RectifiesID, EditURL                              string
	RectifiedBy                                                  []invoicing.Link
	PairOwed                                                     string // what the invoice and its corrections still owe together
	Draft, Issued, Queried, CanPay, Voided, CanVoid              bool
	AEAT                                                         *aeatState
	Lines                                                        []lineView
	Timeline                                                     []timelineEntry
	Codes                                                        []string
	// EInvoice is, on a draft, what the customer's preferred format lacks.
	EInvoice        *einvoice.Check
	EInvoiceMissing string
	Notice, Error   string
	Today           string

	// SentOnce: the invoice's e-mail left once, so sending is sending again.
	SentOnce bool
}

// signals name the events that are not a person's act: opened is the
// tracking pixel, a weak signal; the others come from mail servers and
// programs.
var signals = map[string]string{
	"opened": "weak", "delivered": "automated", "delayed": "automated", "bounced": "automated",
	"auto_replied": "automated", "read_receipt": "automated", "send_failed": "automated",
	"queued": "automated", "sent": "automated", "reminder_sent": "automated",
}

func handleInvoice(e *core.RequestEvent, p page) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	var notice string
	if k := e.Request.URL.Query().Get("done"); k != "" {
		notice = ui.T(p.Lang, "app.done."+k)
	}
	return renderInvoice(e, p, inv, http.StatusOK, notice, "")
}

func renderInvoice(e *core.RequestEvent, p page, inv *core.Record, status int, notice, problem string) error {
	p = p.titled("view.title", "invoices")
	lang, cur := p.Lang, inv.GetString("currency")
	formatAmount := func(v decimal.Decimal) string { return ui.FormatMoney(lang, v, cur) }
	total, paid := money.FromStored(inv.GetFloat("total")), money.FromStored(inv.GetFloat("paid_total"))
	ip := invoicePage{
		page: p, ID: inv.Id, Number: inv.GetString("number"), Status: inv.GetString("status"),
		CustomerID: inv.GetString("customer"),
		IssueDate:  ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()), DueDate: ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total: formatAmount(total), Paid: formatAmount(paid), Outstanding: formatAmount(total.Sub(paid)),
		Delivery: ui.T(lang, "delivery."+inv.GetString("delivery")), Response: ui.T(lang, "response."+inv.GetString("response")),
		Draft: inv.GetString("status") == invoicing.StatusDraft, Issued: inv.GetString("status") == "issued",
		Queried: inv.GetString("response") == "queried", Codes: invoicing.RectificationCodes,
		EditURL: "/app/invoices/" + inv.Id + "/edit",
		Notice:  notice, Error: problem, Today: clock.Today().Format(time.DateOnly),
	}
	ip.CanPay = ip.Issued && total.GreaterThan(paid)
	if ip.Draft {
		if c, err := einvoice.CheckInvoice(e.App, inv, "", lang); err == nil && c.Format != "pdf" {
			ip.EInvoice = c
			ip.EInvoiceMissing = strings.ReplaceAll(ui.T(lang, "einvoice.draft_missing"), "{format}", ui.T(lang, "einvoice.format."+c.Format))
		}
	}
	ip.Voided = inv.GetString("status") == invoicing.StatusVoided
	if ip.Voided {
		ip.Outstanding = "—"
	}
	ip.CanVoid = ip.Issued && paid.IsZero() && inv.GetString("rectifies") == ""
	if !ip.Draft {
		ip.AEAT = invoiceAEATState(e.App, lang, inv)
	}
	if ip.Number == "" {
		ip.Number = ui.T(lang, "app.draft")
	}
	if r := inv.GetString("response_reason"); r != "" {
		ip.ResponseDetail = ui.T(lang, "reason."+r)
		if a := inv.GetString("response_action"); a != "" {
			ip.ResponseDetail += " · " + ui.T(lang, "correction."+a)
		}
	}
	if _, recipient, err := invoicing.Parties(e.App, inv); err == nil {
		ip.Customer = recipient.Name
	}
	if id := inv.GetString("rectifies"); id != "" {
		if original, err := e.App.FindRecordById(invoicing.Invoices, id); err == nil {
			ip.Rectifies, ip.RectifiesID = original.GetString("number"), original.Id
		}
	}
	if !ip.Draft {
		pairs, err := invoicing.PairsOf(e.App, []string{inv.Id})
		if err != nil {
			return err
		}
		pair := pairs.Correcting[inv.Id]
		if p := pairs.Of[inv.Id]; p != nil {
			pair, ip.RectifiedBy = p, p.Corrections
		}
		if pair != nil {
			ip.PairOwed = formatAmount(pair.Owed)
		}
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err == nil {
		for _, l := range lines {
			ip.Lines = append(ip.Lines, lineView{
				Description: l.Description, Quantity: ui.FormatDecimal(lang, l.Quantity),
				UnitPrice: formatAmount(l.UnitPrice), VAT: ui.FormatDecimal(lang, l.VAT) + " %", Amount: formatAmount(l.Amount()),
			})
		}
	}
	events, err := e.App.FindRecordsByFilter(invoicing.Events, "invoice = {:id}", "-created", 500, 0, dbx.Params{"id": inv.Id})
	if err != nil {
		return err
	}
	for _, ev := range events {
		typ := ev.GetString("type")
		if typ == invoicing.EventSent || typ == invoicing.EventDelivered {
			ip.SentOnce = true
		}
		created := ev.GetDateTime("created").Time()
		var data map[string]any
		_ = json.Unmarshal([]byte(ev.GetString("data")), &data)
		entry := timelineEntry{
			When: ui.FormatMoment(lang, created),
			What: ui.EventLabel(lang, typ, data), Who: ev.GetString("actor_email"), From: ev.GetString("ip"),
			Signal: signals[typ],
		}
		entry.Text = eventDetail(lang, cur, typ, data)
		ip.Timeline = append(ip.Timeline, entry)
	}
	return render(e, status, "invoice.html", p, ip)
}

// eventDetail is the part of an event's data a person wants to read: what
// was written, what the mail server said, or what was paid and how.
func eventDetail(lang, currency, typ string, data map[string]any) string {
	if typ == invoicing.EventPayment {
		amount, _ := data["amount"].(float64)
		method, _ := data["method"].(string)
		parts := []string{ui.FormatMoney(lang, money.FromStored(amount), currency), ui.T(lang, "app.method."+method)}
		if ref, _ := data["reference"].(string); ref != "" {
			parts = append(parts, ref)
		}
		return strings.Join(parts, " · ")
	}
	for _, key := range []string{"text", "note", "diagnostic", "error", "reason", "subject"} {
		if v, _ := data[key].(string); v != "" {
			return v
		}
	}
	return ""
}

func handleInvoicePDF(e *core.RequestEvent, p page) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil || inv.GetString("status") == invoicing.StatusDraft {
		return e.NotFoundError("", nil)
	}
	return invoicing.ServePDF(e, inv, invoicing.ActorFromRequest(e), false)
}

// handleInvoiceAction runs what staff do from an invoice's page: issue a
// draft, send the invoice (again), answer the customer, rectify it, record
// a payment. A refusal comes back on the page, naming what was wrong.
func handleInvoiceAction(e *core.RequestEvent, p page) error {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	actor := invoicing.ActorFromRequest(e)
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	action := e.Request.PathValue("action")
	if act, ok := invoiceDocumentActions[action]; ok {
		return act(e, p, inv)
	}
	target := inv.Id
	switch action {
	case "issue":
		_, err = invoicing.Issue(e.App, inv.Id, actor)
	case "send":
		_, err = mail.Queue(e.App, inv.Id, actor)
	case "answer":
		if form("text") == "" {
			err = errors.New(ui.T(p.Lang, "app.answer.empty"))
		} else {
			_, err = mail.Answer(e.App, inv.Id, form("text"), actor)
		}
	case "void":
		_, err = invoicing.Void(e.App, inv.Id, form("reason"), actor)
	case "rectify":
		var draft *core.Record
		if draft, err = invoicing.Rectify(e.App, inv.Id, form("code"), form("reason")); err == nil {
			target = draft.Id
		}
	case "payment":
		var amount decimal.Decimal
		if amount, err = paymentAmount(p.Lang, form("amount")); err != nil {
			break
		}
		pay := invoicing.Payment{Amount: amount, Method: form("method"), Reference: form("reference")}
		if d := form("paid_on"); d != "" {
			if pay.PaidOn, err = time.Parse(time.DateOnly, d); err != nil {
				err = errors.New(ui.T(p.Lang, "app.payment.bad_date"))
				break
			}
		}
		_, err = invoicing.RecordPayment(e.App, inv.Id, pay, actor)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		inv, _ = e.App.FindRecordById(invoicing.Invoices, inv.Id)
		return renderInvoice(e, p, inv, http.StatusBadRequest, "", problemText(p.Lang, err))
	}
	return e.Redirect(http.StatusSeeOther, "/app/invoices/"+target+"?done="+action)
}

// paymentAmount reads the amount typed into the payment form as every
// number typed in lang is read (package numtext: 1.000,00 and 1000,50 on a
// Spanish page, 1,000.00 on an English one), saying in lang why a figure
// does not read.
func paymentAmount(lang, typed string) (decimal.Decimal, error) {
	amount, err := numtext.TypedDecimal(lang, typed)
	switch {
	case err == nil:
		return amount, nil
	case numtext.Ambiguous(err):
		return decimal.Decimal{}, errors.New(ui.T(lang, "app.editor.err.ambiguous"))
	}
	return decimal.Decimal{}, errors.New(ui.T(lang, "app.payment.bad_amount"))
}

// problemText is an error as a person should read it: the message of an
// API error followed by what it says of each field.
func problemText(lang string, err error) string {
	if text, ok := ui.Translated(lang, err); ok {
		return text
	}
	var verrs validation.Errors
	if errors.As(err, &verrs) {
		// A record's save refused field by field: each field's problem, in
		// lang, after the field's name as the form shows it.
		fields, _ := fieldProblems(lang, err)
		var parts []string
		for _, field := range slices.Sorted(maps.Keys(fields)) {
			parts = append(parts, formFieldLabel(lang, field)+": "+fields[field])
		}
		return strings.Join(parts, " ")
	}
	var apiErr *router.ApiError
	if errors.Is(err, sql.ErrNoRows) || errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		// What the form names is gone (another clerk deleted it, say):
		// the API's "No … with id …" is no sentence for a page.
		return ui.T(lang, "app.err.not_found")
	}
	if apiErr == nil {
		return ui.Message(lang, err)
	}
	msg := apiErr.Message
	fields := slices.Sorted(maps.Keys(apiErr.Data))
	for _, field := range fields {
		if item, ok := apiErr.Data[field].(map[string]any); ok {
			if text, _ := item["message"].(string); text != "" && !strings.Contains(msg, strings.TrimSuffix(text, ".")) {
				msg += " " + field + ": " + text
			}
		}
	}
	return msg
}
