package portal

import (
	"encoding/json"
	"errors"
	"facturo/internal/money"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/shopspring/decimal"

	"facturo/hooks/accountstatement"
	"facturo/hooks/einvoice"
	"facturo/hooks/export"
	"facturo/hooks/invoicing"
	"facturo/internal/clock"
	"facturo/internal/numtext"
	"facturo/internal/taxes"
	"facturo/internal/web"
	"facturo/ui"
)

// bindPages adds the portal's pages.
func bindPages(se *core.ServeEvent) {
	// The server's root is the customers' door: the portal, which sends
	// whoever has not signed in to its sign-in page.
	se.Router.GET("/{$}", func(e *core.RequestEvent) error { return e.Redirect(http.StatusSeeOther, "/portal/") })
	se.Router.GET("/portal/login", handleLoginPage)
	se.Router.POST("/portal/login", handleLogin)
	se.Router.POST("/portal/logout", handleLogout)
	se.Router.GET("/portal/{$}", handleHome)
	se.Router.GET("/portal/invoices", handleList)
	se.Router.GET("/portal/static/{path...}", web.ServeStatic())
	se.Router.GET("/favicon.ico", web.ServeFavicon)
	se.Router.GET("/portal/invoices/{id}", ownInvoiceRoute(handleInvoice))
	se.Router.GET("/portal/invoices/{id}/pdf", ownInvoiceRoute(handleInvoicePDF))
	for _, format := range einvoice.XMLFormats {
		se.Router.GET("/portal/invoices/{id}/"+format+".xml", ownInvoiceRoute(func(e *core.RequestEvent, contact, inv *core.Record) error {
			e.Auth = contact
			return einvoice.Serve(e, inv, format, invoicing.ActorFromRequest(e), true)
		}))
	}
	se.Router.POST("/portal/invoices/{id}/respond", ownInvoiceRoute(handleRespondForm))
	se.Router.GET("/portal/statement.pdf", handleStatement)
	se.Router.GET("/portal/exports/invoices.csv", func(e *core.RequestEvent) error { return handleExport(e, "csv") })
	se.Router.GET("/portal/exports/invoices.xlsx", func(e *core.RequestEvent) error { return handleExport(e, "xlsx") })
	se.Router.GET("/portal/exports/invoices.zip", func(e *core.RequestEvent) error { return handleExport(e, "zip") })
	bindProfile(se)
	bindCodeAndReset(se)
}

// page is what every portal page shows around its content.
type page struct {
	Lang, Title, Firm, Contact, CSRF string
	// Languages switch a guest's pages (sign-in, code, forgotten
	// password) to each language spoken; a contact reads theirs.
	Languages []languageLink
}

// languageLink is this page in another language, named in that language.
type languageLink struct {
	Lang, Name, URL string
	Current         bool
}

// langCookie keeps a guest's choice of language from page to page until
// they sign in.
const langCookie = "facturo_lang"

// guestLanguage is the language a guest chose: ?lang= (kept in a cookie),
// or the one kept; else what the browser asks for.
func guestLanguage(e *core.RequestEvent) string {
	if l := e.Request.URL.Query().Get("lang"); ui.Speaks(l) {
		site.SetCookie(e, langCookie, ui.Pick(l), 365*24*3600)
		return ui.Pick(l)
	}
	if c, err := e.Request.Cookie(langCookie); err == nil && ui.Speaks(c.Value) {
		return ui.Pick(c.Value)
	}
	return ui.Pick(ui.AcceptLanguage(e.Request.Header.Get("Accept-Language")))
}

// languageLinks are the page's address in each language spoken, keeping
// the rest of its query (where to go after signing in).
func languageLinks(e *core.RequestEvent, current string) []languageLink {
	var links []languageLink
	for _, l := range ui.Languages {
		q := e.Request.URL.Query()
		q.Set("lang", l)
		links = append(links, languageLink{Lang: l, Name: ui.T(l, "language."+l), URL: e.Request.URL.Path + "?" + q.Encode(), Current: l == current})
	}
	return links
}

func newPage(e *core.RequestEvent, contact *core.Record, titleKey string) page {
	var lang string
	if contact != nil {
		lang = ui.Pick(contact.GetString("language"))
	} else {
		lang = guestLanguage(e)
	}
	p := page{Lang: lang, Title: ui.T(lang, titleKey), CSRF: site.CSRFToken(e)}
	if contact == nil {
		p.Languages = languageLinks(e, lang)
	}
	if issuer, err := invoicing.LoadIssuer(e.App); err == nil {
		p.Firm = invoicing.FirmName(issuer)
	}
	if contact != nil {
		p.Contact = contact.Email()
	}
	return p
}

// render executes a portal page in the page's language.
func render(e *core.RequestEvent, status int, name, lang string, data any) error {
	return site.Render(e, status, name, lang, data)
}

// requireContact is the signed-in contact, or nil after redirecting to the
// sign-in page.
func requireContact(e *core.RequestEvent) *core.Record {
	contact := site.SignedIn(e)
	if contact == nil {
		e.Redirect(http.StatusSeeOther, "/portal/login")
	}
	return contact
}

// ownInvoiceRoute wraps the handler of a /portal/invoices/{id} route: it runs
// only for a signed-in contact and one of their customer's issued invoices,
// and answers anything else as not found.
func ownInvoiceRoute(h func(e *core.RequestEvent, contact, inv *core.Record) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		contact := requireContact(e)
		if contact == nil {
			return nil
		}
		inv := ownInvoice(e, contact)
		if inv == nil {
			return notFound(e, contact)
		}
		return h(e, contact, inv)
	}
}

// ownInvoice is an issued invoice of the contact's customer; anything else
// is reported as not found.
func ownInvoice(e *core.RequestEvent, contact *core.Record) *core.Record {
	inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
	if err != nil || inv.GetString("customer") != contact.GetString("customer") || inv.GetString("status") == invoicing.StatusDraft {
		return nil
	}
	return inv
}

type loginPage struct {
	page
	Email, Error, Next string
}

func handleLoginPage(e *core.RequestEvent) error {
	if site.SignedIn(e) != nil {
		return e.Redirect(http.StatusSeeOther, site.Next(e.Request.URL.Query().Get("next")))
	}
	p := newPage(e, nil, "portal.signin.title")
	return render(e, http.StatusOK, "login.html", p.Lang, loginPage{page: p, Next: site.Next(e.Request.URL.Query().Get("next"))})
}

// handleLogin signs a contact in with email and password.
func handleLogin(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.signin.title")
	return site.PasswordSignIn(e, func(status int, key string) error {
		return render(e, status, "login.html", p.Lang, loginPage{page: p, Email: strings.TrimSpace(e.Request.PostFormValue("email")),
			Error: ui.T(p.Lang, key), Next: site.Next(e.Request.PostFormValue("next"))})
	})
}

func handleLogout(e *core.RequestEvent) error { return site.SignOutForm(e) }

// listPageSize is how many invoices a page of the list shows.
const listPageSize = 50

type option struct {
	Value, Label string
	Selected     bool
}

type listRow struct {
	ID, Number, IssueDate, DueDate, Total, Payment, Late string
	Mark                                                 string // "Rectificada por …" or "Rectifica …" in a rectification
}

type listPage struct {
	page
	Query, From, To, Min, Max string
	States, Sorts             []option
	Rows                      []listRow
	PreviousURL, NextURL      string
	ExportQuery               template.URL // the filters in force, as a query string
	ZIP                       export.ZIPForm
}

// sorts are the orders the list offers, as translation keys.
var sorts = []struct{ value, key string }{
	{"", "portal.sort.newest"}, {"issue_date", "portal.sort.oldest"}, {"-total", "portal.sort.total_desc"},
	{"total", "portal.sort.total_asc"}, {"due_date", "portal.sort.due"},
}

// handleList shows the customer's invoices, newest first, with search,
// filters and orders, a page at a time. Values that do not parse are left
// out rather than refused: a person typing in a form is corrected, not
// punished.
func handleList(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	p := newPage(e, contact, "portal.invoices")
	q := e.Request.URL.Query()
	kept := url.Values{} // the filters in force, for page links and exports
	f := invoicing.Filter{Customer: contact.GetString("customer")}
	lp := listPage{page: p}
	if v := strings.TrimSpace(q.Get("q")); v != "" {
		f.Search, lp.Query = v, v
		kept.Set("q", v)
	}
	if v := q.Get("state"); v != "" && validState(v) {
		f.State = v
		kept.Set("state", v)
	}
	for _, s := range sorts {
		if s.value != "" && s.value == q.Get("sort") {
			f.Sort = s.value
			kept.Set("sort", s.value)
		}
	}
	if d, err := time.Parse(time.DateOnly, q.Get("from")); err == nil {
		f.From, lp.From = d, q.Get("from")
		kept.Set("from", lp.From)
	}
	if d, err := time.Parse(time.DateOnly, q.Get("to")); err == nil {
		f.To, lp.To = d, q.Get("to")
		kept.Set("to", lp.To)
	}
	// Amounts as the contact types them in its language (package numtext),
	// which is also the language its exports read them in.
	if n, err := numtext.TypedDecimal(p.Lang, q.Get("min")); err == nil {
		f.Min, lp.Min = new(n.InexactFloat64()), q.Get("min")
		kept.Set("min", lp.Min)
	}
	if n, err := numtext.TypedDecimal(p.Lang, q.Get("max")); err == nil {
		f.Max, lp.Max = new(n.InexactFloat64()), q.Get("max")
		kept.Set("max", lp.Max)
	}
	for _, s := range []string{"", "unpaid", "overdue", "paid", "rejected", "queried"} {
		key := "portal.state." + s
		if s == "" {
			key = "portal.state.all"
		}
		lp.States = append(lp.States, option{Value: s, Label: ui.T(p.Lang, key), Selected: s == f.State})
	}
	for _, s := range sorts {
		lp.Sorts = append(lp.Sorts, option{Value: s.value, Label: ui.T(p.Lang, s.key), Selected: s.value == f.Sort})
	}

	paging := web.PageOf(e, listPageSize)
	f.Limit, f.Offset = paging.Limit(), paging.Offset()
	var listed []invoicing.Row
	err := invoicing.EachInvoice(e.App, f, func(r invoicing.Row) error {
		lp.Rows = append(lp.Rows, listRow{
			ID: r.ID, Number: r.Number, IssueDate: ui.FormatDate(p.Lang, r.IssueDate), DueDate: ui.FormatDate(p.Lang, r.DueDate),
			Total: ui.FormatMoney(p.Lang, money.FromStored(r.Total), r.Currency), Payment: ui.T(p.Lang, "view.payment."+r.PaymentState()),
		})
		if days := r.DaysLate(clock.Today()); days > 0 {
			lp.Rows[len(lp.Rows)-1].Late = ui.Late(p.Lang, days)
		}
		listed = append(listed, r)
		return nil
	})
	if err != nil {
		return err
	}
	if err := markPairs(e.App, p.Lang, listed, func(i int, mark, state string) {
		lp.Rows[i].Mark = mark
		if state != "" {
			lp.Rows[i].Payment = ui.T(p.Lang, "view.payment."+state)
		}
	}); err != nil {
		return err
	}
	// A URL, not a string: the template would escape its & and = into
	// one value the export cannot read, and export everything.
	lp.ExportQuery = template.URL(kept.Encode())
	lp.ZIP = export.NewZIPForm(p.Lang, "/portal/exports/invoices.zip", kept)
	var shown int
	shown, lp.PreviousURL, lp.NextURL = paging.Links("/portal/invoices", kept, len(lp.Rows))
	lp.Rows = lp.Rows[:shown]
	return render(e, http.StatusOK, "list.html", p.Lang, lp)
}

// markPairs tells set, for each listed invoice in a rectification, its
// mark ("Rectificada por …", "Rectifica …") and how it stands with its pair
// (a view.payment key; empty: by its own payment state).
func markPairs(app core.App, lang string, listed []invoicing.Row, set func(i int, mark, state string)) error {
	pairs, err := invoicing.PairsOfRows(app, listed)
	if err != nil {
		return err
	}
	for i, r := range listed {
		if r.Status == invoicing.StatusVoided {
			continue
		}
		mark := pairs.Mark(lang, r.ID)
		if mark == "" {
			continue
		}
		set(i, mark, pairs.PairState(r.ID, r.Total, r.Payment))
	}
	return nil
}

func validState(s string) bool {
	switch s {
	case "", "unpaid", "overdue", "paid", "rejected", "queried":
		return true
	}
	return false
}

type invoiceView struct {
	Voided                                                              bool
	ID, Number, IssueDate, DueDate, Total, Payment, Response, Rectifies string
	Late                                                                string // "Vencida · 12 días" when overdue
	Base, VAT, Surcharge, Withholding                                   string
	Lines                                                               []listLine
	// A rectification: the invoice this one corrects, the corrections of
	// this one, and what the invoice and its corrections still owe
	// together.
	RectifiesID string
	RectifiedBy []invoicing.Link
	PairOwed    string
}

type listLine struct{ Description, Quantity, Amount string }

type timelineEntry struct{ When, What, Who, Text string }

type invoicePage struct {
	page
	Inv                  invoiceView
	Approver, Done       bool
	Error                string
	Actions              []option
	Reasons, Corrections []option
	Note                 string
	Timeline             []timelineEntry
}

// answer is what the respond form holds: empty on a fresh page; after a
// refused answer, what the contact chose and typed, and why it was
// refused, so that a rejection comes back a rejection.
type answer struct {
	Action, Reason, Correction, Note string
	Problem                          string
}

// respondActions are the answers the form offers, after an empty choice:
// nothing is chosen for the contact.
var respondActions = []string{"accept", "reject", "query"}

// respondProblem is why an answer was refused, in lang: the field the
// rules name, put into words.
func respondProblem(lang string, err error) string {
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) {
		return ui.T(lang, "portal.respond.err.other")
	}
	for field, item := range apiErr.Data {
		m, _ := item.(map[string]any)
		code, _ := m["code"].(string)
		switch {
		case field == "action" && code == "validation_not_in_force":
			return ui.T(lang, "portal.respond.err.not_in_force")
		case field == "action":
			return ui.T(lang, "portal.respond.err.action")
		case field == "reason":
			return ui.T(lang, "portal.respond.err.reason")
		case field == "correction":
			return ui.T(lang, "portal.respond.err.correction")
		case field == "note" && code == "validation_required":
			return ui.T(lang, "portal.respond.err.question")
		case field == "note" && code == "validation_length_too_long":
			return ui.T(lang, "portal.respond.err.long")
		case field == "note":
			return ui.T(lang, "portal.respond.err.text")
		}
	}
	if ui.Keyed(err) {
		return ui.Message(lang, err)
	}
	return ui.T(lang, "portal.respond.err.other")
}

// customerActs are the entries done by the customer's people.
var customerActs = []string{"viewed", "downloaded", "accepted", "rejected", "queried", "replied"}

// customerEvents are the timeline entries the customer sees: what happened
// to the invoice between the firm and them, not the firm's internals.
var customerEvents = []string{"sent", "delivered", "viewed", "downloaded", "accepted", "rejected", "queried", "replied", "payment", "paid", "rectified", "reminder_sent", "voided"}

func handleInvoice(e *core.RequestEvent, contact, inv *core.Record) error {
	return renderInvoice(e, contact, inv, http.StatusOK, e.Request.URL.Query().Get("done") == "1", answer{})
}

func renderInvoice(e *core.RequestEvent, contact, inv *core.Record, status int, done bool, form answer) error {
	p := newPage(e, contact, "view.title")
	lang := p.Lang
	v := invoiceView{
		ID: inv.Id, Number: inv.GetString("number"),
		IssueDate: ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()), DueDate: ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total:    ui.FormatMoney(lang, money.FromStored(inv.GetFloat("total")), inv.GetString("currency")),
		Payment:  ui.T(lang, "view.payment."+inv.GetString("payment")),
		Response: ui.T(lang, "response."+inv.GetString("response")),
		Voided:   inv.GetString("status") == invoicing.StatusVoided,
	}
	if v.Voided {
		v.Payment = ui.T(lang, "view.payment.voided")
	}
	if days := invoicing.DaysLate(inv.GetString("status"), inv.GetString("payment"), inv.GetFloat("total"), inv.GetFloat("paid_total"),
		inv.GetDateTime("due_date").Time(), clock.Today()); days > 0 {
		v.Late = ui.Late(lang, days)
	}
	pairs, err := invoicing.PairsOf(e.App, []string{inv.Id})
	if err != nil {
		return err
	}
	pair := pairs.Of[inv.Id]
	if p := pairs.Correcting[inv.Id]; p != nil {
		pair = p
		v.Rectifies, v.RectifiesID = p.Original.Number, p.Original.ID
	}
	if p := pairs.Of[inv.Id]; p != nil {
		v.RectifiedBy = p.Corrections
	}
	if pair != nil {
		v.PairOwed = ui.FormatMoney(lang, pair.Owed, inv.GetString("currency"))
	}
	if state := pairs.PairState(inv.Id, inv.GetFloat("total"), inv.GetString("payment")); state != "" && !v.Voided {
		v.Payment = ui.T(lang, "view.payment."+state)
	}
	amount := func(field string) string {
		if inv.GetFloat(field) == 0 {
			return ""
		}
		return ui.FormatMoney(lang, decimal.NewFromFloat(inv.GetFloat(field)), inv.GetString("currency"))
	}
	v.Base, v.VAT, v.Surcharge, v.Withholding = amount("subtotal"), amount("tax_total"), amount("surcharge_total"), amount("withholding_total")
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return err
	}
	for _, l := range lines {
		v.Lines = append(v.Lines, listLine{l.Description, ui.FormatDecimal(lang, l.Quantity), ui.FormatMoney(lang, l.Amount(), inv.GetString("currency"))})
	}
	ip := invoicePage{page: p, Inv: v, Approver: contact.GetString("role") == "approver", Done: done, Error: form.Problem, Note: form.Note}
	for _, a := range respondActions {
		ip.Actions = append(ip.Actions, option{Value: a, Label: ui.T(lang, "portal.respond."+a), Selected: a == form.Action})
	}
	for _, code := range invoicing.StatusReasons {
		ip.Reasons = append(ip.Reasons, option{Value: code, Label: ui.T(lang, "reason."+code), Selected: code == form.Reason})
	}
	for _, code := range invoicing.CorrectionActions {
		ip.Corrections = append(ip.Corrections, option{Value: code, Label: ui.T(lang, "correction."+code), Selected: code == form.Correction})
	}
	events, err := e.App.FindRecordsByFilter(invoicing.Events, "invoice = {:id}", "-created", 200, 0, dbx.Params{"id": inv.Id})
	if err != nil {
		return err
	}
	for _, ev := range events {
		typ := ev.GetString("type")
		// The firm's own looks at the invoice are not the customer's.
		if !slices.Contains(customerEvents, typ) || (typ == "viewed" || typ == "downloaded") && ev.GetBool("by_firm") {
			continue
		}
		var data map[string]any
		_ = json.Unmarshal([]byte(ev.GetString("data")), &data)
		entry := timelineEntry{
			When: ui.FormatMoment(lang, ev.GetDateTime("created").Time()),
			What: ui.EventLabel(lang, typ, data),
		}
		fromFirm := data["direction"] == "to_customer"
		// Who is shown for what the customer's people did; the firm's staff
		// stay the firm.
		if slices.Contains(customerActs, typ) && !ev.GetBool("by_firm") {
			entry.Who = ev.GetString("actor_email")
		}
		// The conversation: the customer's replies and questions, and the
		// firm's answers, with their text.
		if fromFirm {
			entry.What, entry.Who = ui.T(lang, "portal.event.answer"), p.Firm
		}
		for _, key := range []string{"text", "note"} {
			if text, _ := data[key].(string); text != "" && (typ == "replied" || typ == "queried" || typ == "rejected") {
				entry.Text = text
				break
			}
		}
		ip.Timeline = append(ip.Timeline, entry)
	}
	return render(e, status, "invoice.html", lang, ip)
}

func handleInvoicePDF(e *core.RequestEvent, contact, inv *core.Record) error {
	e.Auth = contact
	return invoicing.ServePDF(e, inv, invoicing.ActorFromRequest(e), true)
}

// handleRespondForm records an approver's answer from the invoice page.
func handleRespondForm(e *core.RequestEvent, contact, inv *core.Record) error {
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, newPage(e, contact, "").Lang)
	}
	lang := newPage(e, contact, "view.title").Lang
	if contact.GetString("role") != "approver" {
		return renderInvoice(e, contact, inv, http.StatusForbidden, false, answer{Problem: ui.T(lang, "portal.respond.viewer")})
	}
	e.Auth = contact
	form := answer{
		Action: e.Request.PostFormValue("action"), Reason: e.Request.PostFormValue("reason"),
		Correction: e.Request.PostFormValue("correction"), Note: e.Request.PostFormValue("note"),
	}
	updated, err := invoicing.Respond(e.App, inv.Id, invoicing.Response{
		Action: form.Action, Reason: form.Reason, Correction: form.Correction, Note: form.Note,
	}, invoicing.ActorFromRequest(e))
	if err != nil {
		form.Problem = respondProblem(lang, err)
		return renderInvoice(e, contact, inv, http.StatusBadRequest, false, form)
	}
	notifyStaff(e.App, updated, contact)
	return e.Redirect(http.StatusSeeOther, "/portal/invoices/"+inv.Id+"?done=1")
}

// notFound is the answer for any invoice the contact may not see, theirs
// or not: the portal does not admit another customer's invoices exist.
func notFound(e *core.RequestEvent, contact *core.Record) error {
	p := newPage(e, contact, "portal.notfound")
	return render(e, http.StatusNotFound, "notfound.html", p.Lang, p)
}

// handleStatement serves the signed-in contact's customer's statement of
// account.
func handleStatement(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	e.Auth = contact
	e.Request.SetPathValue("id", contact.GetString("customer"))
	return accountstatement.HandleDownload(e)
}

// handleExport exports the list as filtered, for the signed-in contact.
func handleExport(e *core.RequestEvent, format string) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	e.Auth = contact
	if format == "zip" {
		return export.WriteZIP(e)
	}
	return export.Write(e, format)
}
