package ui

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

func TestShippedLanguagesDefineTheSameKeys(t *testing.T) {
	cats, err := readCatalogs(Files)
	if err != nil {
		t.Fatal(err)
	}
	es, en := cats["es"], cats["en"]
	if len(es) == 0 || len(en) == 0 {
		t.Fatalf("es has %d keys, en has %d: both must be shipped", len(es), len(en))
	}
	for k := range es {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in es.json but not in en.json", k)
		}
	}
	for k := range en {
		if _, ok := es[k]; !ok {
			t.Errorf("key %q is in en.json but not in es.json", k)
		}
	}
}

// The files are edited by hand by several people; sorted keys keep merges
// and reviews simple.
func TestTranslationFilesAreFlatObjectsWithSortedKeys(t *testing.T) {
	names, err := fs.Glob(Files, "i18n/*.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no translation files: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		keys := objectKeysInFileOrder(t, data)
		if !slices.IsSorted(keys) {
			t.Errorf("%s: keys are not sorted", name)
		}
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) != nil {
				t.Errorf("%s: %q is not a string (the files are flat)", name, k)
			}
		}
	}
}

func objectKeysInFileOrder(t *testing.T, data []byte) []string {
	t.Helper()
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestTFallsBackToEnglishThenToTheKey(t *testing.T) {
	cats, err := readCatalogs(fstest.MapFS{
		"i18n/en.json": {Data: []byte(`{"a": "A en", "b": "B en"}`)},
		"i18n/es.json": {Data: []byte(`{"a": "A es"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	saved := loadCatalogs()
	catalogs = cats
	t.Cleanup(func() { catalogs = saved })

	for _, tc := range []struct{ lang, key, want string }{
		{"es", "a", "A es"},
		{"es-ES", "a", "A es"},
		{"ES", "a", "A es"},
		{"en", "a", "A en"},
		{"es", "b", "B en"},
		{"fr", "a", "A en"},
		{"es", "missing", "missing"},
	} {
		if got := T(tc.lang, tc.key); got != tc.want {
			t.Errorf("T(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
}

func TestReadCatalogsRejectsNestedObjects(t *testing.T) {
	_, err := readCatalogs(fstest.MapFS{
		"i18n/en.json": {Data: []byte(`{"pdf": {"invoice": "Invoice"}}`)},
	})
	if err == nil {
		t.Fatal("a nested object was accepted")
	}
}

func TestTReadsTheEmbeddedFiles(t *testing.T) {
	if got := T("es", "pdf.invoice"); got != "Factura" {
		t.Errorf(`T("es", "pdf.invoice") = %q, want "Factura"`, got)
	}
	if got := T("en", "pdf.invoice"); got != "Invoice" {
		t.Errorf(`T("en", "pdf.invoice") = %q, want "Invoice"`, got)
	}
}

func TestPickChoosesTheFirstLanguageSpoken(t *testing.T) {
	cases := []struct {
		langs []string
		want  string
	}{
		{nil, DefaultLang},
		{[]string{""}, DefaultLang},
		{[]string{"fr", ""}, DefaultLang},
		{[]string{"", "en"}, "en"},
		{[]string{"en-GB", "es"}, "en"},
		{[]string{"ES_es"}, "es"},
		{[]string{"de", "en", "es"}, "en"},
	}
	for _, c := range cases {
		if got := Pick(c.langs...); got != c.want {
			t.Errorf("Pick(%q) = %q, want %q", c.langs, got, c.want)
		}
	}
}

func TestAcceptLanguageReadsTheBrowsersOrder(t *testing.T) {
	cases := map[string]string{
		"":                             "",
		"fr-FR,fr;q=0.9":               "",
		"en-US,en;q=0.9,es;q=0.8":      "en",
		"fr-FR, es-ES;q=0.8, en;q=0.5": "es",
		"de;q=1.0, EN":                 "en",
	}
	for header, want := range cases {
		if got := AcceptLanguage(header); got != want {
			t.Errorf("AcceptLanguage(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestEveryLanguageSpokenHasItsCatalogue(t *testing.T) {
	cats := loadCatalogs()
	for _, l := range Languages {
		if len(cats[l]) == 0 {
			t.Errorf("%q is spoken but i18n/%s.json is missing or empty", l, l)
		}
	}
	if len(cats) != len(Languages) {
		t.Errorf("%d catalogues shipped for %d languages spoken: list them in Languages", len(cats), len(Languages))
	}
	if !Speaks(DefaultLang) || !Speaks(FallbackLang) {
		t.Error("the default and fallback languages must be spoken")
	}
}
