package ui

import (
	htmltemplate "html/template"
	"path"
	"strings"
	"sync"
	texttemplate "text/template"
)

// Templates are parsed once per process and language, the first time they
// are needed, and kept: parsing the page files and working out html/
// template's escaping on every request cost more than executing them. A
// kept template has "t" bound to its language, and is executed by many
// requests at once, which html/template allows once it has been escaped.
var (
	htmlPages sync.Map // language and pattern list → *htmltemplate.Template
	textPages sync.Map // pattern list → *texttemplate.Template
)

// HTMLPage is the HTML template of the files patterns name (globs in
// Files), rooted at the last file's base name, with "t" translating into
// lang. It is shared: execute it, never change it.
func HTMLPage(lang string, patterns ...string) (*htmltemplate.Template, error) {
	key := lang + "#" + strings.Join(patterns, "|")
	if t, ok := htmlPages.Load(key); ok {
		return t.(*htmltemplate.Template), nil
	}
	t, err := htmltemplate.New(path.Base(patterns[len(patterns)-1])).
		Funcs(htmltemplate.FuncMap{"t": func(key string) string { return T(lang, key) }, "asset": Asset}).
		ParseFS(Files, patterns...)
	if err != nil {
		return nil, err
	}
	actual, _ := htmlPages.LoadOrStore(key, t)
	return actual.(*htmltemplate.Template), nil
}

// TextTemplate is the text template of the files patterns name, parsed
// once; it has no funcs and may be executed by many at once.
func TextTemplate(patterns ...string) (*texttemplate.Template, error) {
	key := strings.Join(patterns, "|")
	if t, ok := textPages.Load(key); ok {
		return t.(*texttemplate.Template), nil
	}
	t, err := texttemplate.ParseFS(Files, patterns...)
	if err != nil {
		return nil, err
	}
	actual, _ := textPages.LoadOrStore(key, t)
	return actual.(*texttemplate.Template), nil
}
