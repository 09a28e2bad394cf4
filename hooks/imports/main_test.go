package imports_test

import (
	"os"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// countAll counts the records of every collection an import may write.
func countAll(t testing.TB, app core.App) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, c := range []string{invoicing.Customers, invoicing.Invoices, invoicing.Events, mail.Messages, invoicing.SeriesCounters} {
		n, err := app.CountRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		out[c] = n
	}
	return out
}
