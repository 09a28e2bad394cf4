package invoicing_test

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

// storedPDF reads an invoice's stored PDF file.
func storedPDF(t testing.TB, app core.App, inv *core.Record) []byte {
	t.Helper()
	if inv.GetString("pdf") == "" {
		t.Fatalf("invoice %s has no PDF", inv.GetString("number"))
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(inv.BaseFilesPath() + "/" + inv.GetString("pdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIssuingStoresAPDFThatRendersAgainToTheSameBytes(t *testing.T) {
	app := apptest.New(t)
	inv := issue(t, app, apptest.DraftA)
	stored := storedPDF(t, app, inv)
	if !bytes.HasPrefix(stored, []byte("%PDF-")) {
		t.Fatalf("the stored file is not a PDF: %q", stored[:min(20, len(stored))])
	}
	again, err := invoicing.RenderPDF(app, inv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, again) {
		t.Errorf("rendering the same record again gave different bytes (%d vs %d)", len(stored), len(again))
	}

	// The stored invoice can no longer take another file.
	inv = find(t, app, invoicing.Invoices, inv.Id)
	inv.Set("pdf", nil)
	if err := app.Save(inv); err == nil {
		t.Error("the PDF of an issued invoice was removed")
	}
}

var spaceRun = regexp.MustCompile(`\s+`)

func TestIssuedPDFStatesWhatTheLawAsksInTheCustomersLanguage(t *testing.T) {
	app := apptest.New(t)
	es := issue(t, app, apptest.DraftA) // customer A writes Spanish
	en := issue(t, app, apptest.DraftB) // customer B writes English
	for _, tc := range []struct {
		inv  *core.Record
		want []string
	}{
		{es, []string{"FACTURA", es.GetString("number"), "Talleres Norte S.L.", "B12345674", "Alfa Comercial S.L.", "B87654323",
			"100,00 €", "21,00 €", "121,00 €", "Consultoría", "ES91 2100 0418 4502 0005 1332"}},
		{en, []string{"INVOICE", en.GetString("number"), "Beta Distribuciones S.A.", "A28391043", "€100.00", "€21.00", "€121.00"}},
	} {
		text := spaceRun.ReplaceAllString(toolcheck.PDFText(t, storedPDF(t, app, tc.inv)), " ")
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the PDF text lacks %q:\n%s", tc.inv.GetString("number"), w, text)
			}
		}
	}
}

func TestPDFDownloadIsForStaffAndTheCustomersContactsAndIsLogged(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	issued := issue(t, app, apptest.DraftA)
	url := base + "/api/invoices/" + issued.Id + "/pdf"

	for _, tc := range []struct {
		who    string
		token  string
		status int
	}{
		{"guest", "", 403},
		{"contact of another customer", apptest.Tokens.ContactB, 404},
		{"staff", apptest.Tokens.Staff, 200},
		{"contact of the customer", apptest.Tokens.ViewerA, 200},
	} {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("User-Agent", "invoice-test/1.0")
		if tc.token != "" {
			req.Header.Set("Authorization", tc.token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.who, res.StatusCode, tc.status, body)
			continue
		}
		if tc.status != 200 {
			continue
		}
		if !bytes.Equal(body, storedPDF(t, app, issued)) {
			t.Errorf("%s: the downloaded bytes differ from the stored PDF", tc.who)
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "Factura-"+issued.GetString("number")+".pdf") {
			t.Errorf("%s: Content-Disposition %q", tc.who, cd)
		}
	}

	events, err := app.FindRecordsByFilter(invoicing.Events, "invoice = {:id} && type = 'downloaded'", "created", 0, 0, map[string]any{"id": issued.Id})
	if err != nil || len(events) != 2 {
		t.Fatalf("%d downloaded events, want 2 (staff and the contact): %v", len(events), err)
	}
	byContact := events[1]
	if byContact.GetString("actor") != apptest.ViewerA || byContact.GetString("actor_email") != "victor@alfa.example" ||
		byContact.GetString("ip") == "" || byContact.GetString("user_agent") != "invoice-test/1.0" {
		t.Errorf("the contact's download does not say who and from where: %v", byContact.FieldsData())
	}
	if events[0].GetString("actor_email") != apptest.StaffEmail {
		t.Errorf("the staff download is not attributed: %v", events[0].FieldsData())
	}
	if find(t, app, invoicing.Invoices, issued.Id).GetDateTime("viewed_at").IsZero() {
		t.Error("a contact's download did not mark the invoice as viewed")
	}

	for _, tc := range []struct {
		id, token string
		status    int
	}{
		{apptest.DraftB, apptest.Tokens.Staff, 400},
		{apptest.DraftB, apptest.Tokens.ContactB, 404},
		{"nosuchinvoice00", apptest.Tokens.Staff, 404},
	} {
		if res := call(t, "GET", base+"/api/invoices/"+tc.id+"/pdf", tc.token, ""); res.status != tc.status {
			t.Errorf("GET pdf of %s: %d %s, want %d", tc.id, res.status, res.body, tc.status)
		}
	}
}
