package staff

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/imports"
	"facturo/ui"
)

// importPage is the upload page, with what each column of the file holds,
// in the clerk's language.
type importPage struct {
	page
	Columns []importColumn
}

type importColumn struct {
	Name, Holds string
	Required    bool
}

// handleImportPage is the upload page of the ERP import: the file goes to
// POST /app/import from the page's script, which shows the upload's and then
// the import's progress, and every error by row and column.
func handleImportPage(e *core.RequestEvent, p page) error {
	p = p.titled("app.import.title", "import")
	ip := importPage{page: p}
	for _, c := range imports.Columns() {
		ip.Columns = append(ip.Columns, importColumn{Name: c.Name, Holds: ui.T(p.Lang, "app.import.col."+c.Name), Required: c.Required})
	}
	return render(e, http.StatusOK, "import.html", p, ip)
}
