package einvoice_test

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks/demo"
	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/einvoice/einvoicetest"
	"facturo/internal/toolcheck"
)

// invoiceCase is a hand-checked invoice: its customer, lines and fields,
// and what each format must say about it.
type invoiceCase struct {
	name     string
	customer map[string]any
	lines    string
	fields   map[string]any
	want     map[string][]string // format → texts its XML must hold
}

var spanishFirm = map[string]any{"name": "Ferretería Hermanos López S.L.", "tax_id": "A28391043", "address": "Avenida de Burgos 41",
	"city": "Valladolid", "postal_code": "47009", "province": "Valladolid", "country": "ES"}

func with(base map[string]any, more map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

var invoiceCases = []invoiceCase{
	{name: "standard with discount and references", customer: with(spanishFirm, map[string]any{"buyer_reference": "DEP-COMPRAS"}),
		lines:  `[{"description":"Mantenimiento & reparación <urgente>","quantity":3,"unit_price":"120.50","vat":21,"discount":10},{"description":"Papel","quantity":"2.5","unit_price":"3.333","vat":10}]`,
		fields: map[string]any{"order_reference": "PO-4711", "notes": "Entregar en el muelle 2"},
		want: map[string][]string{"ubl": {"<cbc:BuyerReference>DEP-COMPRAS</cbc:BuyerReference>", "<cac:OrderReference><cbc:ID>PO-4711</cbc:ID>", "<cbc:MultiplierFactorNumeric>10</cbc:MultiplierFactorNumeric>", "&amp; reparación &lt;urgente&gt;"},
			"facturae": {"<ReceiverTransactionReference>PO-4711</ReceiverTransactionReference>", "<DiscountRate>10</DiscountRate>"}}},
	{name: "recargo de equivalencia", customer: with(spanishFirm, map[string]any{"name": "Librería La Página", "tax_id": "B24681355"}),
		lines: `[{"description":"Etiquetas","quantity":7,"unit_price":"12.90","vat":21,"surcharge":5.2},{"description":"Poemario","quantity":100,"unit_price":"6.75","vat":4,"surcharge":0.5},{"description":"Agendas","quantity":3,"unit_price":"9.99","vat":10,"surcharge":1.4,"discount":5}]`,
		want: map[string][]string{"ubl": {"<cbc:Percent>26.2</cbc:Percent>", "<cbc:Percent>4.5</cbc:Percent>", "<cbc:Percent>11.4</cbc:Percent>", "recargo de equivalencia"},
			"cii": {"<ram:RateApplicablePercent>26.2</ram:RateApplicablePercent>"}, "facturae": {"<EquivalenceSurcharge>5.20</EquivalenceSurcharge>", "<EquivalenceSurcharge>0.50</EquivalenceSurcharge>"}}},
	{name: "IRPF withheld", customer: with(spanishFirm, map[string]any{"name": "Clínica Dental Sonrisa S.L.P.", "tax_id": "B87654323"}),
		lines: `[{"description":"Diseño de identidad corporativa","quantity":1,"unit_price":"850","vat":21,"withholding":15},{"description":"Tarjetas de cita","quantity":1000,"unit_price":"0.09","vat":21}]`,
		want:  map[string][]string{"ubl": {"<cbc:PrepaidAmount currencyID=\"EUR\">127.50</cbc:PrepaidAmount>", "Retención IRPF"}, "cii": {"<ram:TotalPrepaidAmount>127.50</ram:TotalPrepaidAmount>"}, "facturae": {"<TaxesWithheld><Tax><TaxTypeCode>04</TaxTypeCode><TaxRate>15.00</TaxRate>"}}},
	{name: "exempt", customer: with(spanishFirm, map[string]any{"name": "Academia Norte S.L.", "tax_id": "B87654323"}),
		lines: `[{"description":"Formación","quantity":1,"unit_price":"300","vat":0,"vat_exemption":"Exenta: art. 20.Uno.9 Ley 37/1992"},{"description":"Material","quantity":1,"unit_price":"50","vat":21}]`,
		want:  map[string][]string{"ubl": {"<cbc:ID>E</cbc:ID>", "<cbc:TaxExemptionReasonCode>VATEX-EU-132</cbc:TaxExemptionReasonCode>"}, "facturae": {"<SpecialTaxableEventCode>01</SpecialTaxableEventCode>"}}},
	{name: "zero rated", customer: spanishFirm,
		lines: `[{"description":"Pan común","quantity":10,"unit_price":"1.20","vat":0,"vat_exemption":"Tipo cero (RDL 20/2022)"}]`,
		want:  map[string][]string{"ubl": {"<cbc:ID>Z</cbc:ID>"}, "cii": {"<ram:CategoryCode>Z</ram:CategoryCode>"}}},
	{name: "reverse charge", customer: spanishFirm,
		lines: `[{"description":"Ejecución de obra","quantity":1,"unit_price":"5000","vat":0,"vat_exemption":"Inversión del sujeto pasivo (art. 84.Uno.2º.f LIVA)"}]`,
		want:  map[string][]string{"ubl": {"<cbc:ID>AE</cbc:ID>", "VATEX-EU-AE"}}},
	{name: "intra-EU supply", customer: map[string]any{"name": "Papeterie Lumière SARL", "tax_id": "FR40303265045", "address": "12 rue de Rivoli", "city": "Paris", "postal_code": "75001", "country": "FR", "language": "en"},
		lines:  `[{"description":"Cajas de regalo serigrafiadas","quantity":500,"unit_price":"3.20","vat":0,"vat_exemption":"Entrega intracomunitaria exenta (art. 25 LIVA)"}]`,
		fields: map[string]any{"operation_date": "2026-02-27"},
		want:   map[string][]string{"ubl": {"<cbc:ID>K</cbc:ID>", "VATEX-EU-IC", "<cbc:ActualDeliveryDate>2026-02-27</cbc:ActualDeliveryDate>", "<cbc:CompanyID>FR40303265045</cbc:CompanyID>"}, "facturae": {"<ResidenceTypeCode>U</ResidenceTypeCode>", "<CountryCode>FRA</CountryCode>"}}},
	{name: "export", customer: map[string]any{"name": "Alpenpapier AG", "tax_id": "CHE116281710", "address": "Bahnhofstrasse 10", "city": "Zürich", "postal_code": "8001", "country": "CH", "language": "en"},
		lines: `[{"description":"Catálogos","quantity":1000,"unit_price":"1.85","vat":0,"vat_exemption":"Exportación exenta (art. 21 LIVA)"}]`,
		want:  map[string][]string{"ubl": {"<cbc:ID>G</cbc:ID>", "VATEX-EU-G", `schemeID="9927"`}, "facturae": {"<ResidenceTypeCode>E</ResidenceTypeCode>"}}},
	{name: "not subject", customer: map[string]any{"name": "Northwind Trading Ltd", "tax_id": "GB123456789", "address": "14 Harbour Street", "city": "Bristol", "postal_code": "BS1 4RN", "country": "GB", "language": "en"},
		lines: `[{"description":"Packaging design","quantity":1,"unit_price":"1450","vat":0,"vat_exemption":"Operación no sujeta: art. 69 Ley 37/1992"}]`,
		want:  map[string][]string{"ubl": {"<cbc:ID>O</cbc:ID>", "VATEX-EU-O"}, "facturae": {"<SpecialTaxableEventCode>02</SpecialTaxableEventCode>"}}},
	{name: "EU customer at 21 %", customer: map[string]any{"name": "Messebau GmbH", "tax_id": "DE811125440", "address": "Messedamm 22", "city": "Berlin", "postal_code": "14055", "country": "DE", "language": "en"},
		lines: `[{"description":"Stand design for a fair in Madrid","quantity":1,"unit_price":"900","vat":21}]`,
		want:  map[string][]string{"ubl": {`<cbc:EndpointID schemeID="9930">DE811125440</cbc:EndpointID>`}}},
	{name: "public body", customer: map[string]any{"name": "Ayuntamiento de Madrid", "tax_id": "P2807900B", "address": "Calle de Montalbán 1", "city": "Madrid", "postal_code": "28014", "province": "Madrid", "country": "ES",
		"einvoice_format": "facturae", "dir3_oficina_contable": "LA0002857", "dir3_organo_gestor": "L01280796", "dir3_unidad_tramitadora": "LA0002858"},
		lines:  `[{"description":"Cartelería de las fiestas de San Isidro","quantity":200,"unit_price":"4.50","vat":21}]`,
		fields: map[string]any{"order_reference": "EXP-2026/113"},
		want:   map[string][]string{"facturae": {"<CentreCode>LA0002857</CentreCode><RoleTypeCode>01</RoleTypeCode>", "<CentreCode>L01280796</CentreCode><RoleTypeCode>02</RoleTypeCode>", "<CentreCode>LA0002858</CentreCode><RoleTypeCode>03</RoleTypeCode>", "<ds:Signature"}}},
}

// TestEveryInvoiceThroughEveryValidator writes every hand-checked case, a
// credit note that rectifies the first, and every invoice of the demo in
// UBL, CII and Facturae (signed), plus the CII inside a stored Factur-X
// PDF, and runs the official validators over all of them: no schema error
// and no fatal assertion of EN 16931 or Peppol BIS 3.0. Each document's
// amounts are the invoice's to the cent.
func TestEveryInvoiceThroughEveryValidator(t *testing.T) {
	docs := map[string]map[string][]byte{"ubl": {}, "cii": {}, "facturae": {}}
	add := func(name string, app core.App, inv *core.Record) {
		for format := range docs {
			doc := write(t, app, inv, format)
			docs[format][name] = doc
			checkAmounts(t, name, format, inv, doc)
		}
	}

	app := apptest.New(t)
	ca := loadCertificate(t, app)
	var first *core.Record
	for _, c := range invoiceCases {
		inv := issue(t, app, newDraft(t, app, newCustomer(t, app, c.customer), c.lines, c.fields))
		if first == nil {
			first = inv
		}
		add("case/"+c.name, app, inv)
		for format, texts := range c.want {
			for _, text := range texts {
				if !bytes.Contains(docs[format]["case/"+c.name], []byte(text)) {
					t.Errorf("%s as %s lacks %s", c.name, format, text)
				}
			}
		}
	}
	draft, err := invoicing.Rectify(app, first.Id, "R1", "Precio unitario erróneo")
	if err != nil {
		t.Fatal(err)
	}
	credit := issue(t, app, draft)
	add("case/credit note", app, credit)
	for format, text := range map[string]string{"ubl": "<CreditNote ", "cii": "<ram:TypeCode>381</ram:TypeCode>", "facturae": "<InvoiceClass>OR</InvoiceClass>"} {
		if !bytes.Contains(docs[format]["case/credit note"], []byte(text)) {
			t.Errorf("the credit note as %s lacks %s", format, text)
		}
	}
	if !bytes.Contains(docs["ubl"]["case/credit note"], []byte("<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>"+first.GetString("number"))) {
		t.Error("the UBL credit note does not name the invoice it corrects")
	}

	// The stored PDF of the first case is Factur-X: its XML is the CII.
	docs["cii"]["case/factur-x attachment"] = attachedXML(t, app, first)
	if !bytes.Equal(docs["cii"]["case/factur-x attachment"], docs["cii"]["case/"+invoiceCases[0].name]) {
		t.Error("the XML inside the Factur-X PDF is not the invoice's CII")
	}
	// The signed Facturae verifies with xmlsec1 against the firm's CA.
	verifySigned(t, docs["facturae"]["case/public body"], ca.Cert.Raw)

	demoApp := apptest.New(t)
	apptest.ClearWorld(t, demoApp)
	if _, err := demo.SeedAt(demoApp, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	issued, err := demoApp.FindRecordsByFilter(invoicing.Invoices, "status != 'draft' && status != 'voided'", "number", 0, 0)
	if err != nil || len(issued) < 30 {
		t.Fatalf("the demo issued %d invoices: %v", len(issued), err)
	}
	for _, inv := range issued {
		add("demo/"+inv.GetString("number"), demoApp, inv)
	}

	start := time.Now()
	for _, kind := range []string{einvoicetest.UBL, einvoicetest.CII, einvoicetest.Facturae} {
		for name, problems := range einvoicetest.Validate(t, kind, docs[kind]) {
			t.Errorf("%s as %s:\n  %s", name, kind, strings.Join(problems, "\n  "))
		}
	}
	t.Logf("validated %d UBL, %d CII and %d Facturae documents in %v", len(docs["ubl"]), len(docs["cii"]), len(docs["facturae"]), time.Since(start).Round(time.Second))
}

// checkAmounts compares a document's totals with the invoice's, to the
// cent: UBL and CII state a credit note's amounts positive.
func checkAmounts(t *testing.T, name, format string, inv *core.Record, doc []byte) {
	t.Helper()
	subtotal, tax, surcharge, withholding, total := money(inv, "subtotal"), money(inv, "tax_total"), money(inv, "surcharge_total"), money(inv, "withholding_total"), money(inv, "total")
	abs := func(d decimal.Decimal) decimal.Decimal { return d.Abs() }
	var want map[string]decimal.Decimal
	switch format {
	case "ubl":
		want = map[string]decimal.Decimal{"cbc:TaxExclusiveAmount": abs(subtotal), "cbc:TaxAmount": abs(tax.Add(surcharge)),
			"cbc:TaxInclusiveAmount": abs(subtotal.Add(tax).Add(surcharge)), "cbc:PrepaidAmount": abs(withholding), "cbc:PayableAmount": abs(total)}
	case "cii":
		want = map[string]decimal.Decimal{"ram:TaxBasisTotalAmount": abs(subtotal), "ram:TaxTotalAmount": abs(tax.Add(surcharge)),
			"ram:GrandTotalAmount": abs(subtotal.Add(tax).Add(surcharge)), "ram:TotalPrepaidAmount": abs(withholding), "ram:DuePayableAmount": abs(total)}
	case "facturae":
		want = map[string]decimal.Decimal{"TotalGrossAmountBeforeTaxes": subtotal, "TotalTaxOutputs": tax.Add(surcharge),
			"TotalTaxesWithheld": withholding, "InvoiceTotal": total, "TotalExecutableAmount": total}
	}
	for element, amount := range want {
		if got := amountOf(t, doc, element); !got.Equal(amount) {
			t.Errorf("%s as %s: %s = %s, the invoice says %s", name, format, element, got, amount)
		}
	}
}

// attachedXML extracts factur-x.xml from an invoice's stored PDF.
func attachedXML(t *testing.T, app core.App, inv *core.Record) []byte {
	t.Helper()
	qpdf := toolcheck.Require(t, "qpdf", "qpdf")
	inv, err := app.FindRecordById(invoicing.Invoices, inv.Id)
	if err != nil || inv.GetString("pdf") == "" {
		t.Fatalf("the invoice has no stored PDF: %v", err)
	}
	fsys, err := app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(inv.BaseFilesPath() + "/" + inv.GetString("pdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var pdf bytes.Buffer
	pdf.ReadFrom(r)
	file := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(file, pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(qpdf, "--show-attachment=factur-x.xml", file).Output()
	if err != nil {
		t.Fatalf("the stored PDF carries no factur-x.xml: %v", err)
	}
	return out
}

// verifySigned checks a signed document with xmlsec1, trusting only the CA.
func verifySigned(t *testing.T, signed, caDER []byte) {
	t.Helper()
	tool := toolcheck.Require(t, "xmlsec1", "xmlsec1")
	dir := t.TempDir()
	file, caFile := filepath.Join(dir, "facturae.xml"), filepath.Join(dir, "ca.pem")
	os.WriteFile(file, signed, 0o644)
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o644)
	if out, err := exec.Command(tool, "--verify", "--trusted-pem", caFile, file).CombinedOutput(); err != nil {
		t.Errorf("xmlsec1 refused the signed Facturae: %v\n%s", err, out)
	}
	changed := bytes.Replace(signed, []byte("<InvoiceTotal>"), []byte("<InvoiceTotal>1"), 1)
	os.WriteFile(file, changed, 0o644)
	if out, err := exec.Command(tool, "--verify", "--trusted-pem", caFile, file).CombinedOutput(); err == nil {
		t.Errorf("xmlsec1 accepted a Facturae whose total was changed:\n%s", out)
	}
	_ = fmt.Sprint
}
