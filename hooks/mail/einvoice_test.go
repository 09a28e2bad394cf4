package mail_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// TestInvoiceEmailAttachesThePreferredFormat: a customer that wants
// Facturae gets the PDF and the Facturae XML in the invoice e-mail.
func TestInvoiceEmailAttachesThePreferredFormat(t *testing.T) {
	app, server := setup(t)
	customer, _ := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	customer.Load(map[string]any{"einvoice_format": "facturae", "address": "Calle Mayor 2", "city": "Burgos", "postal_code": "09001", "province": "Burgos"})
	must(t, app.Save(customer))
	inv := issueA(t, app)
	msg := queue(t, app, inv.Id)
	startWorker(t, app)
	waitForStatus(t, app, msg.Id, "sent")

	got := server.Received()
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(got))
	}
	m, err := mail.ReadMessage(bytes.NewReader(got[0].Data))
	must(t, err)
	parts := mimeParts(t, m)
	number := inv.GetString("number")
	if !strings.HasPrefix(parts["Factura-"+number+".pdf"], "%PDF-") {
		t.Error("the PDF is not attached")
	}
	if xml := parts["Factura-"+number+".facturae.xml"]; !strings.Contains(xml, "<fe:Facturae") || !strings.Contains(xml, "<InvoiceNumber>"+number+"</InvoiceNumber>") {
		t.Errorf("the Facturae is not attached; parts: %v", keys(parts))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
