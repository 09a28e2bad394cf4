package invoicing_test

import (
	"bytes"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"

	"github.com/shopspring/decimal"
)

// TestVerifyChainCatchesARowEditedInSQLite edits issued invoices behind the
// application's back, straight in the database, and expects verify-chain to
// name the first one that no longer matches.
func TestVerifyChainCatchesARowEditedInSQLite(t *testing.T) {
	for _, tc := range []struct {
		name, sql, want string
	}{
		{"a total", "UPDATE invoices SET total = 12.10 WHERE number = {:n}", "total is 12.10"},
		{"the lines", `UPDATE invoices SET lines = replace(lines, '"quantity":1', '"quantity":2') WHERE number = {:n}`, "lines give"},
		{"the issue date", "UPDATE invoices SET issue_date = '2020-01-01 00:00:00.000Z' WHERE number = {:n}", "huella does not match"},
		{"the number", "UPDATE invoices SET number = 'A-2020-000001' WHERE number = {:n}", "huella does not match"},
		{"a link's previous huella", "UPDATE invoices SET prev_hash = '' WHERE number = {:n}", "previous huella"},
		{"a deleted link", "DELETE FROM invoices WHERE number = {:n}", "missing"},
		// Fields outside the huella, which only the content hash covers.
		{"the notes", "UPDATE invoices SET notes = 'Pagado' WHERE number = {:n}", "content hash does not match"},
		{"the due date", "UPDATE invoices SET due_date = '2099-01-01 00:00:00.000Z' WHERE number = {:n}", "content hash does not match"},
		{"the recipient's name", `UPDATE invoices SET recipient = json_set(recipient, '$.name', 'Otra S.L.') WHERE number = {:n}`, "content hash does not match"},
		{"the issuer's IBAN", `UPDATE invoices SET issuer = json_set(issuer, '$.iban', 'ES7921000813610123456789') WHERE number = {:n}`, "content hash does not match"},
		{"a line's description", `UPDATE invoices SET lines = replace(lines, 'Consultoría', 'Regalo') WHERE number = {:n}`, "content hash does not match"},
		{"the content hash itself", "UPDATE invoices SET content_hash = '' WHERE number = {:n}", "no content hash"},
		// The history.
		{"a deleted event", "DELETE FROM events WHERE id = (SELECT e.id FROM events e JOIN invoices i ON i.id = e.invoice WHERE i.number = {:n} LIMIT 1)", "1 of its 1 timeline entries are missing"},
		{"an event added in SQL", "INSERT INTO events (id, invoice, customer, type, created) SELECT 'fakeevent000001', id, customer, 'accepted', '2026-01-01 00:00:00.000Z' FROM invoices WHERE number = {:n}", "entries were added behind"},
		{"the paid total", "UPDATE invoices SET paid_total = 121, payment = 'paid' WHERE number = {:n}", "payments add up to 0.00 but its paid total is 121.00"},
		{"the series counter", "UPDATE series_counters SET last = last + 1", "counter says the last number given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := apptest.New(t)
			var target string
			for i := 0; i < 4; i++ {
				inv := issue(t, app, draft(t, app, apptest.CustomerA, nil).Id)
				if i == 1 {
					target = inv.GetString("number")
				}
			}
			if report, err := invoicing.VerifyChain(app); err != nil || !report.OK() || report.Checked != 6 {
				t.Fatalf("before the edit: %v %v", report, err)
			}
			if _, err := app.DB().NewQuery(tc.sql).Bind(map[string]any{"n": target}).Execute(); err != nil {
				t.Fatal(err)
			}

			var out bytes.Buffer
			cmd := invoicing.Commands(app)[0]
			cmd.SetOut(&out)
			cmd.SetArgs(nil)
			err := cmd.Execute()
			if err == nil {
				t.Fatalf("verify-chain succeeded after editing %s: %s", tc.name, out.String())
			}
			if !strings.Contains(out.String(), "BROKEN") || !strings.Contains(out.String(), tc.want) {
				t.Errorf("verify-chain said %q, want it to contain %q", out.String(), tc.want)
			}
			if tc.name != "a deleted link" && tc.name != "the number" && tc.name != "the series counter" && !strings.Contains(out.String(), target) {
				t.Errorf("verify-chain did not name %s: %s", target, out.String())
			}
		})
	}
}

func TestVerifyChainSaysOKWhenIntact(t *testing.T) {
	app := apptest.New(t)
	var out bytes.Buffer
	cmd := invoicing.Commands(app)[0]
	cmd.SetOut(&out)
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil || !strings.HasPrefix(out.String(), "OK: 2 issued invoices") {
		t.Errorf("verify-chain on an intact chain: %v %q", err, out.String())
	}
}

// TestVerifyChainListsEveryBrokenInvoice breaks three invoices in three
// ways, deletes a payment of a fourth, and expects each named, not just the
// first.
func TestVerifyChainListsEveryBrokenInvoice(t *testing.T) {
	app := apptest.New(t)
	var numbers []string
	for i := 0; i < 5; i++ {
		numbers = append(numbers, issue(t, app, draft(t, app, apptest.CustomerA, nil).Id).GetString("number"))
	}
	if _, err := invoicing.RecordPayment(app, find(t, app, invoicing.Invoices, apptest.IssuedB).Id,
		invoicing.Payment{Amount: decimal.RequireFromString("10")}, invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
		t.Fatal(err)
	}
	for _, edit := range []struct{ sql, number string }{
		{"UPDATE invoices SET notes = 'x' WHERE number = {:n}", numbers[0]},
		{"UPDATE invoices SET total = 1 WHERE number = {:n}", numbers[2]},
		{"UPDATE invoices SET recipient = json_set(recipient, '$.tax_id', 'B00000000') WHERE number = {:n}", numbers[4]},
		{"DELETE FROM payments WHERE invoice = (SELECT id FROM invoices WHERE number = {:n})", find(t, app, invoicing.Invoices, apptest.IssuedB).GetString("number")},
	} {
		if _, err := app.DB().NewQuery(edit.sql).Bind(map[string]any{"n": edit.number}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	report, err := invoicing.VerifyChain(app)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, p := range report.Problems {
		named[p.Number] = true
	}
	for _, n := range []string{numbers[0], numbers[2], numbers[4], find(t, app, invoicing.Invoices, apptest.IssuedB).GetString("number")} {
		if !named[n] {
			t.Errorf("invoice %s is not named in:\n%s", n, report)
		}
	}
	if named[numbers[1]] || named[numbers[3]] {
		t.Errorf("an intact invoice is named:\n%s", report)
	}
}
