package apptest

import (
	"encoding/json"
	"html"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"facturo/ui"
)

// KnownEnglish are sentences the product says in English to REST clients
// and in its logs, which a page for a Spanish reader must never show: what
// the invoicing rules, the webhooks, the bank, the quotes, the VERI*FACTU
// records and the imports refuse with, and how PocketBase words a field's
// problem. NotSpanish also looks for every sentence of the English
// catalogue.
var KnownEnglish = []string{
	"A draft cannot be paid", "A draft is not voided", "A draft is not rectified", "A draft is not sent",
	"A draft has no PDF yet", "A payment amount", "A payment reference", "A rejection needs its reason",
	"A question needs its text", "An invoice needs at least one line", "An invoice cannot",
	"Fill in the issuer profile", "Invoice is still a draft", "is already issued", "is already voided",
	"has nothing left to pay", "still owed on invoice", "cannot have been paid before",
	"Say why the invoice is", "The rectification code must be", "The reason is too long",
	"The due date is before the issue date", "The payment method must be", "Unknown correction",
	"The action must be accept", "no longer in force", "has payments recorded", "factura rectificativa of invoice",
	"The webhook is inactive", "The delivery is being sent right now", "This movement is",
	"Name the invoice the movement pays", "Only an accepted quote", "This quote cannot be answered",
	"A quote needs at least one line", "Only a record the AEAT", "This record was corrected already",
	"Write the answer.", "Malformed JSON", "Unknown field", "Invalid dry_run", "The invitation is not valid",
	"Is not an email", "Must be an http", "No invoice with id", "No bank movement with id", "No registration record with id",
	"no rows in result set",
	"SMTP is not configured", "SMTP settings:",
	"Cannot be blank.", "Must be a valid", "Must be no more than", "Must be at least", "Must be in a valid format",
	"Value must be unique", "Invalid value", "Failed to", "Something went wrong",
	"The request body is too large", "Could not read the request body",
}

// NotSpanish is what a page meant for a Spanish reader shows that is not
// Spanish: a catalogue key shown as such (a key missing from the catalogue,
// or mistyped), an English sentence of the catalogue (one at least four
// words long that the Spanish catalogue does not say too), and any of
// KnownEnglish. Keys are looked for in what the reader sees (text, and the
// title, placeholder, aria-label and alt of elements); sentences in the
// whole page, scripts included, since a script shows what it holds.
func NotSpanish(page string) []string {
	english, namespaces := englishCatalogue()
	whole := html.UnescapeString(page)
	var found []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			found = append(found, s)
		}
	}
	for _, token := range keyLike.FindAllString(visibleText(page), -1) {
		if namespaces[token[:strings.IndexByte(token, '.')]] {
			add("a catalogue key: " + token)
		}
	}
	for _, s := range english {
		if strings.Contains(whole, s) {
			add("English: " + s)
		}
	}
	for _, s := range KnownEnglish {
		if strings.Contains(whole, s) {
			add("English: " + s)
		}
	}
	return found
}

var (
	keyLike    = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)
	hidden     = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>|<!--.*?-->`)
	tag        = regexp.MustCompile(`(?s)<[^>]*>`)
	attributes = regexp.MustCompile(`(?i)\s(?:title|placeholder|aria-label|alt)="([^"]*)"`)

	catalogueOnce sync.Once
	catalogueEN   []string
	catalogueNS   map[string]bool
)

// visibleText is the text of a page as a reader meets it: without scripts,
// styles and comments, with the attributes that are read aloud or shown.
func visibleText(page string) string {
	page = hidden.ReplaceAllString(page, " ")
	var b strings.Builder
	for _, m := range attributes.FindAllStringSubmatch(page, -1) {
		b.WriteString(m[1] + " \n")
	}
	b.WriteString(tag.ReplaceAllString(page, " \n"))
	return html.UnescapeString(b.String())
}

// englishCatalogue is the English catalogue's sentences that are not also
// Spanish, each cut at its placeholders into the parts of four words or
// more, and the first segments of the catalogue's keys.
func englishCatalogue() ([]string, map[string]bool) {
	catalogueOnce.Do(func() {
		read := func(lang string) map[string]string {
			data, err := fs.ReadFile(ui.Files, "i18n/"+lang+".json")
			if err != nil {
				panic(err)
			}
			var cat map[string]string
			if err := json.Unmarshal(data, &cat); err != nil {
				panic(err)
			}
			return cat
		}
		en, es := read("en"), read("es")
		catalogueNS = map[string]bool{}
		spanish := strings.Join(slices.Collect(maps.Values(es)), "\n")
		for key, text := range en {
			catalogueNS[key[:max(0, strings.IndexByte(key, '.'))]] = true
			for _, part := range placeholder.Split(text, -1) {
				part = strings.TrimSpace(part)
				if len(strings.Fields(part)) >= 4 && !strings.Contains(spanish, part) {
					catalogueEN = append(catalogueEN, part)
				}
			}
		}
		delete(catalogueNS, "")
		slices.Sort(catalogueEN)
		catalogueEN = slices.Compact(catalogueEN)
	})
	return catalogueEN, catalogueNS
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}|%[sdv]`)

// NotSpanishText is NotSpanish for plain text: the text of an e-mail or a
// PDF, whose runs of blanks (a PDF's columns, an e-mail's wrapped lines)
// are one space, so that a sentence broken across lines is still found.
func NotSpanishText(text string) []string {
	return NotSpanish(html.EscapeString(strings.Join(strings.Fields(text), " ")))
}
