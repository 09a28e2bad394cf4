package portal

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"
	"golang.org/x/crypto/bcrypt"

	"facturo/hooks/export"
	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/taxes"
	"facturo/ui"
)

// bindPages adds the portal's pages.
func bindPages(se *core.ServeEvent) {
	se.Router.GET("/portal/login", handleLoginPage)
	se.Router.POST("/portal/login", handleLogin)
	se.Router.POST("/portal/logout", handleLogout)
	se.Router.GET("/portal/{$}", handleHome)
	se.Router.GET("/portal/invoices", handleList)
	se.Router.GET("/portal/static/{path...}", serveStatic())
	se.Router.GET("/portal/invoices/{id}", handleInvoice)
	se.Router.GET("/portal/invoices/{id}/pdf", handleInvoicePDF)
	se.Router.POST("/portal/invoices/{id}/respond", handleRespondForm)
	se.Router.GET("/portal/exports/invoices.csv", func(e *core.RequestEvent) error { return handleExport(e, "csv") })
	se.Router.GET("/portal/exports/invoices.xlsx", func(e *core.RequestEvent) error { return handleExport(e, "xlsx") })
}

// page is what every portal page shows around its content.
type page struct {
	Lang, Title, Firm, Contact, CSRF string
}

func newPage(e *core.RequestEvent, contact *core.Record, titleKey string) page {
	lang := "es"
	if contact != nil && contact.GetString("language") == "en" {
		lang = "en"
	} else if contact == nil && strings.HasPrefix(e.Request.Header.Get("Accept-Language"), "en") {
		lang = "en"
	}
	p := page{Lang: lang, Title: ui.T(lang, titleKey), CSRF: csrfToken(e)}
	if issuer, err := invoicing.LoadIssuer(e.App); err == nil {
		p.Firm = issuer.GetString("trade_name")
		if p.Firm == "" {
			p.Firm = issuer.GetString("legal_name")
		}
	}
	if contact != nil {
		p.Contact = contact.Email()
	}
	return p
}

// render executes a portal page in the page's language.
func render(e *core.RequestEvent, status int, name, lang string, data any) error {
	t, err := template.New(name).Funcs(template.FuncMap{"t": func(key string) string { return ui.T(lang, key) }}).
		ParseFS(ui.Files, "templates/portal/base.html", "templates/portal/"+name)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	return e.HTML(status, buf.String())
}

// requireContact is the signed-in contact, or nil after redirecting to the
// sign-in page.
func requireContact(e *core.RequestEvent) *core.Record {
	contact := signedIn(e)
	if contact == nil {
		e.Redirect(http.StatusSeeOther, "/portal/login")
	}
	return contact
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
	Email, Error string
}

func handleLoginPage(e *core.RequestEvent) error {
	if signedIn(e) != nil {
		return e.Redirect(http.StatusSeeOther, "/portal/")
	}
	p := newPage(e, nil, "portal.signin.title")
	return render(e, http.StatusOK, "login.html", p.Lang, loginPage{page: p})
}

// handleLogin signs a contact in with email and password. Whether the
// address exists or not, a failure says the same and takes as long.
func handleLogin(e *core.RequestEvent) error {
	p := newPage(e, nil, "portal.signin.title")
	email := strings.TrimSpace(e.Request.PostFormValue("email"))
	fail := func(status int, key string) error {
		return render(e, status, "login.html", p.Lang, loginPage{page: p, Email: email, Error: ui.T(p.Lang, key)})
	}
	if !validCSRF(e) {
		return fail(http.StatusForbidden, "portal.signin.failed")
	}
	if !allowSignIn(e.App, e.RealIP()) {
		return fail(http.StatusTooManyRequests, "portal.signin.too_many")
	}
	contact, err := e.App.FindAuthRecordByEmail(invoicing.Contacts, email)
	if err != nil {
		// Spend the time a password check takes, so that timing does not
		// tell which addresses exist.
		bcrypt.CompareHashAndPassword(equalizingHash, []byte(e.Request.PostFormValue("password")))
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	if !contact.ValidatePassword(e.Request.PostFormValue("password")) {
		return fail(http.StatusUnauthorized, "portal.signin.failed")
	}
	if err := signIn(e, contact); err != nil {
		return err
	}
	return e.Redirect(http.StatusSeeOther, "/portal/")
}

// equalizingHash is a bcrypt hash of nothing anyone types.
var equalizingHash, _ = bcrypt.GenerateFromPassword([]byte("not a password anyone uses"), 10)

func handleLogout(e *core.RequestEvent) error {
	if e.Request.ParseForm(); !validCSRF(e) {
		return e.String(http.StatusForbidden, "Forbidden")
	}
	signOut(e)
	return e.Redirect(http.StatusSeeOther, "/portal/login")
}

// listPageSize is how many invoices a page of the list shows.
const listPageSize = 50

type option struct {
	Value, Label string
	Selected     bool
}

type listRow struct{ ID, Number, IssueDate, DueDate, Total, Payment string }

type listPage struct {
	page
	Query                string
	States               []option
	Rows                 []listRow
	PreviousURL, NextURL string
	ExportQuery          string
}

// handleList shows the customer's invoices, newest first, with search and
// a state filter, a page at a time.
func handleList(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	p := newPage(e, contact, "portal.invoices")
	q := e.Request.URL.Query()
	state := q.Get("state")
	if !validState(state) {
		state = ""
	}
	pageNo, _ := strconv.Atoi(q.Get("page"))
	pageNo = max(pageNo, 1)
	lp := listPage{page: p, Query: q.Get("q")}
	for _, s := range []string{"", "unpaid", "overdue", "paid", "rejected", "queried"} {
		key := "portal.state." + s
		if s == "" {
			key = "portal.state.all"
		}
		lp.States = append(lp.States, option{Value: s, Label: ui.T(p.Lang, key), Selected: s == state})
	}
	f := invoicing.Filter{Customer: contact.GetString("customer"), Search: lp.Query, State: state, Limit: listPageSize + 1, Offset: (pageNo - 1) * listPageSize}
	err := invoicing.EachInvoice(e.App, f, func(r invoicing.Row) error {
		lp.Rows = append(lp.Rows, listRow{
			ID: r.ID, Number: r.Number, IssueDate: ui.FormatDate(p.Lang, r.IssueDate), DueDate: ui.FormatDate(p.Lang, r.DueDate),
			Total: ui.FormatMoney(p.Lang, decimal.NewFromFloat(r.Total), r.Currency), Payment: ui.T(p.Lang, "view.payment."+r.Payment),
		})
		return nil
	})
	if err != nil {
		return err
	}
	link := func(n int) string {
		v := url.Values{}
		if lp.Query != "" {
			v.Set("q", lp.Query)
		}
		if state != "" {
			v.Set("state", state)
		}
		v.Set("page", strconv.Itoa(n))
		return "/portal/invoices?" + v.Encode()
	}
	if len(lp.Rows) > listPageSize {
		lp.Rows = lp.Rows[:listPageSize]
		lp.NextURL = link(pageNo + 1)
	}
	if pageNo > 1 {
		lp.PreviousURL = link(pageNo - 1)
	}
	ev := url.Values{}
	if lp.Query != "" {
		ev.Set("q", lp.Query)
	}
	if state != "" {
		ev.Set("state", state)
	}
	lp.ExportQuery = ev.Encode()
	return render(e, http.StatusOK, "list.html", p.Lang, lp)
}

func validState(s string) bool {
	switch s {
	case "", "unpaid", "overdue", "paid", "rejected", "queried":
		return true
	}
	return false
}

type invoiceView struct {
	ID, Number, IssueDate, DueDate, Total, Payment, Response, Rectifies string
	Lines                                                               []listLine
}

type listLine struct{ Description, Quantity, Amount string }

type timelineEntry struct{ When, What, Who string }

type invoicePage struct {
	page
	Inv                  invoiceView
	Approver, Done       bool
	Error                string
	Reasons, Corrections []option
	Timeline             []timelineEntry
}

// customerActs are the entries done by the customer's people.
var customerActs = []string{"viewed", "downloaded", "accepted", "rejected", "queried", "replied"}

// customerEvents are the timeline entries the customer sees: what happened
// to the invoice between the firm and them, not the firm's internals.
var customerEvents = []string{"sent", "delivered", "viewed", "downloaded", "accepted", "rejected", "queried", "replied", "payment", "paid", "rectified", "reminder_sent"}

func handleInvoice(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	inv := ownInvoice(e, contact)
	if inv == nil {
		return notFound(e, contact)
	}
	return renderInvoice(e, contact, inv, http.StatusOK, e.Request.URL.Query().Get("done") == "1", "")
}

func renderInvoice(e *core.RequestEvent, contact, inv *core.Record, status int, done bool, problem string) error {
	p := newPage(e, contact, "view.title")
	lang := p.Lang
	v := invoiceView{
		ID: inv.Id, Number: inv.GetString("number"),
		IssueDate: ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()), DueDate: ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total:    ui.FormatMoney(lang, decimal.NewFromFloat(inv.GetFloat("total")), inv.GetString("currency")),
		Payment:  ui.T(lang, "view.payment."+inv.GetString("payment")),
		Response: ui.T(lang, "response."+inv.GetString("response")),
	}
	if id := inv.GetString("rectifies"); id != "" {
		if original, err := e.App.FindRecordById(invoicing.Invoices, id); err == nil {
			v.Rectifies = original.GetString("number")
		}
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return err
	}
	for _, l := range lines {
		v.Lines = append(v.Lines, listLine{l.Description, ui.FormatDecimal(lang, l.Quantity), ui.FormatMoney(lang, l.Amount(), inv.GetString("currency"))})
	}
	ip := invoicePage{page: p, Inv: v, Approver: contact.GetString("role") == "approver", Done: done, Error: problem}
	for _, code := range invoicing.StatusReasons {
		ip.Reasons = append(ip.Reasons, option{Value: code, Label: ui.T(lang, "reason."+code)})
	}
	for _, code := range invoicing.CorrectionActions {
		ip.Corrections = append(ip.Corrections, option{Value: code, Label: ui.T(lang, "correction."+code)})
	}
	events, err := e.App.FindRecordsByFilter(invoicing.Events, "invoice = {:id}", "-created", 200, 0, dbx.Params{"id": inv.Id})
	if err != nil {
		return err
	}
	for _, ev := range events {
		typ := ev.GetString("type")
		if !slices.Contains(customerEvents, typ) || (typ == "viewed" || typ == "downloaded") && ev.GetString("actor_email") == "" {
			continue
		}
		entry := timelineEntry{
			When: ui.FormatDate(lang, ev.GetDateTime("created").Time()) + " " + ev.GetDateTime("created").Time().Format("15:04"),
			What: ui.T(lang, "portal.event."+typ),
		}
		// Who is shown for what the customer's people did; the firm's staff
		// stay the firm.
		if slices.Contains(customerActs, typ) {
			entry.Who = ev.GetString("actor_email")
		}
		ip.Timeline = append(ip.Timeline, entry)
	}
	return render(e, status, "invoice.html", lang, ip)
}

func handleInvoicePDF(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	inv := ownInvoice(e, contact)
	if inv == nil {
		return notFound(e, contact)
	}
	e.Auth = contact
	return invoicing.ServePDF(e, inv, invoicing.ActorFromRequest(e), true)
}

// handleRespondForm records an approver's answer from the invoice page.
func handleRespondForm(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	inv := ownInvoice(e, contact)
	if inv == nil {
		return notFound(e, contact)
	}
	if !validCSRF(e) {
		return e.String(http.StatusForbidden, "Forbidden")
	}
	if contact.GetString("role") != "approver" {
		return renderInvoice(e, contact, inv, http.StatusForbidden, false, ui.T(contact.GetString("language"), "portal.respond.viewer"))
	}
	e.Auth = contact
	updated, err := invoicing.Respond(e.App, inv.Id, invoicing.Response{
		Action: e.Request.PostFormValue("action"), Reason: e.Request.PostFormValue("reason"),
		Correction: e.Request.PostFormValue("correction"), Note: e.Request.PostFormValue("note"),
	}, invoicing.ActorFromRequest(e))
	if err != nil {
		return renderInvoice(e, contact, inv, http.StatusBadRequest, false, err.Error())
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

// handleExport exports the list as filtered, for the signed-in contact.
func handleExport(e *core.RequestEvent, format string) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	e.Auth = contact
	return export.Write(e, format)
}
