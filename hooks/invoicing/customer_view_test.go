package invoicing_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestContactsReadTheTimelineAsTheCustomer reads the timeline over REST as
// a contact, directly and expanded from the invoice: the firm's acts carry
// no staff address, no entry an IP or a browser; the contact's own answer
// keeps its author. Staff still see everything.
func TestContactsReadTheTimelineAsTheCustomer(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	staffActor := invoicing.Actor{Email: apptest.StaffEmail, Staff: true, IP: "10.1.2.3", UserAgent: "StaffBrowser/1.0"}
	if _, err := invoicing.RecordPayment(app, apptest.IssuedA, invoicing.Payment{Amount: mustDecimal("10")}, staffActor); err != nil {
		t.Fatal(err)
	}
	res := call(t, "POST", base+"/api/invoices/"+apptest.IssuedA+"/respond", apptest.Tokens.ContactA, `{"action":"accept"}`)
	if res.status != 200 {
		t.Fatalf("accepting: %d %s", res.status, res.body)
	}

	type event struct {
		Type, ActorEmail string
		Fields           map[string]any
	}
	read := func(body string, path ...string) []event {
		t.Helper()
		var page map[string]any
		if err := json.Unmarshal([]byte(body), &page); err != nil {
			t.Fatal(err)
		}
		var items []any
		if len(path) == 0 {
			items, _ = page["items"].([]any)
		} else {
			expand, _ := page["expand"].(map[string]any)
			items, _ = expand[path[0]].([]any)
		}
		var out []event
		for _, it := range items {
			m := it.(map[string]any)
			email, _ := m["actor_email"].(string)
			out = append(out, event{Type: m["type"].(string), ActorEmail: email, Fields: m})
		}
		return out
	}
	check := func(where string, events []event) {
		t.Helper()
		if len(events) < 4 {
			t.Fatalf("%s: %d events", where, len(events))
		}
		for _, ev := range events {
			if _, ok := ev.Fields["ip"]; ok {
				t.Errorf("%s: a contact reads the IP of %s", where, ev.Type)
			}
			if _, ok := ev.Fields["user_agent"]; ok {
				t.Errorf("%s: a contact reads the browser of %s", where, ev.Type)
			}
			switch ev.Type {
			case "issued", "payment":
				if ev.ActorEmail != "" {
					t.Errorf("%s: the firm's %s shows %q", where, ev.Type, ev.ActorEmail)
				}
			case "accepted":
				if ev.ActorEmail != "ana@alfa.example" {
					t.Errorf("%s: the contact's own answer shows %q", where, ev.ActorEmail)
				}
			}
		}
	}
	res = call(t, "GET", base+records("events")+"?perPage=100&filter="+urlQuery("invoice='"+apptest.IssuedA+"'"), apptest.Tokens.ContactA, "")
	check("events list", read(res.body))
	res = call(t, "GET", base+records("invoices")+"/"+apptest.IssuedA+"?expand=events_via_invoice", apptest.Tokens.ContactA, "")
	check("expanded from the invoice", read(res.body, "events_via_invoice"))

	res = call(t, "GET", base+records("events")+"?perPage=100&filter="+urlQuery("type='payment'"), apptest.Tokens.Staff, "")
	if !strings.Contains(res.body, apptest.StaffEmail) || !strings.Contains(res.body, "10.1.2.3") || !strings.Contains(res.body, "StaffBrowser") {
		t.Errorf("staff do not see who paid from where: %s", res.body)
	}
}

// TestThePDFThroughTheFilesRouteIsLogged downloads an invoice's PDF through
// PocketBase's file route with a file token, as a contact and as staff:
// each is logged as downloaded, the contact's as the customer's, marking the
// invoice viewed; the staff member's as the firm's.
func TestThePDFThroughTheFilesRouteIsLogged(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	inv := find(t, app, invoicing.Invoices, apptest.IssuedB)
	if inv.GetString("pdf") == "" || !inv.GetDateTime("viewed_at").IsZero() {
		t.Fatalf("the fixture: pdf %q viewed %v", inv.GetString("pdf"), inv.GetDateTime("viewed_at"))
	}
	for _, who := range []struct {
		token, email string
		byFirm       bool
	}{{apptest.Tokens.ContactB, "bob@beta.example", false}, {apptest.Tokens.Staff, apptest.StaffEmail, true}} {
		res := call(t, "POST", base+"/api/files/token", who.token, "")
		var token struct{ Token string }
		if err := json.Unmarshal([]byte(res.body), &token); err != nil || token.Token == "" {
			t.Fatalf("file token: %d %s", res.status, res.body)
		}
		file := apptest.Call(t, "GET", base+"/api/files/invoices/"+inv.Id+"/"+inv.GetString("pdf")+"?token="+token.Token, "", "")
		if file.Status != 200 || !strings.HasPrefix(string(file.Body), "%PDF") {
			t.Fatalf("the PDF through the files route: %d", file.Status)
		}
		if cd := file.Header.Get("Content-Disposition"); !strings.Contains(cd, invoicing.PDFFileName(inv)) {
			t.Errorf("served as %q", cd)
		}
		ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = 'downloaded' && actor_email = {:email}",
			dbx.Params{"id": inv.Id, "email": who.email})
		if err != nil {
			t.Fatalf("no downloaded event for %s: %v", who.email, err)
		}
		if ev.GetBool("by_firm") != who.byFirm {
			t.Errorf("%s's download: by_firm %v", who.email, ev.GetBool("by_firm"))
		}
	}
	if find(t, app, invoicing.Invoices, inv.Id).GetDateTime("viewed_at").IsZero() {
		t.Error("the contact's download did not mark the invoice viewed")
	}
	// Another customer's contact gets nothing and logs nothing.
	res := call(t, "POST", base+"/api/files/token", apptest.Tokens.ContactA, "")
	var token struct{ Token string }
	_ = json.Unmarshal([]byte(res.body), &token)
	before := count(t, app, invoicing.Events)
	if file := apptest.Call(t, "GET", base+"/api/files/invoices/"+inv.Id+"/"+inv.GetString("pdf")+"?token="+token.Token, "", ""); file.Status != 404 {
		t.Errorf("another customer's contact: %d", file.Status)
	}
	if count(t, app, invoicing.Events) != before {
		t.Error("a refused download was logged")
	}
}

// TestNoAnswerToAnInvoiceNoLongerInForce answers a rectified invoice.
func TestNoAnswerToAnInvoiceNoLongerInForce(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	rect, err := invoicing.Rectify(app, apptest.IssuedA, "R1", "Precio equivocado")
	if err != nil {
		t.Fatal(err)
	}
	issue(t, app, rect.Id)
	res := call(t, "POST", base+"/api/invoices/"+apptest.IssuedA+"/respond", apptest.Tokens.ContactA, `{"action":"accept"}`)
	if res.status != 400 || !strings.Contains(res.body, "no longer in force") {
		t.Errorf("accepting a rectified invoice: %d %s", res.status, res.body)
	}
	if got := find(t, app, invoicing.Invoices, apptest.IssuedA).GetString("response"); got != "none" {
		t.Errorf("the rectified invoice's response is %s", got)
	}
}

func urlQuery(s string) string { return url.QueryEscape(s) }

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }
