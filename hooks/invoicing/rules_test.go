package invoicing_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"facturo/internal/apptest"
)

// who signs a request in.
type who struct {
	name  string
	token func() string
}

var (
	guest    = who{"guest", func() string { return "" }}
	contactA = who{"contact of customer A", func() string { return apptest.Tokens.ContactA }}
	contactB = who{"contact of customer B", func() string { return apptest.Tokens.ContactB }}
	staff    = who{"staff", func() string { return apptest.Tokens.Staff }}
)

type access struct {
	who     who
	method  string
	url     string
	body    string
	status  int
	has     []string // must appear in the response
	hasNot  []string // must not appear
	comment string
}

func (a access) scenario() tests.ApiScenario {
	headers := map[string]string{}
	if tok := a.who.token(); tok != "" {
		headers["Authorization"] = tok
	}
	var body *strings.Reader
	if a.body != "" {
		body = strings.NewReader(a.body)
	}
	s := tests.ApiScenario{
		Name:               a.who.name + " " + a.comment,
		Method:             a.method,
		URL:                a.url,
		Headers:            headers,
		ExpectedStatus:     a.status,
		ExpectedContent:    a.has,
		NotExpectedContent: a.hasNot,
		TestAppFactory:     func(t testing.TB) *tests.TestApp { return apptest.New(t) },
	}
	if body != nil {
		s.Body = body
	}
	if len(s.ExpectedContent) == 0 && len(s.NotExpectedContent) == 0 && a.status != http.StatusNoContent {
		s.ExpectedContent = []string{`"`}
	}
	return s
}

func records(collection string) string { return "/api/collections/" + collection + "/records" }

// TestAccessMatrix checks, for every collection, what a guest, a customer's
// contact and staff may list, view, create, update and delete through the
// generic REST API, with two customers so that one contact never sees the
// other customer's data.
func TestAccessMatrix(t *testing.T) {
	var matrix []access

	// A guest sees nothing anywhere.
	for _, c := range []string{"customers", "contacts", "invoices", "events"} {
		matrix = append(matrix,
			access{who: guest, method: "GET", url: records(c), status: 200, has: []string{`"totalItems":0`}, comment: "lists no " + c},
		)
	}
	for _, c := range []string{"issuer", "messages", "payments", "series_counters"} {
		matrix = append(matrix, access{who: guest, method: "GET", url: records(c), status: 403, comment: "cannot list " + c})
	}
	matrix = append(matrix,
		access{who: guest, method: "GET", url: records("invoices") + "/" + apptest.IssuedA, status: 404, comment: "cannot view an issued invoice"},
		access{who: guest, method: "GET", url: records("customers") + "/" + apptest.CustomerA, status: 404, comment: "cannot view a customer"},
		access{who: guest, method: "POST", url: records("invoices"), body: `{"customer":"` + apptest.CustomerA + `"}`, status: 403, comment: "cannot create an invoice"},
		access{who: guest, method: "DELETE", url: records("invoices") + "/" + apptest.DraftA, status: 403, comment: "cannot delete a draft"},
		access{who: guest, method: "POST", url: records("users"), body: `{"email":"x@y.example","password":"12345678","passwordConfirm":"12345678"}`,
			status: 404, comment: "cannot sign up: there is no open users collection"},
		access{who: guest, method: "POST", url: records("contacts"), body: `{"email":"x@y.example","password":"12345678","passwordConfirm":"12345678","customer":"` + apptest.CustomerA + `"}`,
			status: 403, comment: "cannot sign up as a contact"},
	)

	// A contact sees its own customer, its customer's issued invoices and
	// their events, and changes nothing.
	matrix = append(matrix,
		access{who: contactA, method: "GET", url: records("customers"), status: 200,
			has: []string{`"totalItems":1`, apptest.CustomerA}, hasNot: []string{apptest.CustomerB}, comment: "lists only its own customer"},
		access{who: contactA, method: "GET", url: records("customers") + "/" + apptest.CustomerA, status: 200, has: []string{"Alfa Comercial"}, comment: "views its own customer"},
		access{who: contactA, method: "GET", url: records("customers") + "/" + apptest.CustomerB, status: 404, comment: "cannot view another customer"},
		access{who: contactA, method: "GET", url: records("contacts"), status: 200,
			has: []string{`"totalItems":1`, apptest.ContactA}, hasNot: []string{apptest.ContactB, apptest.ViewerA}, comment: "lists only itself among contacts"},
		access{who: contactA, method: "GET", url: records("contacts") + "/" + apptest.ContactB, status: 404, comment: "cannot view another customer's contact"},
		access{who: contactA, method: "GET", url: records("invoices"), status: 200,
			has: []string{`"totalItems":1`, apptest.IssuedA}, hasNot: []string{apptest.DraftA, apptest.IssuedB, apptest.DraftB}, comment: "lists only its customer's issued invoices"},
		access{who: contactA, method: "GET", url: records("invoices") + "/" + apptest.IssuedA, status: 200, has: []string{`"number":"A-`}, comment: "views its customer's issued invoice"},
		access{who: contactA, method: "GET", url: records("invoices") + "/" + apptest.DraftA, status: 404, comment: "cannot view its customer's draft"},
		access{who: contactA, method: "GET", url: records("invoices") + "/" + apptest.IssuedB, status: 404, comment: "cannot view another customer's invoice"},
		access{who: contactA, method: "GET", url: records("events"), status: 200,
			has: []string{apptest.IssuedA, `"type":"issued"`, `"type":"payment"`}, hasNot: []string{apptest.IssuedB, apptest.CustomerB}, comment: "lists only its customer's events"},
	)
	for _, c := range []string{"issuer", "messages", "payments", "series_counters"} {
		matrix = append(matrix, access{who: contactA, method: "GET", url: records(c), status: 403, comment: "cannot list " + c})
	}
	// The other customer's contact sees the mirror image.
	matrix = append(matrix,
		access{who: contactB, method: "GET", url: records("invoices"), status: 200,
			has: []string{`"totalItems":1`, apptest.IssuedB}, hasNot: []string{apptest.IssuedA, apptest.DraftA, apptest.DraftB}, comment: "lists only its customer's issued invoices"},
		access{who: contactB, method: "GET", url: records("events"), status: 200,
			has: []string{apptest.IssuedB}, hasNot: []string{apptest.IssuedA, apptest.CustomerA}, comment: "lists only its customer's events"},
		access{who: contactB, method: "GET", url: records("customers") + "/" + apptest.CustomerA, status: 404, comment: "cannot view customer A"},
		access{who: contactB, method: "GET", url: records("invoices") + "/" + apptest.IssuedA, status: 404, comment: "cannot view customer A's invoice"},
	)
	for _, w := range []struct{ collection, id string }{
		{"customers", apptest.CustomerA}, {"contacts", apptest.ContactA}, {"invoices", apptest.IssuedA},
		{"invoices", apptest.DraftA}, {"issuer", ""}, {"payments", ""}, {"messages", ""}, {"series_counters", ""}, {"events", ""},
	} {
		matrix = append(matrix, access{who: contactA, method: "POST", url: records(w.collection), body: `{"customer":"` + apptest.CustomerA + `","name":"x"}`,
			status: 403, comment: "cannot create " + w.collection})
		if w.id == "" {
			continue
		}
		matrix = append(matrix,
			access{who: contactA, method: "PATCH", url: records(w.collection) + "/" + w.id, body: `{"name":"changed","notes":"changed"}`, status: 403, comment: "cannot update " + w.collection + " " + w.id},
			access{who: contactA, method: "DELETE", url: records(w.collection) + "/" + w.id, status: 403, comment: "cannot delete " + w.collection + " " + w.id},
		)
	}

	// Staff may do what the rules of the product allow, and no more.
	matrix = append(matrix,
		access{who: staff, method: "GET", url: records("invoices"), status: 200, has: []string{`"totalItems":4`}, comment: "lists every invoice, drafts included"},
		access{who: staff, method: "GET", url: records("issuer"), status: 200, has: []string{"Talleres Norte"}, comment: "reads the issuer profile"},
		access{who: staff, method: "GET", url: records("series_counters"), status: 200, has: []string{`"last":2`}, comment: "reads the series counters"},
		access{who: staff, method: "POST", url: records("customers"), body: `{"name":"Gamma S.L.","email":"g@gamma.example"}`, status: 200,
			has: []string{`"payment_terms_days":30`, `"country":"ES"`, `"language":"es"`}, comment: "creates a customer with the usual defaults"},
		access{who: staff, method: "POST", url: records("customers"), body: `{"name":"Delta S.L.","payment_terms_days":0}`, status: 200,
			has: []string{`"payment_terms_days":0`}, comment: "creates a customer who pays on receipt"},
		access{who: staff, method: "PATCH", url: records("customers") + "/" + apptest.CustomerA, body: `{"city":"Getxo"}`, status: 200, has: []string{"Getxo"}, comment: "edits a customer"},
		access{who: staff, method: "DELETE", url: records("customers") + "/" + apptest.CustomerA, status: 400, comment: "cannot delete a customer that has invoices"},
		access{who: staff, method: "POST", url: records("contacts"), body: `{"customer":"` + apptest.CustomerB + `","email":"new@beta.example","password":"a-password-1","passwordConfirm":"a-password-1"}`,
			status: 200, has: []string{`"role":"viewer"`, `"language":"en"`}, comment: "invites a contact with the customer's language"},
		access{who: staff, method: "DELETE", url: records("invoices") + "/" + apptest.DraftA, status: 204, comment: "deletes a draft"},
		access{who: staff, method: "DELETE", url: records("invoices") + "/" + apptest.IssuedA, status: 400, has: []string{"never be deleted"}, comment: "cannot delete an issued invoice"},
		access{who: staff, method: "POST", url: records("events"), body: `{"invoice":"` + apptest.IssuedA + `","type":"paid"}`, status: 400, has: []string{"written only by the invoicing functions"}, comment: "cannot forge an event"},
		access{who: staff, method: "POST", url: records("payments"), body: `{"invoice":"` + apptest.IssuedA + `","amount":1,"paid_on":"2026-01-01"}`, status: 400, comment: "cannot add a payment behind the invoice's back"},
		access{who: staff, method: "POST", url: records("series_counters"), body: `{"series":"A","year":2030,"last":7}`, status: 400, comment: "cannot move a series counter"},
		access{who: staff, method: "POST", url: records("issuer"), body: `{"legal_name":"Another"}`, status: 400, has: []string{"one issuer profile"}, comment: "cannot add a second issuer"},
	)

	for _, a := range matrix {
		s := a.scenario()
		s.Test(t)
	}
}

// TestEventsAndPaymentsAreAppendOnly proves that staff, through REST, can
// neither change nor delete what the timeline and the payments record.
func TestEventsAndPaymentsAreAppendOnly(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	for _, collection := range []string{"events", "payments"} {
		rec, err := app.FindFirstRecordByFilter(collection, "invoice = {:id}", map[string]any{"id": apptest.IssuedA})
		if err != nil {
			t.Fatal(err)
		}
		url := base + records(collection) + "/" + rec.Id
		if res := call(t, "PATCH", url, apptest.Tokens.Staff, `{"data":{"forged":true},"amount":999}`); res.status != 400 {
			t.Errorf("PATCH %s: status %d, want 400 (%s)", collection, res.status, res.body)
		}
		if res := call(t, "DELETE", url, apptest.Tokens.Staff, ""); res.status != 400 {
			t.Errorf("DELETE %s: status %d, want 400 (%s)", collection, res.status, res.body)
		}
		again, err := app.FindRecordById(collection, rec.Id)
		if err != nil {
			t.Fatalf("%s %s is gone: %v", collection, rec.Id, err)
		}
		if again.GetString("data") != rec.GetString("data") || again.GetFloat("amount") != rec.GetFloat("amount") {
			t.Errorf("%s %s changed", collection, rec.Id)
		}
	}
}

// TestContactsSignInWithPasswordOrEmailCode checks both ways a contact signs in.
func TestContactsSignInWithPasswordOrEmailCode(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	res := call(t, "POST", base+"/api/collections/contacts/auth-with-password", "", `{"identity":"ana@alfa.example","password":"contact-password-1"}`)
	if res.status != 200 || !strings.Contains(res.body, `"token"`) {
		t.Fatalf("password sign-in: %d %s", res.status, res.body)
	}
	res = call(t, "POST", base+"/api/collections/contacts/request-otp", "", `{"email":"ana@alfa.example"}`)
	if res.status != 200 || !strings.Contains(res.body, `"otpId"`) {
		t.Fatalf("email code request: %d %s", res.status, res.body)
	}
	// The code goes through the outbox, queued in the background.
	for deadline := time.Now().Add(5 * time.Second); apptest.MailCount(t, app) == 0 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if apptest.MailCount(t, app) != 1 || !regexp.MustCompile(`<strong>\d{8}</strong>`).MatchString(apptest.LastMail(t, app).HTML) {
		t.Fatalf("the email code was not mailed (%d mails)", apptest.MailCount(t, app))
	}
}
