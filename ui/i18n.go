package ui

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"
)

// FallbackLang is the language used for a key that the requested language
// lacks, and for languages the product does not ship.
const FallbackLang = "en"

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
