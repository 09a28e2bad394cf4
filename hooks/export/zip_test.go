package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
)

// readZIP lists a ZIP's files with their contents.
func readZIP(t *testing.T, body []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(b)
	}
	return out
}

// TestZIPOfTheSelectedInvoices exports the selected invoices as a ZIP in
// each format: staff get every customer's, a contact its own (whatever it
// asks for), an invoice the format cannot express is named with what it
// lacks, and a contact's ZIP is logged on each invoice's timeline.
func TestZIPOfTheSelectedInvoices(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	a, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
	numB := func() string {
		r, _ := app.FindRecordById(invoicing.Invoices, apptest.IssuedB)
		return r.GetString("number")
	}()

	status, _, body := get(t, base+"/api/exports/invoices.zip?format=pdf", apptest.Tokens.Staff)
	if status != 200 {
		t.Fatalf("staff's PDF ZIP: %d %s", status, body)
	}
	files := readZIP(t, body)
	if len(files) != 2 || !strings.HasPrefix(files["Factura-"+a.GetString("number")+".pdf"], "%PDF-") || !strings.HasPrefix(files["Factura-"+numB+".pdf"], "%PDF-") {
		t.Errorf("staff's PDF ZIP holds %v", keys(files))
	}

	status, _, body = get(t, base+"/api/exports/invoices.zip?format=cii&customer="+apptest.CustomerB, apptest.Tokens.ContactA)
	if status != 200 {
		t.Fatalf("contact A's CII ZIP: %d %s", status, body)
	}
	files = readZIP(t, body)
	for name, content := range files {
		if strings.Contains(name, numB) || strings.Contains(content, "Beta Distribuciones") {
			t.Errorf("contact A's ZIP holds customer B's %s", name)
		}
	}
	// The fixture's customers have no address, which EN 16931 asks of a
	// buyer: the invoice is named, with what it lacks, instead.
	if _, ok := files["Factura-"+a.GetString("number")+".cii.xml"]; ok || !strings.Contains(files["FACTURAS-QUE-FALTAN.txt"], a.GetString("number")) {
		t.Errorf("contact A's CII ZIP: %v\n%s", keys(files), files["FACTURAS-QUE-FALTAN.txt"])
	}
	// A customer with an address gets its CII, and its contact's download
	// is logged.
	c, err := app.FindRecordById(invoicing.Customers, apptest.CustomerA)
	if err != nil {
		t.Fatal(err)
	}
	c.Load(map[string]any{"address": "Calle Mayor 5", "city": "Bilbao", "postal_code": "48001", "province": "Bizkaia"})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	col, _ := app.FindCollectionByNameOrId(invoicing.Invoices)
	d := core.NewRecord(col)
	d.Load(map[string]any{"customer": apptest.CustomerA, "issue_date": apptest.Date(0), "lines": apptest.IssuedLines})
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	issued, err := invoicing.Issue(app, d.Id, invoicing.Actor{Email: apptest.StaffEmail})
	if err != nil {
		t.Fatal(err)
	}
	status, _, body = get(t, base+"/api/exports/invoices.zip?format=cii", apptest.Tokens.ContactA)
	files = readZIP(t, body)
	if cii := files["Factura-"+issued.GetString("number")+".cii.xml"]; status != 200 || !strings.Contains(cii, "CrossIndustryInvoice") || !strings.Contains(cii, "Calle Mayor 5") {
		t.Errorf("the addressed invoice's CII: %d %v", status, keys(files))
	}
	if n, _ := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": issued.Id, "type": "downloaded", "actor": apptest.ContactA}); n != 1 {
		t.Errorf("the contact's ZIP logged %d downloads of its invoice", n)
	}

	for _, bad := range []string{"format=docx", "format=pdf&from=31/12/2026"} {
		if status, _, body := get(t, base+"/api/exports/invoices.zip?"+bad, apptest.Tokens.Staff); status != 400 {
			t.Errorf("%s: %d %s", bad, status, body)
		}
	}
	if status, _, _ := get(t, base+"/api/exports/invoices.zip", ""); status != 401 {
		t.Errorf("a guest's ZIP: %d", status)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
