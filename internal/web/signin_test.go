package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/web"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

const (
	contactEmail    = "ana@alfa.example"
	contactPassword = "contact-password-1"
	staffPassword   = "staff-password-1"
)

type answer struct {
	status int
	header http.Header
	body   string
}

// call posts a JSON body to the server at base, from the client address
// forwarded (X-Forwarded-For) when forwarded is not empty.
func call(t *testing.T, base, path, forwarded, body string) answer {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, string(b)}
}

func passwordBody(identity, password string) string {
	b, _ := json.Marshal(map[string]string{"identity": identity, "password": password})
	return string(b)
}

// mustBeTooMany checks a 429 in PocketBase's error shape with a
// Retry-After of at most the window.
func mustBeTooMany(t *testing.T, what string, a answer) {
	t.Helper()
	var e struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	json.Unmarshal([]byte(a.body), &e)
	wait, err := strconv.Atoi(a.header.Get("Retry-After"))
	if a.status != http.StatusTooManyRequests || e.Status != 429 || !strings.Contains(e.Message, "Too many attempts") ||
		err != nil || wait < 1 || wait > 300 {
		t.Fatalf("%s: %d, Retry-After %q, %s", what, a.status, a.header.Get("Retry-After"), a.body)
	}
}

// TestRESTPasswordGuessesAreLimitedPerAccount: PocketBase's own sign-in
// route stops an account's 11th wrong password, though each claims to come
// from another address: no proxy is trusted, so the header is not believed
// and every try counts against the one real address too. The right password
// is then refused as well, on REST and on the portal's form.
func TestRESTPasswordGuessesAreLimitedPerAccount(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	path := "/api/collections/contacts/auth-with-password"
	for i := range 10 {
		if a := call(t, base, path, fmt.Sprintf("198.51.100.%d", i), passwordBody(contactEmail, "guess")); a.status != 400 {
			t.Fatalf("wrong password %d: %d %s", i+1, a.status, a.body)
		}
	}
	mustBeTooMany(t, "the 11th wrong password", call(t, base, path, "198.51.100.200", passwordBody(contactEmail, "guess")))
	mustBeTooMany(t, "the right password after 10 wrong ones", call(t, base, path, "", passwordBody(contactEmail, contactPassword)))

	b := apptest.NewBrowser(t, base)
	p := b.Post("/portal/login", url.Values{"csrf": {b.CSRF("/portal/login")}, "email": {contactEmail}, "password": {contactPassword}})
	if p.Status != http.StatusTooManyRequests || p.Header.Get("Retry-After") == "" {
		t.Errorf("the portal's form after 10 wrong passwords on REST: %d", p.Status)
	}
}

// TestRightPasswordDoesNotCount: wrong passwords count, a right one does
// not, so a person who mistypes a few times and then signs in keeps their
// allowance.
func TestRightPasswordDoesNotCount(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	path := "/api/collections/contacts/auth-with-password"
	for range 9 {
		call(t, base, path, "", passwordBody(contactEmail, "guess"))
	}
	if a := call(t, base, path, "", passwordBody(contactEmail, contactPassword)); a.status != 200 || !strings.Contains(a.body, `"token"`) {
		t.Fatalf("the right password after 9 wrong ones: %d %s", a.status, a.body)
	}
	if a := call(t, base, path, "", passwordBody(contactEmail, "guess")); a.status != 400 {
		t.Fatalf("the 10th wrong password, after a right one: %d %s", a.status, a.body)
	}
	mustBeTooMany(t, "the 11th wrong password", call(t, base, path, "", passwordBody(contactEmail, "guess")))
}

// TestFormAndRESTShareOneLimit: wrong passwords on the portal's form and
// on REST add up, and the staff's form and REST likewise; the collection
// named by its id is the same collection.
func TestFormAndRESTShareOneLimit(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := apptest.NewBrowser(t, base)
	token := b.CSRF("/portal/login")
	for range 5 {
		if p := b.Post("/portal/login", url.Values{"csrf": {token}, "email": {contactEmail}, "password": {"guess"}}); p.Status != 401 {
			t.Fatalf("a wrong password on the form: %d", p.Status)
		}
	}
	contacts, _ := app.FindCollectionByNameOrId(invoicing.Contacts)
	for range 5 {
		if a := call(t, base, "/api/collections/"+contacts.Id+"/auth-with-password", "", passwordBody(strings.ToUpper(contactEmail), "guess")); a.status != 400 {
			t.Fatalf("a wrong password on REST: %d", a.status)
		}
	}
	mustBeTooMany(t, "the 11th, on REST", call(t, base, "/api/collections/contacts/auth-with-password", "", passwordBody(contactEmail, "guess")))

	// Staff: REST, then the workspace's form, from another address.
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.1/32"))
	for i := range 10 {
		call(t, base, "/api/collections/_superusers/auth-with-password", fmt.Sprintf("203.0.113.%d", i), passwordBody(apptest.StaffEmail, "guess"))
	}
	req, _ := http.NewRequest("POST", base+"/app/login", nil)
	staff := apptest.NewBrowser(t, base)
	form := url.Values{"csrf": {staff.CSRF("/app/login")}, "email": {apptest.StaffEmail}, "password": {staffPassword}}
	req.Body = io.NopCloser(strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "192.0.2.77")
	if p := staff.Do(req); p.Status != http.StatusTooManyRequests {
		t.Errorf("the workspace's form after 10 wrong passwords on REST: %d", p.Status)
	}
}

// TestTrustedProxyForwardsClients: behind a trusted proxy each forwarded
// client has its own allowance, and an account's holds across all of them.
func TestTrustedProxyForwardsClients(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.0/8"))
	path := "/api/collections/contacts/auth-with-password"
	for i := range 10 {
		call(t, base, path, fmt.Sprintf("198.51.100.%d", i), passwordBody(contactEmail, "guess"))
	}
	mustBeTooMany(t, "the account's 11th, from an 11th client", call(t, base, path, "198.51.100.99", passwordBody(contactEmail, "guess")))
	// One client guessing ten accounts is stopped at the eleventh...
	for i := range 10 {
		call(t, base, path, "192.0.2.1", passwordBody(fmt.Sprintf("nobody%d@alfa.example", i), "guess"))
	}
	mustBeTooMany(t, "a client's 11th", call(t, base, path, "192.0.2.1", passwordBody("bob@beta.example", "guess")))
	// ...and whatever it writes in front of its address is not believed.
	mustBeTooMany(t, "a client's 12th, behind a made-up hop", call(t, base, path, "10.9.9.9, 192.0.2.1", passwordBody("bob@beta.example", "guess")))
	// Another client, on another account, is not held back.
	if a := call(t, base, path, "192.0.2.2", passwordBody("bob@beta.example", contactPassword)); a.status != 200 {
		t.Errorf("another client's right password: %d %s", a.status, a.body)
	}
}

// TestRESTEmailRequestsAreLimited: every request that sends an email
// counts, even those that succeed, per address written to, whichever kind
// of email it asks for.
func TestRESTEmailRequestsAreLimited(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.1/32"))
	body := `{"email":"` + contactEmail + `"}`
	for i := range 10 {
		if a := call(t, base, "/api/collections/contacts/request-password-reset", fmt.Sprintf("198.51.100.%d", i), body); a.status != 204 && a.status != 400 {
			t.Fatalf("reset request %d: %d %s", i+1, a.status, a.body)
		}
	}
	mustBeTooMany(t, "the 11th reset request for one address", call(t, base, "/api/collections/contacts/request-password-reset", "198.51.100.50", body))
	mustBeTooMany(t, "a code for the same address", call(t, base, "/api/collections/contacts/request-otp", "198.51.100.51", body))
	if a := call(t, base, "/api/collections/contacts/request-otp", "198.51.100.52", `{"email":"bob@beta.example"}`); a.status != 200 {
		t.Errorf("a code for another address: %d %s", a.status, a.body)
	}
	// The reset link and the code go in the background; wait for them
	// before the app goes. How many reset links PocketBase sends for ten
	// requests in a row depends on how fast it records the first (it sends
	// no second within minutes once it has): at least one.
	for deadline := time.Now().Add(5 * time.Second); apptest.MailCount(t, app) < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := apptest.MailCount(t, app); n < 2 {
		t.Fatalf("%d emails sent, want the reset link and the code", n)
	}
}

// TestRESTCodeDiesAfterFiveWrongTries: the code of request-otp is deleted
// at its fifth wrong try on auth-with-otp, so the right one no longer
// works, whichever address the tries come from.
func TestRESTCodeDiesAfterFiveWrongTries(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.1/32"))
	a := call(t, base, "/api/collections/contacts/request-otp", "", `{"email":"`+contactEmail+`"}`)
	var sent struct {
		OTPID string `json:"otpId"`
	}
	if json.Unmarshal([]byte(a.body), &sent); a.status != 200 || sent.OTPID == "" {
		t.Fatalf("request-otp: %d %s", a.status, a.body)
	}
	code := emailedCode(t, app)
	for i := range 5 {
		if a := call(t, base, "/api/collections/contacts/auth-with-otp", fmt.Sprintf("198.51.100.%d", i), `{"otpId":"`+sent.OTPID+`","password":"00000000"}`); a.status != 400 {
			t.Fatalf("wrong code %d: %d %s", i+1, a.status, a.body)
		}
	}
	if _, err := app.FindOTPById(sent.OTPID); err == nil {
		t.Fatal("the code is still there after five wrong tries")
	}
	if a := call(t, base, "/api/collections/contacts/auth-with-otp", "198.51.100.9", `{"otpId":"`+sent.OTPID+`","password":"`+code+`"}`); a.status != 400 {
		t.Errorf("the right code after five wrong ones: %d %s", a.status, a.body)
	}
}

// waitForMail waits for the test mailer to have sent n messages.
func waitForMail(t *testing.T, app *tests.TestApp, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); apptest.MailCount(t, app) < n && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if apptest.MailCount(t, app) != n {
		t.Fatalf("%d emails sent, want %d", apptest.MailCount(t, app), n)
	}
}

// emailedCode waits for the sign-in code's email and reads the code.
func emailedCode(t *testing.T, app *tests.TestApp) string {
	t.Helper()
	waitForMail(t, app, 1)
	m := regexp.MustCompile(`<strong>(\d+)</strong>`).FindStringSubmatch(apptest.LastMail(t, app).HTML)
	if m == nil {
		t.Fatalf("no code in %q", apptest.LastMail(t, app).HTML)
	}
	return m[1]
}

// TestFloodOfAddressesDoesNotResetAnAccount: 100,000 failed attempts, each
// from a new address and on a new identity, neither make the tables grow
// past their bound nor make them forget an account under attack.
func TestFloodOfAddressesDoesNotResetAnAccount(t *testing.T) {
	app := apptest.New(t)
	account := web.AccountKey(invoicing.Contacts, contactEmail)
	for i := range 9 {
		if _, wait := web.BeginGuess(app, fmt.Sprintf("198.51.100.%d", i), account); wait > 0 {
			t.Fatalf("guess %d refused", i+1)
		}
	}
	for i := range 100_000 {
		ip := netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}).String()
		web.BeginGuess(app, ip, web.AccountKey(invoicing.Contacts, fmt.Sprintf("flood%d@example.com", i)))
		web.CountMail(app, ip, web.AccountKey(invoicing.Contacts, fmt.Sprintf("flood%d@example.com", i)))
	}
	sizes, capacity := web.LimitTableSizes(app)
	for i, n := range sizes {
		if n > capacity {
			t.Errorf("table %d holds %d keys, over its bound %d", i, n, capacity)
		}
	}
	if _, wait := web.BeginGuess(app, "192.0.2.1", account); wait > 0 {
		t.Fatal("the account's 10th guess was refused")
	}
	if _, wait := web.BeginGuess(app, "192.0.2.2", account); wait <= 0 || wait > 5*time.Minute {
		t.Errorf("after the flood the account's 11th guess waits %v", wait)
	}
}

// TestForgedForwardedForIsNotRecorded: an event's ip is the TCP peer's
// when the peer is no trusted proxy, whatever X-Forwarded-For says; the
// header's when it is.
func TestForgedForwardedForIsNotRecorded(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	respond := func(forwarded, action, eventType string) string {
		req, _ := http.NewRequest("POST", base+"/api/invoices/"+apptest.IssuedA+"/respond", strings.NewReader(`{"action":"`+action+`","reason":"OTH","note":"x"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", apptest.Tokens.ContactA)
		req.Header.Set("X-Forwarded-For", forwarded)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("responding: %d", res.StatusCode)
		}
		ev, err := app.FindFirstRecordByFilter(invoicing.Events, "invoice = {:id} && type = {:type}", map[string]any{"id": apptest.IssuedA, "type": eventType})
		if err != nil {
			t.Fatal(err)
		}
		return ev.GetString("ip")
	}
	if ip := respond("6.6.6.6", "query", "queried"); ip != "127.0.0.1" {
		t.Errorf("a forged X-Forwarded-For from an untrusted peer: ip %q", ip)
	}
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.1/32"))
	if ip := respond("198.51.100.7", "accept", "accepted"); ip != "198.51.100.7" {
		t.Errorf("the client forwarded by a trusted proxy: ip %q", ip)
	}
}

// TestForwardedProtoOnlyFromATrustedProxy: the session cookie is marked
// Secure on X-Forwarded-Proto: https only when a trusted proxy says so.
func TestForwardedProtoOnlyFromATrustedProxy(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	signIn := func() string {
		b := apptest.NewBrowser(t, base)
		form := url.Values{"csrf": {b.CSRF("/portal/login")}, "email": {contactEmail}, "password": {contactPassword}}
		req, _ := http.NewRequest("POST", base+"/portal/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", "https")
		p := b.Do(req)
		if p.Status != http.StatusSeeOther {
			t.Fatalf("sign-in: %d", p.Status)
		}
		return strings.Join(p.Header.Values("Set-Cookie"), "; ")
	}
	if c := signIn(); strings.Contains(c, "Secure") {
		t.Errorf("an untrusted peer's X-Forwarded-Proto made the cookie Secure: %q", c)
	}
	web.TrustProxies(app, netip.MustParsePrefix("127.0.0.1/32"))
	if c := signIn(); !strings.Contains(c, "Secure") {
		t.Errorf("a trusted proxy's X-Forwarded-Proto did not make the cookie Secure: %q", c)
	}
}

// TestClientIPReadsTheChainFromTheRight: the client is the first address,
// from the right, that is not a trusted proxy; an address the peer gave
// that does not parse stops the walk.
func TestClientIPReadsTheChainFromTheRight(t *testing.T) {
	app := apptest.New(t)
	proxies, err := web.ParseTrustedProxies("127.0.0.1, 10.0.0.0/8 ::1")
	if err != nil || len(proxies) != 3 {
		t.Fatalf("parsing: %v %v", proxies, err)
	}
	if _, err := web.ParseTrustedProxies("127.0.0.1,localhost"); err == nil {
		t.Error("a name instead of an address was taken")
	}
	web.TrustProxies(app, proxies...)
	for _, c := range []struct{ peer, header, want string }{
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"127.0.0.1:5000", "198.51.100.1", "198.51.100.1"},
		{"127.0.0.1:5000", "6.6.6.6, 198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"127.0.0.1:5000", "10.1.2.3, 10.1.2.4", "10.1.2.3"},
		{"127.0.0.1:5000", "6.6.6.6, garbage, 10.1.2.3", "10.1.2.3"},
		{"[::1]:5000", "2001:db8::1", "2001:db8::1"},
		{"192.0.2.9:5000", "198.51.100.1", "192.0.2.9"},
	} {
		req, _ := http.NewRequest("GET", "http://x/", nil)
		req.RemoteAddr = c.peer
		if c.header != "" {
			req.Header.Set("X-Forwarded-For", c.header)
		}
		e := &core.RequestEvent{App: app}
		e.Request = req
		if got := web.ClientIP(e); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.header, got, c.want)
		}
	}
}
