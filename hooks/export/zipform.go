package export

import (
	"net/url"
	"slices"

	"facturo/ui"
)

// ZIPForm is what a list page needs to offer its invoices as a ZIP: the
// route, the list's own filters (carried as hidden fields, so the ZIP holds
// exactly the invoices the list shows) and the formats to choose from.
type ZIPForm struct {
	Action  string
	Fields  []ZIPField
	Formats []ZIPFormat
}

// ZIPField is one of the list's filters.
type ZIPField struct{ Name, Value string }

// ZIPFormat is one format a ZIP can hold, labelled in the reader's language.
type ZIPFormat struct{ Value, Label string }

// NewZIPForm is the ZIP form of a list at action filtered by kept. Paging
// is left out: the ZIP holds every invoice of the filtered list.
func NewZIPForm(lang, action string, kept url.Values) ZIPForm {
	form := ZIPForm{Action: action}
	names := make([]string, 0, len(kept))
	for name := range kept {
		if name != "page" && name != "format" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range kept[name] {
			form.Fields = append(form.Fields, ZIPField{Name: name, Value: v})
		}
	}
	for _, f := range zipFormats {
		form.Formats = append(form.Formats, ZIPFormat{Value: f, Label: ui.T(lang, "einvoice.format."+f)})
	}
	return form
}
