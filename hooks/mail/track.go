package mail

import (
	"bytes"
	"errors"
	"facturo/internal/money"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
	"facturo/internal/taxes"
	"facturo/internal/tracking"
	"facturo/internal/web"
	"facturo/ui"
)

// bindTrackingRoutes adds the routes behind the links of invoice emails:
// the pixel, and the invoice page a recipient opens without a password.
func bindTrackingRoutes(se *core.ServeEvent) {
	// Each valid hit is on the invoice's timeline; the access log would
	// only repeat it, at a cost on the busiest route.
	se.Router.GET("/t/{token}", handlePixel).Bind(apis.SkipSuccessActivityLog())
	se.Router.GET("/v/{token}", handleViewPage)
	se.Router.POST("/v/{token}/seen", handleViewSeen)
	se.Router.GET("/v/{token}/pdf", handleViewPDF)
}

// link is a verified tracking link: its claims, message, and the invoice
// or quote the message is about.
type link struct {
	claims  tracking.Claims
	message *core.Record
	invoice *core.Record
	quote   *core.Record
}

var errNoLink = errors.New("not a valid link")

// verifyLink checks the token of the request and loads what it points to.
func verifyLink(app core.App, token string, kind tracking.Kind) (*link, error) {
	s, err := LoadSettings(app)
	if err != nil {
		return nil, err
	}
	ring, err := keyring(s)
	if err != nil {
		return nil, err
	}
	claims, err := ring.Verify(token, kind, time.Now())
	if err != nil {
		return nil, errNoLink
	}
	msg, err := app.FindRecordById(Messages, claims.MessageID)
	if err != nil {
		return nil, errNoLink
	}
	if id := msg.GetString("quote"); id != "" {
		q, err := app.FindRecordById(quotes.Collection, id)
		if err != nil {
			return nil, errNoLink
		}
		return &link{claims: claims, message: msg, quote: q}, nil
	}
	inv, err := app.FindRecordById(invoicing.Invoices, msg.GetString("invoice"))
	if err != nil {
		return nil, errNoLink
	}
	return &link{claims: claims, message: msg, invoice: inv}, nil
}

// verdict classifies the request that followed a link.
func (l *link) verdict(e *core.RequestEvent) tracking.Verdict {
	return tracking.Classify(e.Request.UserAgent(), web.ClientIP(e), l.message.GetDateTime("sent_at").Time(), time.Now())
}

// recipient is the person the link was sent to, as the timeline shows them.
func (l *link) recipient(e *core.RequestEvent) invoicing.Actor {
	return invoicing.Actor{Email: l.claims.Recipient, IP: web.ClientIP(e), UserAgent: e.Request.UserAgent()}
}

// handlePixel answers every request with a 1×1 GIF, whatever the token. A
// valid one logs "opened": a weak signal, since mail clients and proxies
// fetch images on their own; automated fetches are logged as such and do
// not set opened_at. A HEAD request counts for nothing.
func handlePixel(e *core.RequestEvent) error {
	if e.Request.Method == http.MethodGet {
		recordPixelHit(e, e.Request.PathValue("token"))
	}
	h := e.Response.Header()
	h.Set("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "0")
	return e.Blob(http.StatusOK, tracking.PixelContentType, tracking.PixelGIF)
}

// handleViewPage shows the invoice to whoever holds the emailed link. It
// logs nothing: link scanners fetch pages too. The page's script reports a
// person looking at it (handleViewSeen).
func handleViewPage(e *core.RequestEvent) error {
	l, err := verifyLink(e.App, e.Request.PathValue("token"), tracking.KindView)
	if err != nil {
		return renderView(e, http.StatusNotFound, "invalid.html", ui.DefaultLang, nil)
	}
	if l.quote != nil {
		return followQuoteLink(e, l)
	}
	page, lang, err := viewPage(e.App, l, e.Request.PathValue("token"))
	if err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return renderView(e, http.StatusOK, "invoice.html", lang, page)
}

// handleViewSeen records that a person looked at the invoice page.
func handleViewSeen(e *core.RequestEvent) error {
	l, err := verifyLink(e.App, e.Request.PathValue("token"), tracking.KindView)
	if err != nil {
		return e.NoContent(http.StatusNotFound)
	}
	if l.quote != nil {
		return e.NoContent(http.StatusNoContent) // a quote's link records its view as it is followed
	}
	if v := l.verdict(e); !v.Automated {
		if _, err := invoicing.MarkViewed(e.App, l.invoice.Id, l.recipient(e), map[string]any{"via": "email link", "message": l.message.Id}); err != nil {
			return err
		}
	}
	return e.NoContent(http.StatusNoContent)
}

// handleViewPDF serves the PDF to the holder of the link; a person's
// download logs it and marks the invoice viewed.
func handleViewPDF(e *core.RequestEvent) error {
	l, err := verifyLink(e.App, e.Request.PathValue("token"), tracking.KindView)
	if err != nil {
		return renderView(e, http.StatusNotFound, "invalid.html", ui.DefaultLang, nil)
	}
	person := !l.verdict(e).Automated
	if l.quote != nil {
		return serveQuotePDF(e, l, person)
	}
	return invoicing.ServePDF(e, l.invoice, l.recipient(e), person)
}

// followQuoteLink takes the holder of a quote's e-mailed link to the
// quote's page in the portal (through its sign-in, for someone not signed
// in), and records that a person viewed the quote; an automated fetch is
// recorded as such and marks nothing.
func followQuoteLink(e *core.RequestEvent, l *link) error {
	v := l.verdict(e)
	data := map[string]any{"via": "email link", "message": l.message.Id}
	if v.Automated {
		data["automated"], data["reason"] = true, v.Reason
	}
	if err := quotes.MarkSeen(e.App, l.quote.Id, "viewed", v.Automated, quoteActor(e, l), data); err != nil {
		return err
	}
	e.Response.Header().Set("Cache-Control", "private, no-store")
	e.Response.Header().Set("X-Robots-Tag", "noindex, nofollow")
	return e.Redirect(http.StatusSeeOther, "/portal/quotes/"+l.quote.Id)
}

// serveQuotePDF serves a quote's PDF to the holder of its link; a person's
// download is on the quote's timeline.
func serveQuotePDF(e *core.RequestEvent, l *link, person bool) error {
	if l.quote.GetString("pdf") == "" {
		return e.NotFoundError("", nil)
	}
	data := map[string]any{"via": "email link", "message": l.message.Id, "file": l.quote.GetString("number") + ".pdf"}
	if err := quotes.MarkSeen(e.App, l.quote.Id, "downloaded", !person, quoteActor(e, l), data); err != nil {
		return err
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	e.Response.Header().Set("Cache-Control", "private, no-store")
	return fsys.Serve(e.Response, e.Request, l.quote.BaseFilesPath()+"/"+l.quote.GetString("pdf"), l.quote.GetString("number")+".pdf")
}

func quoteActor(e *core.RequestEvent, l *link) quotes.Actor {
	return quotes.Actor{Email: l.claims.Recipient, IP: web.ClientIP(e), UserAgent: e.Request.UserAgent()}
}

// viewLine is one line as the page shows it.
type viewLine struct{ Description, Quantity, Amount string }

// viewData is what the invoice page shows.
type viewData struct {
	Lang                                          string
	IssuerName, CustomerName, Number              string
	IssueDate, DueDate, Total, Payment, Rectifies string
	RectifiedBy, PairOwed                         string // the corrections' numbers; what the invoice and its corrections still owe
	Lines                                         []viewLine
	PDFURL                                        string
	SeenURL                                       string
	SignInURL                                     string
}

func viewPage(app core.App, l *link, token string) (*viewData, string, error) {
	inv := l.invoice
	customer, err := app.FindRecordById(invoicing.Customers, inv.GetString("customer"))
	if err != nil {
		return nil, "", err
	}
	// The names are the invoice's own, as it was issued.
	issuer, recipient, err := invoicing.Parties(app, inv)
	if err != nil {
		return nil, "", err
	}
	lang := ui.Pick(customer.GetString("language"))
	d := &viewData{
		Lang: lang, IssuerName: issuer.DisplayName(), CustomerName: recipient.Name, Number: inv.GetString("number"),
		IssueDate: ui.FormatDate(lang, inv.GetDateTime("issue_date").Time()),
		DueDate:   ui.FormatDate(lang, inv.GetDateTime("due_date").Time()),
		Total:     ui.FormatMoney(lang, money.FromStored(inv.GetFloat("total")), inv.GetString("currency")),
		Payment:   ui.T(lang, "view.payment."+inv.GetString("payment")),
		PDFURL:    "/v/" + token + "/pdf",
		SeenURL:   "/v/" + token + "/seen",
		SignInURL: "/portal/login?next=" + url.QueryEscape("/portal/invoices/"+inv.Id),
	}
	if inv.GetString("status") == invoicing.StatusVoided {
		d.Payment = ui.T(lang, "view.payment.voided")
	}
	if id := inv.GetString("rectifies"); id != "" {
		if original, err := app.FindRecordById(invoicing.Invoices, id); err == nil {
			d.Rectifies = original.GetString("number")
		}
	}
	// A rectification reads as one debt, as in the portal.
	pairs, err := invoicing.PairsOf(app, []string{inv.Id})
	if err != nil {
		return nil, "", err
	}
	pair := pairs.Correcting[inv.Id]
	if p := pairs.Of[inv.Id]; p != nil {
		pair = p
		numbers := make([]string, len(p.Corrections))
		for i, c := range p.Corrections {
			numbers[i] = c.Number
		}
		d.RectifiedBy = strings.Join(numbers, ", ")
	}
	if pair != nil {
		d.PairOwed = ui.FormatMoney(lang, pair.Owed, inv.GetString("currency"))
	}
	if state := pairs.PairState(inv.Id, inv.GetFloat("total"), inv.GetString("payment")); state != "" && inv.GetString("status") != invoicing.StatusVoided {
		d.Payment = ui.T(lang, "view.payment."+state)
	}
	lines, err := taxes.ParseLines([]byte(inv.GetString("lines")))
	if err != nil {
		return nil, "", err
	}
	for _, line := range lines {
		d.Lines = append(d.Lines, viewLine{
			Description: line.Description,
			Quantity:    ui.FormatDecimal(lang, line.Quantity),
			Amount:      ui.FormatMoney(lang, line.Amount(), inv.GetString("currency")),
		})
	}
	return d, lang, nil
}

// renderView executes a page of ui/templates/view in a language.
func renderView(e *core.RequestEvent, status int, page, lang string, data any) error {
	t, err := ui.HTMLPage(lang, "templates/view/"+page)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, struct {
		*viewData
		Lang string
	}{asViewData(data), lang}); err != nil {
		return err
	}
	e.Response.Header().Set("X-Robots-Tag", "noindex, nofollow")
	return web.SendHTML(e, status, buf.Bytes())
}

func asViewData(data any) *viewData {
	if d, ok := data.(*viewData); ok {
		return d
	}
	return &viewData{}
}
