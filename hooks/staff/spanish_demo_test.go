package staff_test

import (
	"regexp"
	"testing"

	"facturo/hooks/demo"
	"facturo/internal/apptest"
)

// TestTheDemoWorkspaceSpeaksSpanish: the workspace's pages over the demo's
// world, where every state an invoice, a customer, a reminder, a bank
// movement or a webhook can be in shows up, are in Spanish: no catalogue
// key, no known English sentence.
func TestTheDemoWorkspaceSpeaksSpanish(t *testing.T) {
	app := apptest.New(t)
	apptest.ClearWorld(t, app)
	if seeded, err := demo.Seed(app); err != nil || !seeded {
		t.Fatalf("seeding the demo: %v %v", seeded, err)
	}
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	pages := []string{"/app/", "/app/invoices", "/app/customers", "/app/inbox", "/app/webhooks", "/app/bank", "/app/reminders",
		"/app/verifactu", "/app/products", "/app/recurring", "/app/settings", "/app/quotes", "/app/import"}
	links := regexp.MustCompile(`href="(/app/(?:invoices|customers|quotes|recurring)/[a-z0-9]{15})"`)
	seen := map[string]bool{}
	for _, path := range pages {
		p := b.Get(inSpanish(path))
		for _, problem := range apptest.NotSpanish(p.Body) {
			t.Errorf("%s (%d): %s", path, p.Status, problem)
		}
		for _, m := range links.FindAllStringSubmatch(p.Body, 12) {
			if seen[m[1]] {
				continue
			}
			seen[m[1]] = true
			page := b.Get(inSpanish(m[1]))
			for _, problem := range apptest.NotSpanish(page.Body) {
				t.Errorf("%s (%d): %s", m[1], page.Status, problem)
			}
		}
	}
	if len(seen) < 10 {
		t.Errorf("only %d records' pages were read", len(seen))
	}
}
