package portal_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"facturo/internal/apptest"
	"facturo/ui"
)

// TestTheSignInPagesOfferEachLanguage: a guest's pages (sign-in, code,
// forgotten password) link to themselves in every language spoken, named in
// that language and keeping where to go next; the choice holds on the next
// page, and a contact's pages follow the contact's language instead.
func TestTheSignInPagesOfferEachLanguage(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	link := func(body, lang string) string {
		m := regexp.MustCompile(`<a class="muted" lang="` + lang + `" hreflang="` + lang + `" href="([^"]+)">([^<]+)</a>`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		if m[2] != ui.T(lang, "language."+lang) {
			t.Errorf("the link to %s reads %q", lang, m[2])
		}
		return html.UnescapeString(m[1])
	}
	for _, c := range []struct {
		path, title string
	}{
		{"/portal/login?next=/portal/invoices", "portal.signin.title"},
		{"/portal/code", "portal.code.title"},
		{"/portal/forgot", "portal.forgot.title"},
	} {
		for _, from := range ui.Languages {
			for _, to := range ui.Languages {
				page := b.Get(c.path + sep(c.path) + "lang=" + from)
				if !strings.Contains(page.Body, `<html lang="`+from+`">`) || !strings.Contains(page.Body, html.EscapeString(ui.T(from, c.title))) {
					t.Fatalf("%s?lang=%s is not in %s", c.path, from, from)
				}
				if from == to {
					if link(page.Body, to) != "" || !strings.Contains(page.Body, `<strong lang="`+to+`" aria-current="true">`+ui.T(to, "language."+to)+`</strong>`) {
						t.Errorf("%s in %s: its own language is a link, or not marked current", c.path, from)
					}
					continue
				}
				href := link(page.Body, to)
				if href == "" {
					t.Fatalf("%s in %s offers no %s", c.path, from, to)
				}
				if strings.Contains(c.path, "next=") && !strings.Contains(href, "next=%2Fportal%2Finvoices") {
					t.Errorf("%s: the link to %s forgets where to go next: %s", c.path, to, href)
				}
				if p := b.Get(href); !strings.Contains(p.Body, `<html lang="`+to+`">`) {
					t.Errorf("%s, following the %s link from %s: not in %s", c.path, to, from, to)
				}
				// The choice holds without ?lang=, whatever the browser asks.
				if p := b.Get("/portal/forgot"); !strings.Contains(p.Body, `<html lang="`+to+`">`) {
					t.Errorf("after choosing %s, the next page is not in it", to)
				}
			}
		}
	}
	// Signed in, the contact's language rules and no switch is shown.
	b.Get("/portal/login?lang=en")
	b.signIn("ana@alfa.example")
	home := b.Get("/portal/?lang=en")
	if !strings.Contains(home.Body, `<html lang="es">`) || strings.Contains(home.Body, `hreflang=`) {
		t.Error("a contact's page follows ?lang= or shows the guest's language switch")
	}
}

// TestThePortalHeaderLinksToTheInvoices: every page of a signed-in contact
// links, in its header, to the list of invoices.
func TestThePortalHeaderLinksToTheInvoices(t *testing.T) {
	app := apptest.New(t)
	b := newBrowser(t, apptest.Serve(t, app))
	b.signIn("ana@alfa.example")
	header := regexp.MustCompile(`(?s)<header>.*?</header>`)
	for _, path := range []string{"/portal/", "/portal/invoices", "/portal/invoices/" + apptest.IssuedA, "/portal/quotes", "/portal/profile"} {
		h := header.FindString(b.Get(path).Body)
		if !strings.Contains(h, `<a class="muted" href="/portal/invoices">`+ui.T("es", "portal.invoices")+`</a>`) {
			t.Errorf("%s: the header does not link to the invoices:\n%s", path, h)
		}
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}
