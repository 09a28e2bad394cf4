package ui

import (
	"fmt"
	"testing"
)

func TestErrorsAreWrittenInTheReadersLanguage(t *testing.T) {
	cats := map[string]map[string]string{
		"en": {"err.test.inner": "{n} is wrong", "err.test.outer": "row {row}: {problem}"},
		"es": {"err.test.inner": "{n} está mal", "err.test.outer": "fila {row}: {problem}"},
	}
	saved := loadCatalogs()
	catalogs = map[string]map[string]string{}
	for lang, c := range saved {
		catalogs[lang] = map[string]string{}
		for k, v := range c {
			catalogs[lang][k] = v
		}
		for k, v := range cats[lang] {
			catalogs[lang][k] = v
		}
	}
	t.Cleanup(func() { catalogs = saved })
	inner := Errorf("err.test.inner", Args{"n": 3})
	outer := fmt.Errorf("context: %w", Errorf("err.test.outer", Args{"row": 7, "problem": inner}))

	if got := Message("es", outer); got != "fila 7: 3 está mal" {
		t.Errorf("Spanish: %q", got)
	}
	if got := Message("en", outer); got != "row 7: 3 is wrong" {
		t.Errorf("English: %q", got)
	}
	if got := outer.Error(); got != "context: row 7: 3 is wrong" {
		t.Errorf("Error(): %q", got)
	}
	if got := Message("es", fmt.Errorf("plain")); got != "plain" {
		t.Errorf("a plain error: %q", got)
	}
}
