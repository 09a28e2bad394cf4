package staff_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/clock"
	"facturo/ui"
)

// rectifyFromPage corrects the world's invoice A from its page in the
// workspace, as staff do: a draft rectificativa, then issued from its page.
func rectifyFromPage(t *testing.T, b *apptest.Browser) string {
	t.Helper()
	page := "/app/invoices/" + apptest.IssuedA
	p := b.Post(page+"/rectify", url.Values{"csrf": {b.CSRF(page)}, "code": {"R1"}, "reason": {"Precio erróneo"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("rectifying: %d %s", p.Status, p.Body)
	}
	draft := strings.TrimPrefix(strings.SplitN(p.Header.Get("Location"), "?", 2)[0], "/app/invoices/")
	page = "/app/invoices/" + draft
	if p := b.Post(page+"/issue", url.Values{"csrf": {b.CSRF(page)}}); p.Status != http.StatusSeeOther {
		t.Fatalf("issuing the rectificativa: %d %s", p.Status, p.Body)
	}
	return draft
}

// TestCorrectionsLinkBothWaysInTheWorkspace: a rectified invoice and its
// rectificativa link to each other, say what the two still owe together,
// and are marked in the list.
func TestCorrectionsLinkBothWaysInTheWorkspace(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	id := rectifyFromPage(t, b)
	original, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	r, _ := app.FindRecordById(invoicing.Invoices, id)
	if original.GetString("status") != invoicing.StatusRectified || r.GetString("status") != invoicing.StatusIssued {
		t.Fatalf("after rectifying: the invoice %s, its rectificativa %s", original.GetString("status"), r.GetString("status"))
	}

	page := b.Get("/app/invoices/" + apptest.IssuedA).Body
	if row := rowOf(page, `id="rectified-by"`); !strings.Contains(row, `href="/app/invoices/`+id+`"`) || !strings.Contains(row, r.GetString("number")) {
		t.Errorf("the rectified invoice does not link to its rectificativa: %q", row)
	}
	if !strings.Contains(page, `id="pair-owed"`) {
		t.Error("the rectified invoice does not say what the two still owe")
	}
	page = b.Get("/app/invoices/" + id).Body
	if row := rowOf(page, `id="rectifies"`); !strings.Contains(row, `href="/app/invoices/`+apptest.IssuedA+`"`) || !strings.Contains(row, original.GetString("number")) {
		t.Errorf("the rectificativa does not link to the invoice it corrects: %q", row)
	}
	if !strings.Contains(page, `id="pair-owed"`) {
		t.Error("the rectificativa does not say what the two still owe")
	}

	list := html.UnescapeString(b.Get("/app/invoices").Body)
	if row := rowOf(list, "/app/invoices/"+apptest.IssuedA+`"`); !strings.Contains(row, ui.Tf("es", "view.mark.rectified_by", ui.Args{"numbers": r.GetString("number")})) {
		t.Errorf("the list does not mark the rectified invoice: %q", row)
	}
	if row := rowOf(list, "/app/invoices/"+id+`"`); !strings.Contains(row, ui.Tf("es", "view.mark.rectifies", ui.Args{"number": original.GetString("number")})) {
		t.Errorf("the list does not mark the rectificativa: %q", row)
	}
}

// TestCorrectionsAreSentOrListedUnsent: a rectificativa issued while the
// mail settings send on issue is queued like any other invoice; issued
// while they do not, it is listed as
// issued, not sent, among what needs action.
func TestCorrectionsAreSentOrListedUnsent(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	setSendOnIssue(t, app, false)
	id := rectifyFromPage(t, b)
	if r, _ := app.FindRecordById(invoicing.Invoices, id); r.GetString("delivery") != "not_sent" {
		t.Fatalf("issued without sending, its delivery is %s", r.GetString("delivery"))
	}
	if list := b.Get("/app/invoices?state=unsent").Body; !strings.Contains(list, "/app/invoices/"+id+`"`) {
		t.Error("the rectificativa issued, not sent, is not in the list of invoices not sent")
	}

	app = apptest.New(t)
	b = signedIn(t, apptest.Serve(t, app))
	setSendOnIssue(t, app, true)
	id = rectifyFromPage(t, b)
	r, _ := app.FindRecordById(invoicing.Invoices, id)
	msgs, err := app.FindRecordsByFilter(mail.Messages, "invoice = {:id} && kind = 'invoice'", "", 0, 0, map[string]any{"id": id})
	if err != nil || len(msgs) != 1 || r.GetString("delivery") != "queued" {
		t.Fatalf("issued while sending on issue: %d messages, delivery %s (%v)", len(msgs), r.GetString("delivery"), err)
	}
	if list := b.Get("/app/invoices?state=unsent").Body; strings.Contains(list, "/app/invoices/"+id+`"`) {
		t.Error("the queued rectificativa is listed as not sent")
	}
}

func setSendOnIssue(t *testing.T, app core.App, on bool) {
	t.Helper()
	s, err := app.FindFirstRecordByFilter(mail.MailSettings, "")
	if err != nil {
		t.Fatal(err)
	}
	s.Set("send_on_issue", on)
	if err := app.Save(s); err != nil {
		t.Fatal(err)
	}
}

// rowOf is the table row of a page that holds needle.
func rowOf(page, needle string) string {
	i := strings.Index(page, needle)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(page[:i], "<tr")
	end := strings.Index(page[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return page[start : i+end]
}

// TestRectifiedNeverSentStaysUnsent: an invoice never e-mailed and then
// rectified is still to be sent with its correction: both are listed and
// counted as issued, not sent.
func TestRectifiedNeverSentStaysUnsent(t *testing.T) {
	app := apptest.New(t)
	b := signedIn(t, apptest.Serve(t, app))
	setSendOnIssue(t, app, false)
	actor := invoicing.Actor{Email: apptest.StaffEmail}
	if _, err := invoicing.Issue(app, apptest.DraftA, actor); err != nil {
		t.Fatal(err)
	}
	before, err := invoicing.FirmOverview(app, clock.Today())
	if err != nil {
		t.Fatal(err)
	}
	draft, err := invoicing.Rectify(app, apptest.DraftA, "R1", "Precio erróneo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Issue(app, draft.Id, actor); err != nil {
		t.Fatal(err)
	}
	list := b.Get("/app/invoices?state=unsent").Body
	for _, id := range []string{apptest.DraftA, draft.Id} {
		if !strings.Contains(list, "/app/invoices/"+id+`"`) {
			t.Errorf("%s is not listed as not sent", id)
		}
	}
	after, err := invoicing.FirmOverview(app, clock.Today())
	if err != nil {
		t.Fatal(err)
	}
	if after.Unsent != before.Unsent+1 {
		t.Errorf("unsent counted %d, then %d after the correction; want one more", before.Unsent, after.Unsent)
	}
}
