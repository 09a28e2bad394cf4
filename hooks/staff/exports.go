package staff

import (
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/export"
)

// handleExport serves the staff exports from the workspace's session: the
// same files as /api/exports/…, which need a token a browser link cannot
// carry.
func handleExport(e *core.RequestEvent, p page) error {
	file := e.Request.PathValue("file")
	if file == "invoices.zip" {
		return export.WriteZIP(e)
	}
	return export.WriteFile(e, strings.TrimSuffix(file, path.Ext(file)), strings.TrimPrefix(path.Ext(file), "."))
}
