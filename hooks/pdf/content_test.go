package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// spaces collapses the runs of blanks that pdftotext -layout uses to place
// columns, so that a phrase can be searched for whatever its position.
var spaces = regexp.MustCompile(`[ \t]+`)

func flatten(pages []string) string {
	return spaces.ReplaceAllString(strings.Join(pages, "\n"), " ")
}

func assertContains(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
}

func assertLacks(t *testing.T, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("the PDF text has %q, which it should not", u)
		}
	}
}

func TestMandatoryContent(t *testing.T) {
	common := []string{
		"Taller Gràfic Puçol, S.L.", "B12345674", "Carrer de la Il·lustració, 14, 2n 1a", "08012 Barcelona",
		"Muñoz & Groß Distribución, S.A.", "A87654321", "Calle de Alcalá, 123, 4º B", "28009 Madrid",
		"2026-P-0007", "Asesoría fiscal trimestral", "Material de oficina para reventa",
		"ES91 2100 0418 4502 0005 1332", "CAIXESBBXXX",
		"Exenta por el artículo 20.Uno.9º de la Ley 37/1992",
		"QR tributario:", "VERI*FACTU",
		// The very long description wraps; its start and end are both printed.
		"Revisión completa de la documentación", "Straße, Català: col·lecció",
	}
	for _, tc := range []struct {
		lang   string
		want   []string
		footer string
	}{
		{"es", []string{
			"FACTURA", "Nº de factura", "Serie P",
			"Fecha de emisión 27/11/2026", "Fecha de operación 20/11/2026", "Vencimiento 27/12/2026",
			"1.000,00 €", "0,0125 €", "10 %", "1,5 h", "10 ud",
			"Base imponible", "Tipo IVA", "Cuota IVA", "Tipo RE", "Cuota RE",
			"1.000,01 € 21 % 210,00 €", "180,00 € 21 % 37,80 € 5,2 % 9,36 €",
			"Base imponible 1.300,01 €", "IVA 247,80 €", "Recargo de equivalencia 9,36 €",
			"Retención IRPF (15 % s/ 1.000,00 €) -150,00 €", "Total 1.407,17 €",
			"Transferencia bancaria", "Operación sin IVA (0 %, base 120,00 €)",
			"Factura verificable en la sede", "electrónica de la AEAT",
		}, "Página %d de %d"},
		{"en", []string{
			"INVOICE", "Invoice no.", "Series P",
			"Issue date 27 Nov 2026", "Date of supply 20 Nov 2026", "Due date 27 Dec 2026",
			"€1,000.00", "€0.0125", "10%", "1.5 h", "10 ud",
			"Taxable base", "VAT rate", "VAT amount", "Surch. rate", "Surcharge",
			"€1,000.01 21% €210.00", "€180.00 21% €37.80 5.2% €9.36",
			"Subtotal €1,300.01", "VAT €247.80", "Equivalence surcharge €9.36",
			"IRPF withholding (15% of €1,000.00) -€150.00", "Total €1,407.17",
			"Bank transfer", "Supply without VAT (0%, base €120.00)",
			"Invoice verifiable on the AEAT",
		}, "Page %d of %d"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			inv := professionalInvoice()
			inv.Lang = tc.lang
			pages := pageTexts(t, inv)
			text := flatten(pages)
			for i := range pages {
				assertContains(t, text, fmt.Sprintf(tc.footer, i+1, len(pages)))
			}
			assertContains(t, text, common...)
			assertContains(t, text, tc.want...)
			// pdftotext -layout sometimes drops the space of "0 %".
			zeroRow := regexp.MustCompile(`(120,00 € 0 ?% 0,00 €|€120\.00 0% €0\.00)`)
			if !zeroRow.MatchString(text) {
				t.Error("the breakdown lacks the 0 % row")
			}
		})
	}
}

func TestTextTheFontsCannotDrawIsReplaced(t *testing.T) {
	text := flatten(pageTexts(t, professionalInvoice()))
	assertContains(t, text, "emoji ? que no")
	assertLacks(t, text, "🎉")
}

func TestOptionalFieldsAreLeftOut(t *testing.T) {
	inv := shortInvoice(1)
	inv.OperationDate = inv.IssueDate
	inv.VeriFactu = false
	inv.Payment = nil
	inv.Notes = ""
	text := flatten(pageTexts(t, inv))
	assertContains(t, text, "QR tributario:", "Fecha de emisión 27/11/2026")
	assertLacks(t, text, "Fecha de operación", "VERI*FACTU", "Factura verificable", "Forma de pago",
		"Observaciones", "Retención", "Recargo", "Menciones legales", "Tipo RE")

	inv.QR = ""
	assertLacks(t, flatten(pageTexts(t, inv)), "QR tributario:")
}

func TestRectifyingInvoiceStatesWhatItCorrects(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"es", []string{
			"FACTURA", "RECTIFICATIVA", "Esta factura es una factura rectificativa",
			"Rectifica la factura nº 2026-A-0042 de fecha 27/11/2026.",
			"Tipo de rectificación: R1 – Error fundado en derecho",
			"Motivo: Devolución de 2 horas facturadas por error.",
			"-2 h", "-250,00 €", "-52,50 €", "Total -302,50 €",
		}},
		{"en", []string{
			"CORRECTIVE", "This is a corrective invoice",
			"Corrects invoice no. 2026-A-0042 dated 27 Nov 2026.",
			"Correction type: R1 – Error founded in law",
			"Reason: Devolución de 2 horas facturadas por error.",
			"-2 h", "-€250.00", "-€52.50", "Total -€302.50",
		}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			inv := rectifyingInvoice()
			inv.Lang = tc.lang
			assertContains(t, flatten(pageTexts(t, inv)), tc.want...)
		})
	}
}

func TestLongCustomerAndLogo(t *testing.T) {
	text := flatten(pageTexts(t, longCustomerInvoice()))
	assertContains(t, text, "Cooperativa Agroalimentària de Productors", "Baix Maestrat, SCCL",
		"43870 Amposta (Tarragona)", "F43123456", "Edifici de Serveis Centrals")
}

func TestRejectsALogoThatIsNotAnImage(t *testing.T) {
	inv := shortInvoice(1)
	inv.Logo = []byte("GIF89a not supported")
	if _, err := Render(inv); err == nil {
		t.Fatal("a GIF logo was accepted")
	}
}

// The caller validates invoices; a nearly empty one must still render
// rather than panic, so that a preview of a draft always works.
func TestRendersADraftWithoutPanicking(t *testing.T) {
	doc, err := Render(Invoice{Lang: "fr", Lines: []Line{{}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", doc[:min(len(doc), 16)])
	}
}

// TestEachWithholdingShowsItsBase: an IRPF line says the rate and the base
// it is taken from, in the reader's language, and a long base still leaves
// the line's amount apart from its label.
func TestEachWithholdingShowsItsBase(t *testing.T) {
	for _, tc := range []struct {
		lang       string
		base, rate string
		amount     string
		want       string
	}{
		{"es", "1000", "15", "150", "Retención IRPF (15 % s/ 1.000,00 €) -150,00 €"},
		{"es", "1234567.89", "7", "86419.75", "Retención IRPF (7 % s/ 1.234.567,89 €) -86.419,75 €"},
		{"en", "1000", "15", "150", "IRPF withholding (15% of €1,000.00) -€150.00"},
		{"en", "1234567.89", "19", "234567.90", "IRPF withholding (19% of €1,234,567.89) -€234,567.90"},
	} {
		t.Run(tc.lang+" "+tc.base, func(t *testing.T) {
			inv := professionalInvoice()
			inv.Lang = tc.lang
			inv.Withholdings = []WithholdingRow{{Rate: d(tc.rate), Base: d(tc.base), Amount: d(tc.amount)}}
			assertContains(t, flatten(pageTexts(t, inv)), tc.want)
		})
	}
}
