package verifactu_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeat"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
	"facturo/internal/certificate/certtest"
	"facturo/internal/clock"
)

func runCommand(t *testing.T, app core.App, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := verifactu.Commands(app)[0]
	cmd.SetOut(&out)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("verifactu %v: %v", args, err)
	}
	return out.String()
}

// TestTheStatusCommandPrintsOneJSONLine checks the status line's keys and
// figures as records are answered, and when the next request may go.
func TestTheStatusCommandPrintsOneJSONLine(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	clk := freeze(t)
	issueMany(t, app, 3)
	s.Then(aeattest.Incorrect(2, "1100"))
	step(t, sender(app))
	issueNew(t, app, apptest.CustomerA)
	line := runCommand(t, app, "status")
	if strings.Count(line, "\n") != 1 {
		t.Fatalf("not one line: %q", line)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(line), &got); err != nil {
		t.Fatal(err)
	}
	want := clk.now.Add(60 * time.Second).UTC().Format(time.RFC3339)
	if got["pending"] != 1.0 || got["accepted"] != 2.0 || got["accepted_with_errors"] != 0.0 || got["rejected"] != 1.0 ||
		got["next_send_at"] != want || got["last_error"] != "" || len(got) != 6 {
		t.Errorf("status: %s (next send at %s)", line, want)
	}
	clk.advance(time.Minute)
	if line := runCommand(t, app, "status"); !strings.Contains(line, `"next_send_at":null`) {
		t.Errorf("once the wait is over: %s", line)
	}
}

// TestTheExportIsWhatTheAEATReceives writes every record as requests and
// checks them against SuministroLR.xsd; --from and --to choose the days.
func TestTheExportIsWhatTheAEATReceives(t *testing.T) {
	app := apptest.New(t)
	setEnvironment(t, app, true, verifactu.EnvTest)
	invs := issueMany(t, app, 3)
	if _, err := invoicing.Void(app, invs[1].Id, "Duplicada", staff); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var summary struct {
		Records int      `json:"records"`
		Files   []string `json:"files"`
	}
	if err := json.Unmarshal([]byte(runCommand(t, app, "export", "--out", dir)), &summary); err != nil {
		t.Fatal(err)
	}
	// The world's two invoices, three more and a cancellation.
	if summary.Records != 6 || len(summary.Files) != 1 {
		t.Fatalf("export: %+v", summary)
	}
	doc, err := os.ReadFile(summary.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	aeattest.Validate(t, doc, "SuministroLR.xsd")
	if strings.Count(string(doc), "<RegistroAlta ") != 5 || strings.Count(string(doc), "<RegistroAnulacion ") != 1 {
		t.Errorf("the export holds %d altas and %d cancellations", strings.Count(string(doc), "<RegistroAlta "), strings.Count(string(doc), "<RegistroAnulacion "))
	}
	for _, r := range records(t, app, "") {
		if !strings.Contains(string(doc), r.GetString("xml")) {
			t.Errorf("record %d is not in the export as it was made", r.GetInt("seq"))
		}
	}
	tomorrow := clock.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	if err := json.Unmarshal([]byte(runCommand(t, app, "export", "--out", t.TempDir(), "--from", tomorrow)), &summary); err != nil || summary.Records != 0 {
		t.Errorf("records made from %s: %+v %v", tomorrow, summary, err)
	}
	// --to takes the days up to the one named, in Madrid.
	last := records(t, app, "")[5].GetDateTime("generated_at").Time().In(clock.Zone)
	day := last.Format(time.DateOnly)
	madeBy := func(d string) int {
		n := 0
		for _, r := range records(t, app, "") {
			if r.GetDateTime("generated_at").Time().In(clock.Zone).Format(time.DateOnly) <= d {
				n++
			}
		}
		return n
	}
	for _, d := range []string{day, last.AddDate(0, 0, -1).Format(time.DateOnly)} {
		if err := json.Unmarshal([]byte(runCommand(t, app, "export", "--out", t.TempDir(), "--to", d)), &summary); err != nil || summary.Records != madeBy(d) {
			t.Errorf("records made up to %s: %+v, want %d: %v", d, summary, madeBy(d), err)
		}
	}
	if madeBy(day) != 6 {
		t.Errorf("%d records made by the day of the last one", madeBy(day))
	}
}

// TestTheCertificateChoosesTheEndpoint: a person's certificate (a
// representative's) goes to www1/prewww1, an entity seal to
// www10/prewww10; the status warns of its expiry 30 days before.
func TestTheCertificateChoosesTheEndpoint(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	for _, tc := range []struct {
		seal bool
		env  string
	}{{false, verifactu.EnvTest}, {true, verifactu.EnvTest}, {false, verifactu.EnvProduction}, {true, verifactu.EnvProduction}} {
		subject := certtest.Representative()
		if tc.seal {
			subject = certtest.Seal()
		}
		loadCertificate(t, app, s, &subject, clock.Now().AddDate(0, 0, 20))
		setEnvironment(t, app, true, tc.env)
		st, err := verifactu.LoadStatus(app)
		if err != nil {
			t.Fatal(err)
		}
		if want := aeat.Endpoint(tc.env, tc.seal); st.Endpoint != want || st.Certificate == nil || st.Certificate.EntitySeal != tc.seal {
			t.Errorf("%s, seal %v: endpoint %s, want %s", tc.env, tc.seal, st.Endpoint, want)
		}
		if !st.Certificate.ExpiresSoon || st.Certificate.Expired {
			t.Errorf("a certificate expiring in 20 days: %+v", st.Certificate)
		}
	}
	// The warning comes 30 days before the certificate expires, not sooner.
	loadCertificate(t, app, s, nil, clock.Now().AddDate(0, 0, 31))
	if st, err := verifactu.LoadStatus(app); err != nil || st.Certificate == nil || st.Certificate.ExpiresSoon {
		t.Errorf("a certificate expiring in 31 days: %+v %v", st.Certificate, err)
	}
	loadCertificate(t, app, s, nil, clock.Now().AddDate(0, 0, 29))
	if st, err := verifactu.LoadStatus(app); err != nil || st.Certificate == nil || !st.Certificate.ExpiresSoon {
		t.Errorf("a certificate expiring in 29 days: %+v %v", st.Certificate, err)
	}
}

// TestInvoicesIssuedBeforeRecordsGetTheirs removes every record, as in a
// database from before they were kept: the invoices get records of their
// issues, never sent, and the next issue chains after them.
func TestInvoicesIssuedBeforeRecordsGetTheirs(t *testing.T) {
	app := apptest.New(t)
	invs := issueMany(t, app, 3)
	if _, err := app.DB().NewQuery("DELETE FROM verifactu_records").Execute(); err != nil {
		t.Fatal(err)
	}
	if err := verifactu.RecordLegacyInvoices(app); err != nil {
		t.Fatal(err)
	}
	rs := records(t, app, "")
	if len(rs) != 5 || rs[4].GetString("invoice") != invs[2].Id || rs[4].GetString("status") != verifactu.StatusNotSent || rs[4].GetBool("verifactu") {
		t.Fatalf("%d records made; the last %v", len(rs), rs[len(rs)-1])
	}
	next := issueNew(t, app, apptest.CustomerA)
	if next.GetString("prev_hash") != rs[4].GetString("huella") {
		t.Errorf("the next issue chains to %s, not to the last record", next.GetString("prev_hash"))
	}
	verifyOK(t, app)
	if err := verifactu.RecordLegacyInvoices(app); err != nil || len(records(t, app, "")) != 6 {
		t.Errorf("a second run made records: %v", err)
	}
}

// TestRecordsAreTheProductsAlone: nobody else writes or deletes a record,
// and not even the product changes what one says.
func TestRecordsAreTheProductsAlone(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	r := records(t, app, apptest.IssuedA)[0]
	r.Set("status", verifactu.StatusAccepted)
	if err := app.Save(r); err == nil {
		t.Error("Go code outside the package changed a record")
	}
	if err := app.Delete(r); err == nil {
		t.Error("a record was deleted")
	}
	for _, tc := range []struct{ method, path, token, body string }{
		{"GET", "/api/collections/verifactu_records/records", apptest.Tokens.ContactA, ""},
		{"PATCH", "/api/collections/verifactu_records/records/" + r.Id, apptest.Tokens.Staff, `{"xml":"<x/>"}`},
		{"POST", "/api/collections/verifactu_records/records", apptest.Tokens.Staff, `{"invoice":"` + apptest.IssuedA + `","kind":"alta","issuer_tax_id":"B12345674"}`},
		{"DELETE", "/api/collections/verifactu_records/records/" + r.Id, apptest.Tokens.Staff, ""},
	} {
		res := apptest.Call(t, tc.method, base+tc.path, tc.token, tc.body)
		if res.Status < 400 {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, res.Status, res.Body)
		}
	}
	if res := apptest.Call(t, "GET", base+"/api/collections/verifactu_records/records", apptest.Tokens.Staff, ""); res.Status != 200 || !strings.Contains(string(res.Body), r.Id) {
		t.Errorf("staff read the records: %d", res.Status)
	}
	stored, _ := app.FindRecordById(verifactu.Records, r.Id)
	if stored.GetString("xml") != r.GetString("xml") || stored.GetString("status") != verifactu.StatusNotSent {
		t.Error("the record changed")
	}
}
