package mail_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/apptest"
	"facturo/internal/tracking"
)

const (
	personUA  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
	scannerUA = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
)

var linkPattern = regexp.MustCompile(`https?://[^"\s]+/(t|v)/([A-Za-z0-9_-]+)`)

// sentEmailLinks sends invoice A's email and returns its pixel and view
// tokens as they appear in the HTML that arrived, with the message sent a
// minute ago so that only the request itself decides who fetched.
func sentEmailLinks(t testing.TB) (app coreApp, base, pixel, view string, msg *core.Record) {
	t.Helper()
	testApp, server := setup(t)
	inv := issueA(t, testApp)
	msg = queue(t, testApp, inv.Id)
	startWorker(t, testApp)
	msg = waitForStatus(t, testApp, msg.Id, "sent")
	msg.Set("sent_at", time.Now().Add(-time.Minute))
	must(t, testApp.Save(msg))
	arrived, err := mail.ReadMessage(bytes.NewReader(server.Received()[0].Data))
	must(t, err)
	for _, m := range linkPattern.FindAllStringSubmatch(mimeParts(t, arrived)["text/html"], -1) {
		switch m[1] {
		case "t":
			pixel = m[2]
		case "v":
			view = m[2]
		}
	}
	if pixel == "" || view == "" {
		t.Fatalf("the email carries no pixel or view link")
	}
	return testApp, apptest.Serve(t, testApp), pixel, view, msg
}

type coreApp = core.App

func get(t *testing.T, method, url, ua string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	req.Header.Set("User-Agent", ua)
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, body
}

func TestPixelLogsWeakOpensAndAlwaysAnswersAGIF(t *testing.T) {
	app, base, pixel, view, msg := sentEmailLinks(t)
	invoiceID := msg.GetString("invoice")
	tampered := pixel[:len(pixel)-2] + flip(pixel[len(pixel)-2]) + pixel[len(pixel)-1:]

	for _, tc := range []struct {
		name, method, token, ua string
		opens                   int
	}{
		{"a HEAD request", "HEAD", pixel, personUA, 0},
		{"a tampered token", "GET", tampered, personUA, 0},
		{"a view token", "GET", view, personUA, 0},
		{"garbage", "GET", "not-a-token", personUA, 0},
		{"an image proxy", "GET", pixel, scannerUA, 1},
		{"a person", "GET", pixel, personUA, 2},
	} {
		status, h, body := get(t, tc.method, base+"/t/"+tc.token, tc.ua)
		if status != 200 || h.Get("Content-Type") != "image/gif" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: %d %q %q", tc.name, status, h.Get("Content-Type"), h.Get("Cache-Control"))
		}
		if tc.method == "GET" && !bytes.Equal(body, tracking.PixelGIF) {
			t.Errorf("%s: the body is not the 1×1 GIF", tc.name)
		}
		// Opens are written in batches: wait for the expected count, which
		// also proves that the hits before wrote nothing.
		if n := eventually(t, func() int { return len(events(t, app, invoiceID, "opened")) }, tc.opens); n != tc.opens {
			t.Errorf("after %s: %d opened events, want %d", tc.name, n, tc.opens)
		}
	}
	opens := events(t, app, invoiceID, "opened")
	var proxy, person map[string]any
	must(t, json.Unmarshal([]byte(opens[0].GetString("data")), &proxy))
	must(t, json.Unmarshal([]byte(opens[1].GetString("data")), &person))
	if proxy["automated"] != true || proxy["reason"] != "Google image proxy" || proxy["weak"] != true {
		t.Errorf("the proxy's open is not labelled automated: %v", proxy)
	}
	if person["automated"] != false || person["weak"] != true || opens[1].GetString("actor_email") != "billing@alfa.example" ||
		opens[1].GetString("user_agent") != personUA || opens[1].GetString("ip") == "" {
		t.Errorf("the person's open does not say who, from where, and that it is weak: %v %v", person, opens[1].FieldsData())
	}
	if find(t, app, invoiceID).GetDateTime("opened_at").IsZero() {
		t.Error("opened_at is not set after a person's open")
	}
}

func TestViewLinkShowsTheInvoiceAndCountsOnlyPeople(t *testing.T) {
	app, base, pixel, view, msg := sentEmailLinks(t)
	invoiceID := msg.GetString("invoice")
	number := find(t, app, invoiceID).GetString("number")

	status, _, page := get(t, "GET", base+"/v/"+view, personUA)
	if status != 200 || !bytes.Contains(page, []byte(number)) || !bytes.Contains(page, []byte("121,00 €")) {
		t.Fatalf("the view page: %d\n%s", status, page)
	}
	if n := len(events(t, app, invoiceID, "viewed")); n != 0 {
		t.Errorf("fetching the page logged %d views; a link scanner's GET must not count", n)
	}
	if !bytes.Contains(page, []byte(`/portal/login?next=%2Fportal%2Finvoices%2F`+invoiceID)) {
		t.Error("the page does not offer to sign in to answer the invoice")
	}
	if s, _, _ := get(t, "POST", base+"/v/"+view+"/seen", scannerUA); s != 204 || len(events(t, app, invoiceID, "viewed")) != 0 {
		t.Errorf("an automated report counted as a view (%d)", s)
	}
	if s, _, _ := get(t, "POST", base+"/v/"+view+"/seen", personUA); s != 204 {
		t.Errorf("seen: %d", s)
	}
	viewed := events(t, app, invoiceID, "viewed")
	if len(viewed) != 1 || viewed[0].GetString("actor_email") != "billing@alfa.example" || find(t, app, invoiceID).GetDateTime("viewed_at").IsZero() {
		t.Fatalf("a person's view is not logged with who: %v", viewed)
	}

	status, h, pdf := get(t, "GET", base+"/v/"+view+"/pdf", personUA)
	if status != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !strings.Contains(h.Get("Content-Disposition"), "Factura-"+number+".pdf") {
		t.Errorf("the PDF through the link: %d %q", status, h.Get("Content-Disposition"))
	}
	if d := events(t, app, invoiceID, "downloaded"); len(d) != 1 || d[0].GetString("actor_email") != "billing@alfa.example" {
		t.Errorf("the download is not logged with who: %v", d)
	}

	expired := signWithAppKey(t, app, tracking.Claims{Kind: tracking.KindView, MessageID: msg.Id, Recipient: "billing@alfa.example", Expires: time.Now().Add(-time.Second)})
	for name, token := range map[string]string{"a pixel token": pixel, "an expired token": expired, "a tampered token": view[:10] + flip(view[10]) + view[11:]} {
		if s, _, body := get(t, "GET", base+"/v/"+token, personUA); s != 404 || bytes.Contains(body, []byte(number)) {
			t.Errorf("%s opened the page: %d", name, s)
		}
	}
}

// signWithAppKey signs claims with the installation's tracking key.
func signWithAppKey(t *testing.T, app core.App, c tracking.Claims) string {
	t.Helper()
	var stored struct {
		Current string
		Keys    map[string]string
	}
	must(t, json.Unmarshal([]byte(mailSettings(t, app).GetString("tracking_keys")), &stored))
	key, err := base64.StdEncoding.DecodeString(stored.Keys[stored.Current])
	must(t, err)
	ring, err := tracking.NewKeyring(stored.Current, map[string][]byte{stored.Current: key})
	must(t, err)
	token, err := ring.Sign(c)
	must(t, err)
	return token
}

func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// eventually polls count until it returns want (or five seconds pass) and
// returns its last value.
func eventually(t testing.TB, count func() int, want int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	n := count()
	for n != want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = count()
	}
	return n
}
