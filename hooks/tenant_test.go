package hooks_test

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// door is a route of the product and who may use it.
type door struct {
	method, path string
	who          string // staff: staff only; customer: staff or a contact of the invoice's or customer's customer; portal: a signed-in contact's page; app: staff's page; token: whoever holds an emailed token; public: anyone
}

// doors are every route the product adds. A new route must be added here
// (TestEveryRouteIsInTheTenantMatrix reads the code for them), with who may
// use it; TestNoDoorOpensOnAnotherCustomer then tries it as an outsider and
// as the other customer's contact.
var doors = []door{
	{"POST", "/api/invoices/{id}/issue", "staff"},
	{"POST", "/api/invoices/{id}/rectify", "staff"},
	{"POST", "/api/invoices/{id}/payments", "staff"},
	{"POST", "/api/invoices/{id}/send", "staff"},
	{"POST", "/api/invoices/send-unsent", "staff"},
	{"POST", "/api/invoices/{id}/answer", "staff"},
	{"POST", "/api/interest/draft", "staff"},
	{"POST", "/api/bank/statements", "staff"},
	{"POST", "/api/bank/movements/{id}/confirm", "staff"},
	{"POST", "/api/bank/movements/{id}/reject", "staff"},
	{"GET", "/api/imports/template.csv", "staff"},
	{"GET", "/api/imports/template.xlsx", "staff"},
	{"POST", "/api/imports", "staff"},
	{"GET", "/api/imports/{id}", "staff"},
	{"POST", "/api/reminders/run", "staff"},
	{"GET", "/api/reminders/plan", "staff"},
	{"POST", "/api/webhooks/{id}/test", "staff"},
	{"POST", "/api/webhook-deliveries/{id}/retry", "staff"},
	{"GET", "/api/exports/lines.csv", "staff"},
	{"GET", "/api/exports/lines.xlsx", "staff"},
	{"GET", "/api/exports/payments.csv", "staff"},
	{"GET", "/api/exports/payments.xlsx", "staff"},
	{"GET", "/api/exports/events.csv", "staff"},
	{"GET", "/api/exports/events.xlsx", "staff"},

	{"GET", "/api/invoices/{id}/einvoice-check", "staff"},
	{"POST", "/api/invoices/{id}/void", "staff"},
	{"GET", "/api/verifactu/status", "staff"},
	{"POST", "/api/verifactu/send", "staff"},
	{"POST", "/api/verifactu/records/{id}/correct", "staff"},
	{"POST", "/api/verifactu/records/{id}/review", "staff"},

	{"GET", "/api/invoices/{id}/pdf", "customer"},
	{"GET", "/api/invoices/{id}/ubl.xml", "customer"},
	{"GET", "/api/invoices/{id}/cii.xml", "customer"},
	{"GET", "/api/invoices/{id}/facturae.xml", "customer"},
	{"POST", "/api/invoices/{id}/respond", "customer"},
	{"GET", "/api/customers/{id}/statement.pdf", "customer"},
	{"GET", "/api/exports/invoices.csv", "customer"},
	{"GET", "/api/exports/invoices.xlsx", "customer"},
	{"GET", "/api/exports/invoices.zip", "customer"},

	{"GET", "/t/{token}", "token"},
	{"GET", "/v/{token}", "token"},
	{"POST", "/v/{token}/seen", "token"},
	{"GET", "/v/{token}/pdf", "token"},

	{"GET", "/portal/{$}", "portal"},
	{"GET", "/portal/invoices", "portal"},
	{"GET", "/portal/invoices/{id}", "portal"},
	{"GET", "/portal/invoices/{id}/pdf", "portal"},
	{"GET", "/portal/invoices/{id}/ubl.xml", "portal"},
	{"GET", "/portal/invoices/{id}/cii.xml", "portal"},
	{"GET", "/portal/invoices/{id}/facturae.xml", "portal"},
	{"POST", "/portal/invoices/{id}/respond", "portal"},
	{"GET", "/portal/quotes", "portal"},
	{"GET", "/portal/quotes/{id}", "portal"},
	{"GET", "/portal/quotes/{id}/pdf", "portal"},
	{"POST", "/portal/quotes/{id}/answer", "portal"},
	{"GET", "/portal/statement.pdf", "portal"},
	{"GET", "/portal/exports/invoices.csv", "portal"},
	{"GET", "/portal/exports/invoices.xlsx", "portal"},
	{"GET", "/portal/exports/invoices.zip", "portal"},
	{"GET", "/portal/profile", "portal"},
	{"POST", "/portal/profile", "portal"},
	{"POST", "/portal/logout", "portal"},
	{"GET", "/{$}", "public"},
	{"GET", "/portal/login", "public"},
	{"POST", "/portal/login", "public"},
	{"GET", "/portal/code", "public"},
	{"POST", "/portal/code", "public"},
	{"POST", "/portal/code/verify", "public"},
	{"GET", "/portal/forgot", "public"},
	{"POST", "/portal/forgot", "public"},
	{"GET", "/portal/password", "public"},
	{"POST", "/portal/password", "public"},
	{"GET", "/portal/static/{path...}", "public"},
	{"GET", "/favicon.ico", "public"},

	{"GET", "/app", "public"}, // a redirect to /app/
	{"GET", "/app/login", "public"},
	{"POST", "/app/login", "public"},
	{"POST", "/app/logout", "app"},
	{"GET", "/app/{$}", "app"},
	{"GET", "/app/invoices", "app"},
	{"GET", "/app/invoices/{id}", "app"},
	{"GET", "/app/invoices/{id}/pdf", "app"},
	{"GET", "/app/invoices/{id}/ubl.xml", "app"},
	{"GET", "/app/invoices/{id}/cii.xml", "app"},
	{"GET", "/app/invoices/{id}/facturae.xml", "app"},
	{"POST", "/app/invoices/{id}/{action}", "app"},
	{"GET", "/app/customers", "app"},
	{"GET", "/app/customers/{id}", "app"},
	{"POST", "/app/customers/{id}/{action}", "app"},
	{"GET", "/app/customers/{id}/statement.pdf", "app"},
	{"GET", "/app/inbox", "app"},
	{"GET", "/app/exports/{file}", "app"},
	{"GET", "/app/webhooks", "app"},
	{"POST", "/app/webhooks", "app"},
	{"POST", "/app/webhooks/{id}/{action}", "app"},
	{"POST", "/app/webhook-deliveries/{id}/retry", "app"},
	{"GET", "/app/reminders", "app"},
	{"POST", "/app/reminders/run", "app"},
	{"GET", "/app/bank", "app"},
	{"POST", "/app/bank", "app"},
	{"POST", "/app/bank/movements/{id}/{action}", "app"},
	{"GET", "/app/import", "app"},
	{"POST", "/app/import", "app"},
	{"GET", "/app/verifactu", "app"},
	{"POST", "/app/verifactu/{action}", "app"},
	{"POST", "/app/verifactu/records/{id}/{action}", "app"},
	{"GET", "/app/import/jobs/{id}", "app"},
	{"GET", "/app/import/template.csv", "app"},
	{"GET", "/app/import/template.xlsx", "app"},
	{"GET", "/app/invoices/new", "app"},
	{"POST", "/app/invoices/new", "app"},
	{"GET", "/app/invoices/{id}/edit", "app"},
	{"POST", "/app/invoices/{id}/edit", "app"},
	{"POST", "/app/invoices/preview", "app"},
	{"GET", "/app/invoices/{id}/preview.pdf", "app"},
	{"POST", "/app/totals", "app"},
	{"GET", "/app/customers/search", "app"},
	{"GET", "/app/customers/new", "app"},
	{"POST", "/app/customers/new", "app"},
	{"GET", "/app/customers/{id}/edit", "app"},
	{"POST", "/app/customers/{id}/edit", "app"},
	{"POST", "/app/customers/{id}/contacts/{contact}/{action}", "app"},
	{"GET", "/app/products", "app"},
	{"GET", "/app/products/search", "app"},
	{"GET", "/app/products/template.csv", "app"},
	{"POST", "/app/products/import", "app"},
	{"GET", "/app/products/new", "app"},
	{"POST", "/app/products/new", "app"},
	{"GET", "/app/products/{id}", "app"},
	{"POST", "/app/products/{id}", "app"},
	{"POST", "/app/products/{id}/delete", "app"},
	{"GET", "/app/recurring", "app"},
	{"GET", "/app/recurring/new", "app"},
	{"POST", "/app/recurring/new", "app"},
	{"GET", "/app/recurring/{id}", "app"},
	{"POST", "/app/recurring/{id}", "app"},
	{"POST", "/app/recurring/{id}/delete", "app"},
	{"GET", "/app/quotes", "app"},
	{"GET", "/app/quotes/new", "app"},
	{"POST", "/app/quotes/new", "app"},
	{"POST", "/app/quotes/preview", "app"},
	{"GET", "/app/quotes/{id}", "app"},
	{"GET", "/app/quotes/{id}/edit", "app"},
	{"POST", "/app/quotes/{id}/send", "app"},
	{"POST", "/app/quotes/{id}/edit", "app"},
	{"GET", "/app/quotes/{id}/pdf", "app"},
	{"POST", "/app/quotes/{id}/invoice", "app"},
	{"GET", "/app/setup", "app"},
	{"GET", "/app/settings", "app"},
	{"GET", "/app/settings/logo", "app"},
	{"POST", "/app/settings/profile", "app"},
	{"POST", "/app/settings/public-url", "app"},
	{"POST", "/app/settings/mail", "app"},
	{"POST", "/app/settings/mail/test", "app"},
	{"POST", "/app/settings/mailbox", "app"},
	{"POST", "/app/settings/staff", "app"},
	{"POST", "/app/settings/staff/{id}/remove", "app"},
}

// routeLiteral finds the paths the code gives the router.
var routeLiteral = regexp.MustCompile(`\.(GET|POST|PUT|PATCH|DELETE|Any)\(\s*"([^"]*)"`)

// TestEveryRouteIsInTheTenantMatrix reads every route the code registers
// and fails on one that the matrix does not list, so that no door is added
// without deciding who may use it.
func TestEveryRouteIsInTheTenantMatrix(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range routeLiteral.FindAllStringSubmatch(string(src), -1) {
			method, literal := m[1], m[2]
			if !slices.ContainsFunc(doors, func(d door) bool { return d.method == method && strings.Contains(d.path, literal) }) {
				t.Errorf("%s: the route %s %q is not in the tenant matrix (doors in tenant_test.go)", path, method, literal)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoDoorOpensOnAnotherCustomer goes through every door as a guest and
// as customer A's contact, aimed at customer B's invoice and customer: each
// is refused (never a 2xx showing B's data, never the handler running for
// a staff route), and nothing of B's reaches the answer.
func TestNoDoorOpensOnAnotherCustomer(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	if err != nil {
		t.Fatal(err)
	}
	secretsOfB := []string{b.GetString("number"), "Beta Distribuciones", "A28391043", "billing@beta.example", "bob@beta.example"}

	portal := apptest.NewBrowser(t, base)
	portal.SignIn("/portal/login", "ana@alfa.example", "contact-password-1", "/portal/")
	before := counts(t, app)

	for _, d := range doors {
		path := d.path
		id := apptest.IssuedB
		if strings.Contains(path, "/customers/") {
			id = apptest.CustomerB
		}
		path = strings.NewReplacer("{id}", id, "{action}", "issue", "{token}", "forged-token", "{file}", "invoices.csv",
			"{path...}", "style.css", "{$}", "").Replace(path)
		query := ""
		if strings.HasPrefix(path, "/api/exports/") {
			query = "?customer=" + apptest.CustomerB
		}
		switch d.who {
		case "staff", "customer":
			for _, who := range []struct{ name, token string }{{"a guest", ""}, {"customer A's contact", apptest.Tokens.ContactA}} {
				body := `{"code":"R1","reason":"x","amount":1,"text":"x","action":"accept","customers":["` + apptest.CustomerB + `"]}`
				if d.method == "GET" {
					body = ""
				}
				res := apptest.Call(t, d.method, base+path+query, who.token, body)
				allowed := []int{401, 403, 404}
				if strings.HasPrefix(d.path, "/api/exports/invoices.") && who.token != "" {
					allowed = append(allowed, 200) // a contact's export is its own customer's, whatever it asks for
				}
				if !slices.Contains(allowed, res.Status) {
					t.Errorf("%s %s as %s: %d %.200s", d.method, path, who.name, res.Status, res.Body)
				}
				leaks(t, d.method+" "+path+" as "+who.name, string(res.Body), secretsOfB)
			}
		case "portal":
			page := portal.Do(request(t, d.method, base+path, portal, d.path))
			if strings.Contains(d.path, "{id}") && page.Status != 404 {
				t.Errorf("%s %s as customer A's contact: %d, want 404", d.method, path, page.Status)
			}
			leaks(t, d.method+" "+path+" in the portal", page.Body, secretsOfB)
			guest := apptest.NewBrowser(t, base).Do(request(t, d.method, base+path, nil, d.path))
			if guest.Status < 300 || guest.Status >= 500 {
				t.Errorf("%s %s as a guest: %d", d.method, path, guest.Status)
			}
			leaks(t, d.method+" "+path+" as a guest", guest.Body, secretsOfB)
		case "app":
			// A contact signed in to the portal is a guest to the workspace.
			page := portal.Do(request(t, d.method, base+path, portal, d.path))
			if page.Status < 300 || page.Status >= 500 || page.Status < 400 && !strings.HasPrefix(page.Header.Get("Location"), "/app/login") {
				t.Errorf("%s %s as customer A's contact: %d → %q", d.method, path, page.Status, page.Header.Get("Location"))
			}
			leaks(t, d.method+" "+path+" in the workspace", page.Body, secretsOfB)
		case "token":
			res := apptest.Call(t, d.method, base+path, apptest.Tokens.ContactA, "")
			if d.path != "/t/{token}" && res.Status < 400 {
				t.Errorf("%s %s with a forged token: %d", d.method, path, res.Status)
			}
			leaks(t, d.method+" "+path, string(res.Body), secretsOfB)
		}
	}
	if after := counts(t, app); !maps(after, before) {
		t.Errorf("trying the doors wrote: %v → %v", before, after)
	}
}

// request builds a request for a door, with the browser's form token when
// it has one for the area, so that CSRF is not what stops it.
func request(t *testing.T, method, url string, b *apptest.Browser, template string) *http.Request {
	t.Helper()
	var body *strings.Reader
	form := urlValues()
	if b != nil && method == "POST" && strings.HasPrefix(template, "/portal/") {
		form.Set("csrf", b.CSRF("/portal/profile"))
	}
	body = strings.NewReader(form.Encode())
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

func urlValues() url.Values {
	return url.Values{"action": {"accept"}, "amount": {"1"}, "name": {"x"}, "language": {"es"}}
}

// TestCollectionsShowContactsOnlyTheirOwn lists and views every collection
// there is, including those added after this test was written, as a guest
// and as customer A's contact: only the four collections a contact may
// read answer with data, and only its own.
func TestCollectionsShowContactsOnlyTheirOwn(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	collections, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	readable := map[string]bool{invoicing.Customers: true, invoicing.Contacts: true, invoicing.Invoices: true, invoicing.Events: true}
	for _, c := range collections {
		if strings.HasPrefix(c.Name, "_") && c.Name != core.CollectionNameSuperusers {
			continue // PocketBase's own: OTPs, MFAs, auth origins, external auths
		}
		staffList := apptest.Call(t, "GET", base+"/api/collections/"+c.Name+"/records?perPage=500", apptest.Tokens.Staff, "")
		var all struct {
			Items []map[string]any `json:"items"`
		}
		_ = json.Unmarshal(staffList.Body, &all)
		for _, who := range []struct{ name, token string }{{"a guest", ""}, {"customer A's contact", apptest.Tokens.ContactA}} {
			res := apptest.Call(t, "GET", base+"/api/collections/"+c.Name+"/records?perPage=500", who.token, "")
			var page struct {
				TotalItems int              `json:"totalItems"`
				Items      []map[string]any `json:"items"`
			}
			_ = json.Unmarshal(res.Body, &page)
			if res.Status == 200 && page.TotalItems > 0 && (who.token == "" || !readable[c.Name]) {
				t.Errorf("%s lists %d records of %s", who.name, page.TotalItems, c.Name)
			}
			for _, item := range page.Items {
				if owner := ownerOf(c.Name, item); owner != apptest.CustomerA {
					t.Errorf("%s reads %s %v, of customer %q", who.name, c.Name, item["id"], owner)
				}
				if c.Name == invoicing.Events {
					for _, hidden := range []string{"ip", "user_agent"} {
						if _, ok := item[hidden]; ok {
							t.Errorf("%s reads the %s of an event", who.name, hidden)
						}
					}
				}
			}
			for _, item := range all.Items {
				id, _ := item["id"].(string)
				view := apptest.Call(t, "GET", base+"/api/collections/"+c.Name+"/records/"+id, who.token, "")
				if view.Status == 200 && (who.token == "" || !readable[c.Name] || ownerOf(c.Name, item) != apptest.CustomerA) {
					t.Errorf("%s views %s %s", who.name, c.Name, id)
				}
			}
		}
	}
}

// ownerOf is the customer a record of a contact-readable collection
// belongs to.
func ownerOf(collection string, item map[string]any) string {
	switch collection {
	case invoicing.Customers:
		id, _ := item["id"].(string)
		return id
	default:
		c, _ := item["customer"].(string)
		return c
	}
}

func leaks(t *testing.T, where, body string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(body, s) {
			t.Errorf("%s shows %q of customer B", where, s)
		}
	}
}

func counts(t *testing.T, app core.App) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	// What concerns customer B: a contact's own downloads (of its own
	// invoices, whatever it asked for) are logged on its own timeline.
	for _, c := range []string{invoicing.Invoices, invoicing.Payments, "messages", invoicing.Customers, invoicing.Contacts} {
		n, err := app.CountRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		out[c] = n
	}
	b, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
	out["B's response "+b.GetString("response")] = 1
	n, err := app.CountRecords(invoicing.Events, dbx.HashExp{"customer": apptest.CustomerB})
	if err != nil {
		t.Fatal(err)
	}
	out["B's events"] = n
	return out
}

func maps(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
