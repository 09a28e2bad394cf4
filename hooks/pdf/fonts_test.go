package pdf

import (
	"regexp"
	"strings"
	"testing"
)

// European text must be drawable: the trimmed fonts keep a glyph for each of
// these characters.
const europeanSample = "ñÑçÇàèéíòóúüÜïß€«»œŒ·ãõâêôæøåäöĳłśźżčřšžőűșțğİ¿¡ªºΑλΩЖжя–—‘’“”…"

// Every European character comes back out of a PDF exactly, drawn in the
// regular font (a line's description) and in the bold one (the customer's
// name): each document's font subsets hold their glyphs, and its ToUnicode
// map takes them back to text.
func TestEuropeanTextComesBackOutOfThePDF(t *testing.T) {
	set, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	if got := set.drawable(europeanSample); got != europeanSample {
		t.Errorf("drawable changed drawable text: %q", got)
	}
	var words []string
	for sample := []rune(europeanSample); len(sample) > 0; {
		n := min(len(sample), 12)
		words = append(words, string(sample[:n]))
		sample = sample[n:]
	}
	inv := shortInvoice(1)
	inv.Lines[0].Description = strings.Join(words, " ")
	inv.Customer.Name = strings.Join(words, " ")
	text := strings.Join(pageTexts(t, inv), "\f")
	for _, w := range words {
		if n := strings.Count(text, w); n < 2 {
			t.Errorf("pdftotext gives %q %d times, want it in the description and the customer's name:\n%s", w, n, text)
		}
	}
}

func TestDrawableReplacesWhatTheFontsLack(t *testing.T) {
	set, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]string{
		"ok 🎉 done":   "ok ? done",
		"漢字":          "??",
		"a\tb\r\nc":   "a b\nc",
		"\u0000x":     " x",
		"plain ascii": "plain ascii",
	} {
		if got := set.drawable(in); got != want {
			t.Errorf("drawable(%q) = %q, want %q", in, got, want)
		}
	}
}

// subsetName is a subset font's name: a tag of six capital letters, then
// the font's PostScript name.
var subsetName = regexp.MustCompile(`^[A-Z]{6}\+Go`)

func TestOnlyEmbeddedFonts(t *testing.T) {
	requireTool(t, "pdffonts")
	doc, err := Render(professionalInvoice())
	if err != nil {
		t.Fatal(err)
	}
	rows := pdffontsRows(t, runTool(t, "pdffonts", writePDF(t, doc)))
	if len(rows) != 2 {
		t.Errorf("pdffonts lists %d fonts, want the regular and the bold: %v", len(rows), rows)
	}
	for _, row := range rows {
		if row["emb"] != "yes" {
			t.Errorf("font %q is not embedded", row["name"])
		}
		if row["sub"] != "yes" || !subsetName.MatchString(row["name"]) {
			t.Errorf("font %q is not embedded as a subset (sub %q)", row["name"], row["sub"])
		}
		if row["uni"] != "yes" {
			t.Errorf("font %q has no ToUnicode map", row["name"])
		}
		if !strings.Contains(row["type"], "TrueType") {
			t.Errorf("font %q is of type %q, want an embedded TrueType", row["name"], row["type"])
		}
	}
}

// pdffontsRows parses pdffonts output into one map per font, keyed by column
// title. Columns are located with the dashed rule under the titles, since
// values such as the type contain spaces.
func pdffontsRows(t *testing.T, out string) []map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("unexpected pdffonts output: %q", out)
	}
	var spans [][2]int
	start := -1
	rule := lines[1] + " "
	for i, c := range rule {
		switch {
		case c == '-' && start < 0:
			start = i
		case c != '-' && start >= 0:
			spans = append(spans, [2]int{start, i})
			start = -1
		}
	}
	field := func(line string, s [2]int) string {
		if s[0] >= len(line) {
			return ""
		}
		return strings.TrimSpace(line[s[0]:min(s[1], len(line))])
	}
	var rows []map[string]string
	for _, line := range lines[2:] {
		row := map[string]string{}
		for _, s := range spans {
			row[field(lines[0], s)] = field(line, s)
		}
		rows = append(rows, row)
	}
	return rows
}

// maxOnePageSize is the most a one-page invoice may weigh, logo aside: its
// fonts embed only the glyphs it prints.
const maxOnePageSize = 45 << 10

func TestAOnePageInvoiceIsSmall(t *testing.T) {
	for name, inv := range map[string]Invoice{
		"ten lines":    shortInvoice(10),
		"professional": professionalInvoice(),
		"factur-x":     facturXInvoice(),
	} {
		doc, err := Render(inv)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc) > maxOnePageSize {
			t.Errorf("%s: %d bytes, want at most %d", name, len(doc), maxOnePageSize)
		}
	}
}
