package remind_test

import (
	"strings"
	"testing"

	"facturo/hooks/remind"
	"facturo/internal/apptest"
)

// Planning reads the open invoices through their index by due date, not by
// scanning every invoice.
func TestPlanQueryUsesTheOpenInvoicesIndex(t *testing.T) {
	app := apptest.New(t)
	plan, err := remind.ExplainPlanQuery(app)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "idx_invoices_open_due") || strings.Contains(plan, "SCAN i ") {
		t.Errorf("the planning query does not use idx_invoices_open_due:\n%s", plan)
	}
}
