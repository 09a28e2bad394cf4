package verifactu_test

import (
	"os"
	"strings"
	"testing"

	"facturo/hooks/verifactu"
	"facturo/internal/apptest"
)

// TestTheReadmeQuotesTheDeclaration: the declaration is made for the
// running version, and the README quotes it as the product writes it,
// every fixed point and the statement word for word.
func TestTheReadmeQuotesTheDeclaration(t *testing.T) {
	app := apptest.New(t)
	d := verifactu.DeclarationOf(app)
	if !strings.HasSuffix(d.Title, " "+verifactu.SystemVersion()) || verifactu.SystemVersion() == "" {
		t.Errorf("the declaration's title %q does not name the version %q", d.Title, verifactu.SystemVersion())
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var quoted []string
	in := false
	for _, line := range strings.Split(string(readme), "\n") {
		switch {
		case strings.HasPrefix(line, "> **Declaración responsable"):
			in = true
		case in && !strings.HasPrefix(line, ">"):
			in = false
		}
		if in {
			quoted = append(quoted, strings.TrimPrefix(strings.TrimPrefix(line, ">"), " "))
		}
	}
	text := strings.Join(strings.Fields(strings.Join(quoted, " ")), " ")
	if text == "" {
		t.Fatal("the README quotes no declaration")
	}
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, it := range d.Items {
		want := norm(it.Label + ":")
		switch it.Label[0] {
		case 'a', 'b', 'd', 'e', 'f', 'g':
			want = norm(it.Label + ": " + it.Value)
		}
		if !strings.Contains(text, want) {
			t.Errorf("the README's declaration lacks %q", want)
		}
	}
	if !strings.Contains(text, norm(d.Statement)) {
		t.Errorf("the README's declaration lacks the statement %q", d.Statement)
	}
	for _, it := range d.Items {
		if it.Label[0] == 'c' && it.Value != verifactu.SystemVersion() {
			t.Errorf("point c) says %q, the running version is %q", it.Value, verifactu.SystemVersion())
		}
	}
}
