package staff

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// handleImportPage is the upload page of the ERP import: the file goes to
// POST /app/import from the page's script, which shows the upload's and then
// the import's progress, and every error by row and column.
func handleImportPage(e *core.RequestEvent, p page) error {
	p = p.titled("app.import.title", "import")
	return render(e, http.StatusOK, "import.html", p, p)
}
