package verifactu_test

import (
	"context"
	"crypto/x509/pkix"
	"net/url"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
	"facturo/internal/certificate/certtest"
	"facturo/internal/clock"
)

// staff is who acts in these tests.
var staff = invoicing.Actor{Email: apptest.StaffEmail, Staff: true}

// loadCertificate saves a certificate the stand-in accepts in the
// settings, with subject (the firm's seal when empty).
func loadCertificate(t testing.TB, app core.App, s *aeattest.Server, subject *pkix.Name, notAfter time.Time) {
	t.Helper()
	if subject == nil {
		seal := certtest.Seal()
		subject = &seal
	}
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filesystem.NewFileFromBytes(s.ClientPFX(t, *subject, notAfter, "clave"), "sello.p12")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("certificate", file)
	settings.Set("certificate_password", "clave")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
}

// enable switches sending on, to the stand-in, with the firm's seal.
func enable(t testing.TB, app core.App, s *aeattest.Server) {
	t.Helper()
	loadCertificate(t, app, s, nil, clock.Now().AddDate(1, 0, 0))
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("enabled", true)
	settings.Set("environment", verifactu.EnvCustom)
	settings.Set("endpoint", s.URL)
	settings.Set("server_ca", s.RootPEM)
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
}

// frozenClock runs the product's clock at a fixed moment the test moves.
type frozenClock struct{ now time.Time }

func freeze(t testing.TB) *frozenClock {
	c := &frozenClock{now: clock.Now().Truncate(time.Second)}
	t.Cleanup(clock.Set(func() time.Time { return c.now }))
	return c
}

func (c *frozenClock) advance(d time.Duration) { c.now = c.now.Add(d) }

// newDraft saves a draft for customer with lines.
func newDraft(t testing.TB, app core.App, customer, lines string, fields map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		t.Fatal(err)
	}
	r := core.NewRecord(col)
	r.Set("customer", customer)
	r.Set("lines", lines)
	r.Load(fields)
	if err := app.Save(r); err != nil {
		t.Fatalf("saving a draft: %v", err)
	}
	return r
}

// issueNew issues a fresh draft of the world's one line.
func issueNew(t testing.TB, app core.App, customer string) *core.Record {
	t.Helper()
	inv, err := invoicing.IssueRecord(app, newDraft(t, app, customer, apptest.IssuedLines, nil).Id, staff)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// records are the records of one invoice, or all (id empty), in chain
// order.
func records(t testing.TB, app core.App, invoiceID string) []*core.Record {
	t.Helper()
	filter, params := "id != ''", dbx.Params{}
	if invoiceID != "" {
		filter, params = "invoice = {:id}", dbx.Params{"id": invoiceID}
	}
	rs, err := app.FindRecordsByFilter(verifactu.Records, filter, "issuer_tax_id,seq", 0, 0, params)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// step runs one step of a sender with a short timeout.
func step(t testing.TB, s *verifactu.Sender) time.Time {
	t.Helper()
	next, err := s.Step(context.Background())
	if err != nil {
		t.Fatalf("sender step: %v", err)
	}
	return next
}

// settle steps the sender while it has something to do now.
func settle(t testing.TB, s *verifactu.Sender) {
	t.Helper()
	for i := 0; i < 20; i++ {
		next := step(t, s)
		if next.IsZero() || next.After(clock.Now()) {
			return
		}
	}
	t.Fatal("the sender keeps stepping")
}

func sender(app core.App) *verifactu.Sender {
	return &verifactu.Sender{App: app, Timeout: 20 * time.Second}
}

// statuses counts the records by status.
func statuses(t testing.TB, app core.App) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range records(t, app, "") {
		out[r.GetString("status")]++
	}
	return out
}

func verifyOK(t testing.TB, app core.App) invoicing.ChainReport {
	t.Helper()
	report, err := invoicing.VerifyChain(app)
	if err != nil || !report.OK() {
		t.Fatalf("verify-chain: %v\n%s", err, report)
	}
	return report
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// dbxType selects an invoice's timeline entries of one type.
func dbxType(typ, invoiceID string) dbx.Expression {
	return dbx.HashExp{"type": typ, "invoice": invoiceID}
}
