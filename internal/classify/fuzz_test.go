package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzClassify feeds damaged and hostile messages to the classifier, seeded
// with every fixture. It runs the classifier without its recover, so that
// a panic is a failure, and checks that what comes out is well formed.
func FuzzClassify(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{
		filepath.Join("testdata", "postfix", "*.eml"),
		filepath.Join(publicCorpus, "*.eml"),
	} {
		m, _ := filepath.Glob(pattern)
		seeds = append(seeds, m...)
	}
	for _, s := range seeds {
		raw, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, o := range []Options{{}, {MaxSize: 512}} {
			start := time.Now()
			res, err := o.classify(raw)
			if d := time.Since(start); d > time.Second {
				t.Fatalf("took %v for %d bytes", d, len(raw))
			}
			if res.Kind == "" {
				t.Fatalf("no kind (err %v)", err)
			}
			if err != nil && res.Kind != KindOther {
				t.Fatalf("kind %s with error %v", res.Kind, err)
			}
			for _, s := range []string{res.Subject, res.From, res.Text} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %q", s)
				}
			}
			for _, rc := range res.Recipients {
				if !utf8.ValidString(rc.Diagnostic) || !utf8.ValidString(rc.Address) {
					t.Fatalf("invalid UTF-8 in recipient %+v", rc)
				}
			}
		}
	})
}

// FuzzStripQuoted feeds any text to the quote stripper: what comes out is
// made of the input's own lines (trimmed), none of them quoted with ">",
// in the same order, and it comes out fast.
func FuzzStripQuoted(f *testing.F) {
	for _, s := range []string{
		"Pagado.\nEl 4/12/26 a las 15:09, ACME escribió:\n> Factura",
		"Paid.\nOn Fri, Dec 4, 2026 at 3:09 PM ACME <\nb@acme.example> wrote:\n> x",
		"Danke\n\nGesendet: Freitag, 04. Dezember 2026 um 15:09 Uhr\nVon: ACME <r@acme.example>\nBetreff: Rechnung",
		"Merci\n________________________________\nDe : ACME\nEnvoyé : vendredi\nObjet : Facture\n\nTexte",
		"Dzięki\nWiadomość napisana przez ACME <f@acme.example> w dniu 4 gru\n2026, o godz. 15:09:\n> x",
		"a\n-- \nsig",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		start := time.Now()
		out := stripQuoted(in)
		if d := time.Since(start); d > time.Second {
			t.Fatalf("took %v for %d bytes", d, len(in))
		}
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of valid input: %q", out)
		}
		if out == "" {
			return
		}
		inLines := strings.Split(strings.ReplaceAll(truncateText(in, maxTextBytes), "\u00a0", " "), "\n")
		next := 0
		for _, o := range strings.Split(out, "\n") {
			if o == "" {
				continue
			}
			if strings.HasPrefix(o, ">") {
				t.Fatalf("quoted line kept: %q", o)
			}
			for next < len(inLines) && strings.TrimSpace(inLines[next]) != o {
				next++
			}
			if next == len(inLines) {
				t.Fatalf("line %q is not one of the input's, in order\ninput %q", o, in)
			}
			next++
		}
	})
}
