// Package apptest builds test apps: a fresh copy of a migrated database with
// the product's hooks bound and a small, fixed world in it (the firm, a staff
// member, two customers each with an approving contact, an issued invoice
// and a draft each), so that tests can name records and sign in directly.
package apptest

import (
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/hooks"
	_ "facturo/pb_migrations"
)

// The fixed world. Ids are fixed so that URLs can be written in tables.
const (
	StaffEmail = "staff@firm.example"

	CustomerA = "custalfa0000001"
	CustomerB = "custbeta0000001"
	ContactA  = "contalfa0000001"
	ContactB  = "contbeta0000001"
	ViewerA   = "viewalfa0000001"

	IssuedA = "invalfaissued01"
	DraftA  = "invalfadraft001"
	IssuedB = "invbetaissued01"
	DraftB  = "invbetadraft001"

	// IssuedLines is the one line of each fixture invoice: 100 € + 21 % VAT.
	IssuedLines = `[{"description":"Consultoría","quantity":1,"unit_price":"100","vat":21}]`
)

// Tokens sign requests in as the fixture's people; they are valid in every
// app New returns, which all copy one database.
var Tokens struct {
	Staff, ContactA, ContactB, ViewerA string
}

var (
	templateOnce sync.Once
	templateDir  string
	templateErr  error
)

// Run runs a package's tests and removes the template database afterwards;
// call it from TestMain.
func Run(m *testing.M) int {
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	return code
}

// New returns a fresh test app holding the fixed world, with the product's
// hooks and routes bound. It is cleaned up when the test ends.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	templateOnce.Do(func() { templateDir, templateErr = buildTemplate() })
	if templateErr != nil {
		t.Fatalf("building the test database: %v", templateErr)
	}
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: templateDir, EncryptionEnv: "pb_test_env", DataMaxOpenConns: hooks.DataConnections, DataMaxIdleConns: hooks.DataConnections})
	if err != nil {
		t.Fatal(err)
	}
	hooks.RegisterApp(app)
	t.Cleanup(app.Cleanup)
	return app
}

// Serve starts the app's HTTP handler on a loopback port and returns its
// base URL; it stops when the test ends.
func Serve(t testing.TB, app core.App) string {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var url string
	err = app.OnServe().Trigger(&core.ServeEvent{App: app, Router: router}, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		if err != nil {
			return err
		}
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		url = srv.URL
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return url
}

// ClearWorld removes the fixed world's customers and everything about
// them, for tests that load a world of their own (the demo's).
func ClearWorld(t testing.TB, app core.App) {
	t.Helper()
	if _, err := app.DB().NewQuery("DELETE FROM verifactu_records; DELETE FROM payments; DELETE FROM events; DELETE FROM messages; DELETE FROM invoices; DELETE FROM series_counters; DELETE FROM contacts; DELETE FROM customers").Execute(); err != nil {
		t.Fatal(err)
	}
}
