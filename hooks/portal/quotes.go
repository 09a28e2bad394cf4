package portal

import (
	"facturo/internal/money"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/quotes"
	"facturo/internal/web"
	"facturo/ui"
)

// A customer's quotes in the portal: the finished ones, each with its PDF,
// and an approver's acceptance or rejection with a reason. Drafts and
// other customers' quotes are not found.

func bindQuotes(se *core.ServeEvent) {
	se.Router.GET("/portal/quotes", handleQuoteList)
	se.Router.GET("/portal/quotes/{id}", ownQuoteRoute(handleQuotePage))
	se.Router.GET("/portal/quotes/{id}/pdf", ownQuoteRoute(handleQuoteDownload))
	se.Router.POST("/portal/quotes/{id}/answer", ownQuoteRoute(handleQuoteAnswer))
}

func ownQuoteRoute(h func(e *core.RequestEvent, contact, q *core.Record) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		contact := requireContact(e)
		if contact == nil {
			return nil
		}
		q, err := e.App.FindRecordById(quotes.Collection, e.Request.PathValue("id"))
		if err != nil || q.GetString("customer") != contact.GetString("customer") || q.GetString("status") == quotes.StatusDraft {
			return notFound(e, contact)
		}
		return h(e, contact, q)
	}
}

type portalQuote struct {
	ID, Number, Date, ValidUntil, Total, Status, StatusKey, Response string
}

type quotesListPage struct {
	page
	Quotes []portalQuote
}

type quoteViewPage struct {
	page
	Quote             portalQuote
	CanAnswer, Done   bool
	Error, ReasonText string
}

func portalQuoteOf(lang string, q *core.Record) portalQuote {
	pq := portalQuote{ID: q.Id, Number: q.GetString("number"), StatusKey: q.GetString("status"),
		Status: ui.T(lang, "portal.quotes.status."+q.GetString("status")), Response: q.GetString("response_note"),
		Total: ui.FormatMoney(lang, money.FromStored(q.GetFloat("total")), money.Currency),
		Date:  ui.FormatDate(lang, q.GetDateTime("issue_date").Time())}
	if d := q.GetDateTime("valid_until"); !d.IsZero() {
		pq.ValidUntil = ui.FormatDate(lang, d.Time())
	}
	return pq
}

func handleQuoteList(e *core.RequestEvent) error {
	contact := requireContact(e)
	if contact == nil {
		return nil
	}
	p := newPage(e, contact, "portal.quotes")
	records, err := e.App.FindRecordsByFilter(quotes.Collection, "customer = {:c} && status != 'draft'", "-issue_date,-number", 500, 0,
		map[string]any{"c": contact.GetString("customer")})
	if err != nil {
		return err
	}
	lp := quotesListPage{page: p}
	for _, q := range records {
		lp.Quotes = append(lp.Quotes, portalQuoteOf(p.Lang, q))
	}
	return render(e, http.StatusOK, "quotes.html", p.Lang, lp)
}

func renderQuote(e *core.RequestEvent, contact, q *core.Record, status int, problem string) error {
	p := newPage(e, contact, "portal.quote")
	vp := quoteViewPage{page: p, Quote: portalQuoteOf(p.Lang, q), Error: problem, Done: e.Request.URL.Query().Get("done") == "1",
		CanAnswer: q.GetString("status") == quotes.StatusSent && contact.GetString("role") == "approver"}
	return render(e, status, "quote.html", p.Lang, vp)
}

func handleQuotePage(e *core.RequestEvent, contact, q *core.Record) error {
	if err := quotes.MarkSeen(e.App, q.Id, "viewed", false, quoteActor(e, contact), map[string]any{"via": "portal"}); err != nil {
		return err
	}
	return renderQuote(e, contact, q, http.StatusOK, "")
}

// quoteActor is the contact, as a quote's timeline records them.
func quoteActor(e *core.RequestEvent, contact *core.Record) quotes.Actor {
	return quotes.Actor{Contact: contact.Id, Email: contact.Email(), IP: web.ClientIP(e), UserAgent: e.Request.UserAgent()}
}

func handleQuoteDownload(e *core.RequestEvent, contact, q *core.Record) error {
	if q.GetString("pdf") == "" {
		return e.NotFoundError("", nil)
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	if err := quotes.MarkSeen(e.App, q.Id, "downloaded", false, quoteActor(e, contact), map[string]any{"via": "portal", "file": q.GetString("number") + ".pdf"}); err != nil {
		return err
	}
	return fsys.Serve(e.Response, e.Request, q.BaseFilesPath()+"/"+q.GetString("pdf"), q.GetString("number")+".pdf")
}

// handleQuoteAnswer records an approver's acceptance, or rejection with
// its reason, which a rejection must give.
func handleQuoteAnswer(e *core.RequestEvent, contact, q *core.Record) error {
	if !site.ValidCSRF(e) {
		return web.StaleForm(e, newPage(e, contact, "").Lang)
	}
	lang := newPage(e, contact, "").Lang
	if contact.GetString("role") != "approver" {
		return renderQuote(e, contact, q, http.StatusForbidden, ui.T(lang, "portal.respond.viewer"))
	}
	accept := e.Request.PostFormValue("action") == "accept"
	reason := strings.TrimSpace(e.Request.PostFormValue("reason"))
	if !accept && reason == "" {
		return renderQuote(e, contact, q, http.StatusBadRequest, ui.T(lang, "portal.quotes.reason_required"))
	}
	if len(reason) > 2000 {
		reason = reason[:2000]
	}
	if _, err := quotes.Respond(e.App, q.Id, contact.Id, accept, reason); err != nil {
		return renderQuote(e, contact, q, http.StatusBadRequest, ui.T(lang, "portal.quotes.cannot_answer"))
	}
	return e.Redirect(http.StatusSeeOther, "/portal/quotes/"+q.Id+"?done=1")
}
