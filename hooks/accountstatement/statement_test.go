package accountstatement_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/accountstatement"
	"facturo/hooks/invoicing"
	"facturo/hooks/invoicing/interest"
	"facturo/internal/apptest"
	"facturo/internal/toolcheck"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

var asOf = time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)

// world gives customer A, besides the fixture's invoice, an invoice of
// 1,000 € due on 30 September 2025, half paid on 15 October, and the rate
// of the second half of 2025.
func world(t *testing.T, app core.App) *core.Record {
	t.Helper()
	// The seeded rate of the second half of 2025, which the figures below
	// were worked out with.
	if _, err := app.FindFirstRecordByFilter(interest.Rates, "from = '2025-07-01 00:00:00.000Z' && rate = 10.15"); err != nil {
		t.Fatalf("the rate of the second half of 2025: %v", err)
	}
	inv := issue(t, app, apptest.CustomerA, "2025-09-01", "2025-09-30", "1000")
	if _, err := invoicing.RecordPayment(app, inv.Id, invoicing.Payment{
		Amount: decimal.NewFromInt(500), PaidOn: time.Date(2025, 10, 15, 0, 0, 0, 0, time.UTC), Reference: "TRF-778",
	}, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	return inv
}

func issue(t testing.TB, app core.App, customer, issued, due, amount string) *core.Record {
	t.Helper()
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"customer": customer, "issue_date": issued, "due_date": due,
		"lines": `[{"description":"Obra","quantity":1,"unit_price":"` + amount + `","vat":0,"vat_exemption":"Exenta (art. 20 LIVA)"}]`,
	})
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	inv, err := invoicing.IssueRecord(app, r.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestStatementShowsOpenInvoicesPaymentsAndTotals(t *testing.T) {
	app := apptest.New(t)
	inv := world(t, app)
	number := inv.GetString("number")

	// Open: the fixture's 121 € with 21 paid (not yet due), and 500 of
	// 1,000 € 31 days late: 1–15 October on 1,000, 16–31 on 500 at
	// 10.15 % = 6.40 € of interest, and 40 € of compensation. Outstanding
	// 100 + 500 = 600; claimable 600 + 6.40 + 40 = 646.40.
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"es", []string{"EXTRACTO DE CUENTA", "Extracto de cuenta a 31/10/2025", "Alfa Comercial S.L.", "B87654323",
			number, "01/09/2025", "30/09/2025", "1.000,00 €", "500,00 €", "6,40 €", "40,00 €",
			"15/10/2025", "Transferencia bancaria", "TRF-778",
			"Pendiente de pago", "600,00 €", "Total reclamable", "646,40 €", "ES91 2100 0418 4502 0005 1332", "Página 1 de 1"}},
		{"en", []string{"STATEMENT OF ACCOUNT", "Statement of account as of 31 Oct 2025", number, "1 Sep 2025", "30 Sep 2025",
			"€1,000.00", "€500.00", "€6.40", "€40.00", "15 Oct 2025", "Bank transfer", "TRF-778",
			"Outstanding", "€600.00", "Total claimable", "€646.40", "Page 1 of 1"}},
	} {
		doc, err := accountstatement.StatementPDF(app, apptest.CustomerA, asOf, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("STATEMENT_SAMPLES"); dir != "" {
			os.WriteFile(dir+"/statement-"+c.lang+".pdf", doc, 0o644)
		}
		text := toolcheck.PDFText(t, doc)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q missing from\n%s", c.lang, w, text)
			}
		}
		again, err := accountstatement.StatementPDF(app, apptest.CustomerA, asOf, c.lang)
		if err != nil || !bytes.Equal(doc, again) {
			t.Errorf("%s: two renderings differ (%v)", c.lang, err)
		}
	}
}

func TestStatementPaginatesHundredsOfInvoices(t *testing.T) {
	app := apptest.New(t)
	world(t, app)
	for i := range 300 {
		issue(t, app, apptest.CustomerB, "2025-09-01", fmt.Sprintf("2025-09-%02d", 1+i%30), "100")
	}
	doc, err := accountstatement.StatementPDF(app, apptest.CustomerB, asOf, "es")
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("STATEMENT_SAMPLES"); dir != "" {
		os.WriteFile(dir+"/statement-300.pdf", doc, 0o644)
	}
	pages := strings.Split(strings.TrimRight(toolcheck.PDFText(t, doc), "\f"), "\f")
	if len(pages) < 5 {
		t.Fatalf("300 invoices on %d pages", len(pages))
	}
	for i, p := range pages {
		if want := fmt.Sprintf("Página %d de %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
		if i > 0 && i < len(pages)-1 && (!strings.Contains(p, "Pendiente") || !strings.Contains(p, "Extracto de cuenta Beta Distribuciones")) {
			t.Errorf("page %d lacks the repeated header:\n%s", i+1, p)
		}
	}
	all := strings.Join(pages, "")
	// A-2025-000001 is customer A's.
	for i := 2; i <= 301; i++ {
		if n := fmt.Sprintf("A-2025-%06d", i); !strings.Contains(all, n) {
			t.Fatalf("%s missing", n)
		}
	}
}

func TestStatementRoute(t *testing.T) {
	app := apptest.New(t)
	world(t, app)
	base := apptest.Serve(t, app)
	url := base + "/api/customers/" + apptest.CustomerA + "/statement.pdf?as_of=2025-10-31"

	for _, c := range []struct {
		who, token string
		status     int
	}{
		{"staff", apptest.Tokens.Staff, 200},
		{"its contact", apptest.Tokens.ContactA, 200},
		{"its viewer", apptest.Tokens.ViewerA, 200},
		{"another customer's contact", apptest.Tokens.ContactB, 404},
		{"nobody", "", 403},
	} {
		res := apptest.Call(t, "GET", url, c.token, "")
		if res.Status != c.status {
			t.Errorf("%s: %d %s", c.who, res.Status, res.Body)
			continue
		}
		if c.status == 200 {
			if !bytes.HasPrefix(res.Body, []byte("%PDF-")) || res.Header.Get("Content-Type") != "application/pdf" {
				t.Errorf("%s: not a PDF", c.who)
			}
			if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="Extracto-Alfa-Comercial-SL-2025-10-31.pdf"` {
				t.Errorf("%s: Content-Disposition %q", c.who, cd)
			}
		}
	}
	if res := apptest.Call(t, "GET", base+"/api/customers/nosuchcustomer1/statement.pdf", apptest.Tokens.Staff, ""); res.Status != 404 {
		t.Errorf("unknown customer: %d", res.Status)
	}
	if res := apptest.Call(t, "GET", url+"&lang=fr", apptest.Tokens.Staff, ""); res.Status != 400 {
		t.Errorf("lang=fr: %d", res.Status)
	}
	// A half-year without a rate: the interest stops the day before it, and
	// the statement says so rather than failing.
	if _, err := app.DB().NewQuery("DELETE FROM interest_rates WHERE `from` >= '2026-07-01'").Execute(); err != nil {
		t.Fatal(err)
	}
	res := apptest.Call(t, "GET", base+"/api/customers/"+apptest.CustomerA+"/statement.pdf?as_of=2026-07-10", apptest.Tokens.Staff, "")
	if res.Status != 200 {
		t.Fatalf("missing rate: %d %s", res.Status, res.Body)
	}
	if text := strings.Join(strings.Fields(toolcheck.PDFText(t, res.Body)), " "); !strings.Contains(text, "calculados hasta el 30/06/2026") {
		t.Errorf("the statement does not say interest stops on 30/06/2026:\n%s", text)
	}
}

func TestFileName(t *testing.T) {
	for name, want := range map[string]string{
		"Alfa Comercial S.L.":    "Extracto-Alfa-Comercial-SL-2025-10-31.pdf",
		"Peñalver & Hijos, S.A.": "Extracto-Penalver-Hijos-SA-2025-10-31.pdf",
		"  ":                     "Extracto-cliente-2025-10-31.pdf",
	} {
		if got := accountstatement.FileName(name, asOf); got != want {
			t.Errorf("FileName(%q) = %q, want %q", name, got, want)
		}
	}
}
