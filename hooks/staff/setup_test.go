package staff_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestFirstRunOpensTheSetup: a firm without any invoice is sent from the
// overview to the setup, whose steps are ticked as they are done and lead
// to the workspace's forms; once an invoice exists the overview opens.
func TestFirstRunOpensTheSetup(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("legal_name", "")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	req, _ := http.NewRequest(http.MethodGet, base+"/app/", nil)
	if p := b.Do(req); p.Status != http.StatusSeeOther {
		t.Fatalf("the first run's overview: %d", p.Status)
	}
	done := regexp.MustCompile(`class="done" data-step="(\w+)"`)
	steps := func() string {
		p := b.Get("/app/setup?lang=es")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "Primeros pasos") || !strings.Contains(p.Body, `href="/app/customers/new"`) {
			t.Fatalf("the setup page: %d", p.Status)
		}
		var keys []string
		for _, m := range done.FindAllStringSubmatch(p.Body, -1) {
			keys = append(keys, m[1])
		}
		return strings.Join(keys, " ")
	}
	if got := steps(); got != "" {
		t.Errorf("steps done at first: %q", got)
	}
	issuer.Set("legal_name", "Talleres Norte S.L.")
	if err := app.Save(issuer); err != nil {
		t.Fatal(err)
	}
	if got := steps(); got != "profile" {
		t.Errorf("steps done after the profile: %q", got)
	}
	if p := b.Get("/app/?setup=skip&lang=en"); p.Status != http.StatusOK {
		t.Errorf("skipping the setup: %d", p.Status)
	}
}
