package invoicing

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"facturo/hooks/pdf"
)

// RenderingPDFEvent is an issued invoice's PDF about to be drawn.
type RenderingPDFEvent struct {
	hook.Event
	App      core.App
	Invoice  *core.Record
	Document *pdf.Invoice // what will be drawn; handlers may add to it
}

const storeRenderingPDFHook = "facturo.invoicing.rendering_pdf"

// OnRenderingPDF is triggered before an issued invoice's PDF is drawn, so
// that what the PDF carries besides the printed invoice (the Factur-X XML,
// which the einvoice package writes) is added without this package knowing
// the formats.
func OnRenderingPDF(app core.App) *hook.Hook[*RenderingPDFEvent] {
	return app.Store().GetOrSet(storeRenderingPDFHook, func() any { return &hook.Hook[*RenderingPDFEvent]{} }).(*hook.Hook[*RenderingPDFEvent])
}
