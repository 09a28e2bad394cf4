package pdf

import (
	"testing"
	"time"
)

// TestADraftsPreviewCannotPassForAnInvoice: marked as a draft on every
// page, no number, and neither the QR code nor the VERI*FACTU legend, even
// when the caller passes them.
func TestADraftsPreviewCannotPassForAnInvoice(t *testing.T) {
	inv := longEnglishInvoice()
	inv.Lang = "es"
	inv.Kind = KindDraft
	inv.Number = ""
	inv.QR, inv.VeriFactu = "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674", true
	pages := pageTexts(t, inv)
	if len(pages) < 2 {
		t.Fatalf("the fixture should take two pages, it took %d", len(pages))
	}
	for i, page := range pages {
		assertContains(t, flatten([]string{page}), "BORRADOR · SIN VALIDEZ COMO FACTURA")
		if t.Failed() {
			t.Fatalf("page %d is not marked as a draft", i+1)
		}
	}
	text := flatten(pages)
	assertContains(t, text, "FACTURA", "Nº de factura (se numera al emitir)")
	assertLacks(t, text, "QR tributario:", "VERI*FACTU", "Factura verificable")
}

// TestAQuoteSaysWhatItIs: its own title and number, the day it stands
// until, the customer it is for; no QR code and no due date.
func TestAQuoteSaysWhatItIs(t *testing.T) {
	for _, tc := range []struct{ lang, title, number, valid, forLabel string }{
		{"es", "PRESUPUESTO", "Nº de presupuesto P-2026-0007", "Válido hasta 27/12/2026", "PRESUPUESTO PARA"},
		{"en", "QUOTE", "Quote no. P-2026-0007", "Valid until 27 Dec 2026", "QUOTE FOR"},
	} {
		inv := shortInvoice(3)
		inv.Lang = tc.lang
		inv.Kind = KindQuote
		inv.Number = "P-2026-0007"
		inv.ValidUntil, inv.DueDate = day(2026, 12, 27), time.Time{}
		inv.Payment = nil
		text := flatten(pageTexts(t, inv))
		assertContains(t, text, tc.title, tc.number, tc.valid, tc.forLabel)
		assertLacks(t, text, "QR tributario:", "FACTURA ", "INVOICE", "Vencimiento", "Due date")
	}
}
