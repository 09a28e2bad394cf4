package invoicing_test

import (
	"bytes"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
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
			if tc.name != "a deleted link" && tc.name != "the number" && !strings.Contains(out.String(), target) {
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
