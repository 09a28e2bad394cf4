package portal_test

import (
	"html"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/ui"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

func post(t *testing.T, url, token, body string) (int, string) {
	t.Helper()
	r := apptest.Call(t, "POST", url, token, body)
	return r.Status, string(r.Body)
}

// TestApproverRejectsThenAccepts follows an approver who rejects an invoice
// for its prices, and later accepts it: each step is on the invoice, on its
// timeline with who did it, and emailed to staff.
func TestApproverRejectsThenAccepts(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_reply_to", "staff@firm.example")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	url := base + "/api/invoices/" + apptest.IssuedA + "/respond"

	status, body := post(t, url, apptest.Tokens.ContactA, `{"action":"reject","reason":"PRI","correction":"CNP","note":"El precio no es el del presupuesto"}`)
	if status != 200 {
		t.Fatalf("reject: %d %s", status, body)
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "rejected" || inv.GetString("response_reason") != "PRI" || inv.GetString("response_action") != "CNP" ||
		inv.GetString("response_by") != apptest.ContactA || inv.GetDateTime("response_at").IsZero() ||
		inv.GetString("response_note") != "El precio no es el del presupuesto" {
		t.Errorf("the invoice does not record the rejection: %v", inv.FieldsData())
	}
	ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'rejected'", dbx.Params{"id": apptest.IssuedA})
	if err != nil || ev.GetString("actor") != apptest.ContactA || !strings.Contains(ev.GetString("data"), `"reason":"PRI"`) {
		t.Errorf("no rejected event by the approver: %v", err)
	}
	last := apptest.LastMail(t, app)
	if apptest.MailCount(t, app) != 1 || last.To[0].Address != "staff@firm.example" ||
		!strings.Contains(last.Text, "Precios incorrectos") || !strings.Contains(last.Text, "Abonar parte del importe") {
		t.Errorf("staff were not told, in sentences (%d mails): %q", apptest.MailCount(t, app), last.Text)
	}

	if status, body := post(t, url, apptest.Tokens.ContactA, `{"action":"accept"}`); status != 200 {
		t.Fatalf("accept later: %d %s", status, body)
	}
	inv, _ = app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "accepted" {
		t.Errorf("response %s after accepting", inv.GetString("response"))
	}
	for _, typ := range []string{"rejected", "accepted"} {
		if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": apptest.IssuedA, "type": typ}); n != 1 {
			t.Errorf("%d %s events, want 1: every step stays on the timeline", n, typ)
		}
	}
}

func TestRespondIsForApproversOfTheCustomerOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	for _, tc := range []struct {
		name, invoice, token, body string
		status                     int
		want                       string
	}{
		{"a guest", apptest.IssuedA, "", `{"action":"accept"}`, 401, ""},
		{"staff", apptest.IssuedA, apptest.Tokens.Staff, `{"action":"accept"}`, 401, ""},
		{"a viewer", apptest.IssuedA, apptest.Tokens.ViewerA, `{"action":"accept"}`, 403, "approvers"},
		{"another customer's approver", apptest.IssuedA, apptest.Tokens.ContactB, `{"action":"accept"}`, 404, ""},
		{"an approver on a draft", apptest.DraftA, apptest.Tokens.ContactA, `{"action":"accept"}`, 404, ""},
		{"an unknown invoice", "nosuchinvoice00", apptest.Tokens.ContactA, `{"action":"accept"}`, 404, ""},
		{"a rejection without reason", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject"}`, 400, "reason"},
		{"an unknown reason", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject","reason":"BAD"}`, 400, "reason"},
		{"an unknown correction", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"reject","reason":"PRI","correction":"XXX"}`, 400, "correction"},
		{"a question without text", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"query"}`, 400, "note"},
		{"an unknown action", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"maybe"}`, 400, "action"},
		{"an unknown field", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":"accept","mood":"happy"}`, 400, "mood"},
		{"malformed JSON", apptest.IssuedA, apptest.Tokens.ContactA, `{"action":`, 400, "Malformed JSON"},
	} {
		status, body := post(t, base+"/api/invoices/"+tc.invoice+"/respond", tc.token, tc.body)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, status, body, tc.status, tc.want)
		}
	}
	inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	if inv.GetString("response") != "none" {
		t.Errorf("a refused answer changed the invoice: %s", inv.GetString("response"))
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.NewExp("type IN ('accepted','rejected','queried')")); n != 0 {
		t.Errorf("refused answers wrote %d events", n)
	}
}

// TestARefusedAnswerKeepsWhatTheContactChose: an answer the rules refuse
// comes back with what the contact chose and typed, the problem in the
// contact's language, and nothing answered; acceptance is never chosen for
// them.
func TestARefusedAnswerKeepsWhatTheContactChose(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	path := "/portal/invoices/" + apptest.IssuedA
	long := strings.Repeat("x", 2001)
	cases := []struct {
		lang                             string
		action, reason, correction, note string
		problem                          string // its key
	}{
		{"es", "reject", "", "CNP", "El precio no es el del presupuesto", "portal.respond.err.reason"},
		{"en", "reject", "", "CNP", "Not the quoted price", "portal.respond.err.reason"},
		{"es", "query", "", "", "  ", "portal.respond.err.question"},
		{"en", "query", "", "", "", "portal.respond.err.question"},
		{"es", "", "PRI", "", "Sin elegir", "portal.respond.err.action"},
		{"en", "reject", "PRI", "NOPE", "A made-up correction", "portal.respond.err.correction"},
		{"es", "reject", "PRI", "", long, "portal.respond.err.long"},
	}
	for _, c := range cases {
		t.Run(c.lang+"/"+c.action+"/"+c.problem, func(t *testing.T) {
			contact, _ := app.FindRecordById(invoicing.Contacts, apptest.ContactA)
			contact.Set("language", c.lang)
			if err := app.Save(contact); err != nil {
				t.Fatal(err)
			}
			b := newBrowser(t, base)
			b.signIn("ana@alfa.example")
			form := url.Values{"csrf": {b.CSRF(path)}, "action": {c.action}, "reason": {c.reason}, "correction": {c.correction}, "note": {c.note}}
			p := b.Post(path+"/respond", form)
			if p.Status != 400 {
				t.Fatalf("the refused answer: %d", p.Status)
			}
			if want := html.EscapeString(ui.T(c.lang, c.problem)); !strings.Contains(p.Body, want) {
				t.Errorf("the page does not say %q", want)
			}
			if strings.Contains(p.Body, `value="accept" selected`) || c.action == "" && !noAnswerChosen.MatchString(p.Body) {
				t.Error("the form came back with acceptance chosen")
			}
			for _, v := range []struct{ field, value string }{{"action", c.action}, {"reason", c.reason}, {"correction", c.correction}} {
				if v.value != "" && v.value != "NOPE" && !strings.Contains(p.Body, `value="`+v.value+`" selected`) {
					t.Errorf("the form lost the %s %q", v.field, v.value)
				}
			}
			if strings.TrimSpace(c.note) != "" && !strings.Contains(p.Body, ">"+html.EscapeString(c.note)+"</textarea>") {
				t.Error("the form lost the note")
			}
			if inv, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA); inv.GetString("response") != "none" {
				t.Errorf("a refused answer changed the invoice: %s", inv.GetString("response"))
			}
		})
	}
	b := newBrowser(t, base)
	b.signIn("ana@alfa.example")
	if page := b.Get(path); !noAnswerChosen.MatchString(page.Body) || strings.Contains(page.Body, `value="accept" selected`) {
		t.Error("a fresh form has an answer chosen: a click on Send would accept")
	}
}

// noAnswerChosen is an answer form whose first choice (the one a browser
// shows when none is selected) is no answer.
var noAnswerChosen = regexp.MustCompile(`<select id="action" name="action" required>\s*<option value="">`)
