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

// apiError is an error that keeps the errors of its fields, as
// PocketBase's API errors do.
type apiError struct {
	message string
	fields  map[string]error
}

func (e *apiError) Error() string { return e.message }
func (e *apiError) RawData() any  { return e.fields }

func TestAPIErrorsAreWrittenByTheirFieldsKey(t *testing.T) {
	key := "err.test.field"
	saved := loadCatalogs()
	catalogs = map[string]map[string]string{}
	for lang, c := range saved {
		catalogs[lang] = map[string]string{key: map[string]string{"en": "{n} is late", "es": "{n} llega tarde"}[lang]}
		for k, v := range c {
			catalogs[lang][k] = v
		}
	}
	t.Cleanup(func() { catalogs = saved })
	keyed := fmt.Errorf("issuing: %w", &apiError{message: "In English.", fields: map[string]error{
		"a_plain": fmt.Errorf("plain"), "b_keyed": Errorf(key, Args{"n": "X"}),
	}})
	if got, ok := Translated("es", keyed); !ok || got != "X llega tarde" {
		t.Errorf("Spanish: %q %v", got, ok)
	}
	if got := Message("en", keyed); got != "X is late" {
		t.Errorf("English: %q", got)
	}
	plain := &apiError{message: "In English.", fields: map[string]error{"a": fmt.Errorf("plain")}}
	if got, ok := Translated("es", plain); ok || Message("es", plain) != "In English." {
		t.Errorf("an API error without a key: %q %v", got, ok)
	}
}
