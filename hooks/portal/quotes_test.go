package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/quotes"
	"facturo/internal/apptest"
)

// TestApproversAnswerQuotesInThePortal: a finished quote is listed for
// its customer's contacts with its PDF, not for another customer's, and
// never while a draft; a viewer cannot answer; an approver's rejection
// needs a reason and is recorded with it.
func TestApproversAnswerQuotesInThePortal(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	col, _ := app.FindCollectionByNameOrId(quotes.Collection)
	q := core.NewRecord(col)
	q.Load(map[string]any{"customer": apptest.CustomerA, "status": quotes.StatusDraft, "lines": `[{"description":"Reforma","quantity":1,"unit_price":"800","vat":21}]`})
	if err := app.Save(q); err != nil {
		t.Fatal(err)
	}
	ana := signIn(t, base, "ana@alfa.example")
	if p := ana.Get("/portal/quotes/" + q.Id); p.Status != http.StatusNotFound {
		t.Errorf("a draft quote in the portal: %d", p.Status)
	}
	finished, err := quotes.Finish(app, q.Id, apptest.StaffEmail)
	if err != nil {
		t.Fatal(err)
	}
	number := finished.GetString("number")
	if p := ana.Get("/portal/quotes"); !strings.Contains(p.Body, number) {
		t.Error("the quote is not listed for its customer")
	}
	if p := ana.Get("/portal/quotes/" + q.Id + "/pdf"); p.Status != http.StatusOK || !strings.HasPrefix(p.Body, "%PDF") {
		t.Errorf("the quote's PDF: %d", p.Status)
	}
	// Ana's download is on the quote's own timeline, with who did it.
	if evs, _ := app.FindRecordsByFilter(quotes.Events, "quote = {:q} && type = 'downloaded'", "", 0, 0, map[string]any{"q": q.Id}); len(evs) != 1 ||
		evs[0].GetString("actor") != apptest.ContactA || evs[0].GetString("ip") == "" {
		t.Errorf("the download is not on the quote's timeline with its contact: %v", evs)
	}
	if r, _ := app.FindRecordById(quotes.Collection, q.Id); r.GetDateTime("viewed_at").IsZero() {
		t.Error("the quote is not marked viewed after its contact downloaded it")
	}
	bob := signIn(t, base, "bob@beta.example")
	if p := bob.Get("/portal/quotes/" + q.Id); p.Status != http.StatusNotFound || strings.Contains(p.Body, number) {
		t.Errorf("another customer's contact sees the quote: %d", p.Status)
	}
	if p := bob.Get("/portal/quotes"); strings.Contains(p.Body, number) {
		t.Error("another customer's list shows the quote")
	}
	victor := signIn(t, base, "victor@alfa.example")
	if p := victor.Post("/portal/quotes/"+q.Id+"/answer", url.Values{"csrf": {victor.CSRF("/portal/quotes/" + q.Id)}, "action": {"accept"}}); p.Status != http.StatusForbidden {
		t.Errorf("a viewer answered: %d", p.Status)
	}
	csrf := ana.CSRF("/portal/quotes/" + q.Id)
	if p := ana.Post("/portal/quotes/"+q.Id+"/answer", url.Values{"csrf": {csrf}, "action": {"reject"}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Diga por qué lo rechaza.") {
		t.Errorf("a rejection without a reason: %d", p.Status)
	}
	if p := ana.Post("/portal/quotes/"+q.Id+"/answer", url.Values{"csrf": {csrf}, "action": {"reject"}, "reason": {"El plazo no nos sirve"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("rejecting: %d", p.Status)
	}
	q, _ = app.FindRecordById(quotes.Collection, q.Id)
	if q.GetString("status") != quotes.StatusRejected || q.GetString("response_note") != "El plazo no nos sirve" || q.GetString("response_by") != apptest.ContactA {
		t.Errorf("the answer recorded: %s %q %s", q.GetString("status"), q.GetString("response_note"), q.GetString("response_by"))
	}
	if p := ana.Get("/portal/quotes/" + q.Id); strings.Contains(p.Body, `action="/portal/quotes/`+q.Id+`/answer"`) {
		t.Error("an answered quote still offers to be answered")
	}
}

func signIn(t *testing.T, base, email string) browser {
	b := newBrowser(t, base)
	b.signIn(email)
	return b
}
