package ui

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// Languages are the languages people read the product in.
var Languages = []string{"es", "en"}

// DefaultLang is the language of a person or firm nothing says otherwise
// about: the product is made for Spanish firms first.
const DefaultLang = "es"

// FallbackLang is the language used for a key that the requested language
// lacks: English is the catalogue every key is written in first.
const FallbackLang = "en"

// Speaks tells whether lang (a region such as "en-GB" ignored) is one of
// Languages.
func Speaks(lang string) bool {
	base := baseLang(lang)
	for _, l := range Languages {
		if l == base {
			return true
		}
	}
	return false
}

// Pick returns the first of langs the product speaks, reduced to its
// primary subtag ("en-GB" is "en"), or DefaultLang when none is: a
// contact's choice, then the customer's, then the firm's, in that order.
func Pick(langs ...string) string {
	for _, l := range langs {
		if Speaks(l) {
			return baseLang(l)
		}
	}
	return DefaultLang
}

// AcceptLanguage returns the first language of an Accept-Language header
// that the product speaks, or "" when none is (weights are ignored:
// browsers list languages in the order of preference).
func AcceptLanguage(header string) string {
	for _, part := range strings.Split(header, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if Speaks(tag) {
			return baseLang(tag)
		}
	}
	return ""
}

var (
	catalogsOnce sync.Once
	catalogs     map[string]map[string]string
)

// T returns the text for key in lang ("es", "en"; a region such as "es-ES"
// is ignored). A missing key falls back to English, then to the key itself,
// so a gap in a translation shows up on screen instead of as a blank.
func T(lang, key string) string {
	cats := loadCatalogs()
	if s, ok := cats[baseLang(lang)][key]; ok {
		return s
	}
	if s, ok := cats[FallbackLang][key]; ok {
		return s
	}
	return key
}

// baseLang reduces a language tag to its lower-case primary subtag.
func baseLang(lang string) string {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return strings.ToLower(lang)
}

// loadCatalogs parses the embedded translation files once. They are part of
// the binary, so a malformed file is a build defect: it panics, and the
// package tests catch it before release.
func loadCatalogs() map[string]map[string]string {
	catalogsOnce.Do(func() {
		cats, err := readCatalogs(Files)
		if err != nil {
			panic(err)
		}
		catalogs = cats
	})
	return catalogs
}

// readCatalogs reads every i18n/<lang>.json file of fsys as one flat object
// of strings.
func readCatalogs(fsys fs.FS) (map[string]map[string]string, error) {
	names, err := fs.Glob(fsys, "i18n/*.json")
	if err != nil {
		return nil, err
	}
	cats := make(map[string]map[string]string, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var cat map[string]string
		if err := json.Unmarshal(data, &cat); err != nil {
			return nil, fmt.Errorf("ui: %s: %w", name, err)
		}
		cats[strings.TrimSuffix(path.Base(name), ".json")] = cat
	}
	return cats, nil
}
