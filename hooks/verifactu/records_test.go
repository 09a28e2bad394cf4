package verifactu_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeat"
	"facturo/internal/aeattest"
	"facturo/internal/apptest"
)

// mixedLines are lines of every VAT treatment: the three rates, two with
// recargo de equivalencia, an exemption (art. 20), a supply not subject by
// the rules of place (art. 69), the reverse charge, and IRPF withheld.
const mixedLines = `[
{"description":"Diseño de catálogo","quantity":1,"unit_price":"850","vat":21,"withholding":15},
{"description":"Carteles A2","quantity":20,"unit_price":"6.40","vat":21,"surcharge":5.2},
{"description":"Menú de temporada","quantity":40,"unit_price":"14.50","vat":10},
{"description":"Libros","quantity":100,"unit_price":"6.75","vat":4,"surcharge":0.5},
{"description":"Formación","quantity":1,"unit_price":"300","vat":0,"vat_exemption":"Exenta: art. 20.Uno.9 Ley 37/1992"},
{"description":"Ilustraciones","quantity":2,"unit_price":"220","vat":0,"vat_exemption":"Operación no sujeta: art. 69 Ley 37/1992"},
{"description":"Obra en nave","quantity":1,"unit_price":"1000","vat":0,"vat_exemption":"Inversión del sujeto pasivo, art. 84.Uno.2º LIVA"}]`

func customer(t testing.TB, app core.App, name, taxID, country string) string {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(invoicing.Customers)
	if err != nil {
		t.Fatal(err)
	}
	c := core.NewRecord(col)
	c.Load(map[string]any{"name": name, "tax_id": taxID, "country": country, "email": "billing@" + strings.ToLower(country) + ".example", "payment_terms_days": 30})
	if err := app.Save(c); err != nil {
		t.Fatal(err)
	}
	return c.Id
}

// TestRecordsOfEveryKindFollowTheSchema makes a record of every kind (an
// invoice with every VAT treatment to a Spanish customer, invoices to an EU
// and to a non-EU customer, a factura rectificativa, a cancellation and a
// subsanación), checks each against SuministroLR.xsd with xmllint and
// against what its invoice says, and sends them all to the stand-in, which
// validates the requests and registers every one.
func TestRecordsOfEveryKindFollowTheSchema(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)

	mixed, err := invoicing.IssueRecord(app, newDraft(t, app, apptest.CustomerA, mixedLines, nil).Id, staff)
	if err != nil {
		t.Fatal(err)
	}
	german := customer(t, app, "Nord Druck GmbH", "DE123456789", "DE")
	toGermany, err := invoicing.IssueRecord(app, newDraft(t, app, german, `[{"description":"Diseño","quantity":1,"unit_price":"500","vat":0,"vat_exemption":"Entrega intracomunitaria exenta, art. 25 LIVA"}]`, nil).Id, staff)
	if err != nil {
		t.Fatal(err)
	}
	british := customer(t, app, "Northwind Trading Ltd", "GB123456789", "GB")
	toBritain, err := invoicing.IssueRecord(app, newDraft(t, app, british, `[{"description":"Packaging","quantity":1,"unit_price":"1450","vat":0,"vat_exemption":"N2"}]`, nil).Id, staff)
	if err != nil {
		t.Fatal(err)
	}
	draft, err := invoicing.Rectify(app, mixed.Id, "R1", "Precio de los carteles mal aplicado")
	if err != nil {
		t.Fatal(err)
	}
	rectifying, err := invoicing.IssueRecord(app, draft.Id, staff)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Void(app, toGermany.Id, "Emitida dos veces", staff); err != nil {
		t.Fatal(err)
	}

	parse := func(inv *core.Record, kind string) aeat.Record {
		t.Helper()
		for _, r := range records(t, app, inv.Id) {
			if r.GetString("kind") == kind {
				rec, err := aeat.ParseRecord([]byte(r.GetString("xml")))
				if err != nil {
					t.Fatal(err)
				}
				return rec
			}
		}
		t.Fatalf("%s has no %s record", inv.GetString("number"), kind)
		return aeat.Record{}
	}
	m := parse(mixed, verifactu.KindAlta).Alta
	var details []string
	for _, d := range m.Desglose.DetalleDesglose {
		details = append(details, strings.Join([]string{d.ClaveRegimen, d.CalificacionOperacion + d.OperacionExenta, d.TipoImpositivo,
			d.BaseImponibleOimporteNoSujeto, d.CuotaRepercutida, d.TipoRecargoEquivalencia, d.CuotaRecargoEquivalencia}, " "))
	}
	want := []string{
		"01 S1 21 850.00 178.50  ", "18 S1 21 128.00 26.88 5.2 6.66", "01 S1 10 580.00 58.00  ", "18 S1 4 675.00 27.00 0.5 3.38",
		"01 E1  300.00   ", "01 S2 0 1000.00 0.00  ", "01 N2  440.00   ",
	}
	if strings.Join(details, "\n") != strings.Join(want, "\n") {
		t.Errorf("the breakdown:\n%s\nwant:\n%s", strings.Join(details, "\n"), strings.Join(want, "\n"))
	}
	// ImporteTotal is before IRPF; CuotaTotal adds VAT and recargo.
	if m.TipoFactura != "F1" || m.CuotaTotal != "300.42" || m.ImporteTotal != "4273.42" || m.Destinatarios.IDDestinatario[0].NIF != "B87654323" ||
		!strings.Contains(m.DescripcionOperacion, "Diseño de catálogo; Carteles A2") || m.Huella != mixed.GetString("hash") {
		t.Errorf("the invoice's record: %+v", m)
	}
	sys := m.SistemaInformatico
	settings, _ := verifactu.LoadSettings(app)
	if sys.NIF != "B12345674" || sys.NombreSistemaInformatico != "Facturo" || sys.IdSistemaInformatico != "FT" || sys.Version == "" ||
		sys.NumeroInstalacion != settings.GetString("installation_number") || !strings.HasPrefix(sys.NumeroInstalacion, "FT-") ||
		sys.TipoUsoPosibleSoloVerifactu != "S" || sys.TipoUsoPosibleMultiOT != "N" {
		t.Errorf("SistemaInformatico: %+v", sys)
	}
	if g := parse(toGermany, verifactu.KindAlta).Alta.Destinatarios.IDDestinatario[0].IDOtro; g == nil || g.IDType != "02" || g.CodigoPais != "DE" || g.ID != "DE123456789" {
		t.Errorf("an EU customer: %+v", g)
	}
	if g := parse(toGermany, verifactu.KindAlta).Alta.Desglose.DetalleDesglose[0].OperacionExenta; g != "E5" {
		t.Errorf("an intra-community supply is %q", g)
	}
	if b := parse(toBritain, verifactu.KindAlta).Alta.Destinatarios.IDDestinatario[0].IDOtro; b == nil || b.IDType != "04" || b.CodigoPais != "GB" {
		t.Errorf("a customer outside the EU: %+v", b)
	}
	r := parse(rectifying, verifactu.KindAlta).Alta
	if r.TipoFactura != "R1" || r.TipoRectificativa != "I" || r.FacturasRectificadas.IDFacturaRectificada[0].NumSerieFactura != mixed.GetString("number") ||
		!strings.Contains(r.DescripcionOperacion, "Precio de los carteles") || !strings.HasPrefix(r.ImporteTotal, "-") {
		t.Errorf("the rectificativa's record: %+v", r)
	}
	if c := parse(toGermany, verifactu.KindAnulacion).Anulacion; c.IDFactura.NumSerieFacturaAnulada != toGermany.GetString("number") || c.SinRegistroPrevio != "" {
		t.Errorf("the cancellation: %+v", c)
	}

	// A subsanación of the British invoice's record, as if the AEAT had
	// refused it.
	brit := records(t, app, toBritain.Id)[0]
	if _, err := app.DB().NewQuery("UPDATE verifactu_records SET status = 'rejected', error_code = '1100' WHERE id = {:id}").Bind(map[string]any{"id": brit.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	corrected, err := verifactu.Correct(app, brit.Id, verifactu.Correction{RecipientIDType: "06", RecipientTaxID: "GB123456789", RecipientCountry: "GB", Description: "Diseño de envases"})
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := aeat.ParseRecord([]byte(corrected.GetString("xml")))
	if sub.Alta.Subsanacion != "S" || sub.Alta.RechazoPrevio != "S" || sub.Alta.Destinatarios.IDDestinatario[0].IDOtro.IDType != "06" ||
		sub.Alta.DescripcionOperacion != "Diseño de envases" || sub.Alta.Huella == brit.GetString("huella") {
		t.Errorf("the subsanación: %+v", sub.Alta)
	}

	all := records(t, app, "")
	kinds := map[string]int{}
	for _, rec := range all {
		aeattest.Validate(t, []byte(rec.GetString("xml")), "SuministroLR.xsd")
		kind := rec.GetString("kind")
		if rec.GetBool("subsanacion") {
			kind = "subsanacion"
		}
		kinds[kind]++
	}
	if kinds["alta"] < 6 || kinds["anulacion"] != 1 || kinds["subsanacion"] != 1 {
		t.Errorf("records made: %v", kinds)
	}
	// The world's two invoices were issued before sending was on: their
	// records stay here. The rest go, and the stand-in takes them all (the
	// British one as corrected).
	s.SetWait(0)
	settle(t, sender(app))
	if got := statuses(t, app); got[verifactu.StatusAccepted] != len(all)-3 || got[verifactu.StatusNotSent] != 2 || got[verifactu.StatusRejected] != 1 {
		t.Errorf("after sending: %v", got)
	}
	if h := s.Holds("B12345674", toGermany.GetString("number")); h == nil || h.State != "Anulado" {
		t.Errorf("the voided invoice at the AEAT: %+v", h)
	}
	verifyOK(t, app)
}

// chainScenario issues two invoices, rectifies the first, voids the second
// and issues one more, while sending is off: the world's two invoices come
// first in the chain.
func chainScenario(t *testing.T) (app core.App, first, second, rectifying, after *core.Record) {
	t.Helper()
	app = apptest.New(t)
	first = issueNew(t, app, apptest.CustomerA)
	second = issueNew(t, app, apptest.CustomerB)
	draft, err := invoicing.Rectify(app, first.Id, "R4", "Descuento pactado")
	if err != nil {
		t.Fatal(err)
	}
	if rectifying, err = invoicing.IssueRecord(app, draft.Id, staff); err != nil {
		t.Fatal(err)
	}
	if _, err := invoicing.Void(app, second.Id, "Pedido cancelado antes de servirse", staff); err != nil {
		t.Fatal(err)
	}
	after = issueNew(t, app, apptest.CustomerA)
	return app, first, second, rectifying, after
}

// TestTheChainRunsThroughIssueRectifyAndVoid chains records of issues, a
// factura rectificativa, a cancellation and the issue after it: each record
// chains to the one before it, the cancellation included, every invoice's
// huella and link are its record's, and verify-chain checks it all.
func TestTheChainRunsThroughIssueRectifyAndVoid(t *testing.T) {
	app, first, second, rectifying, after := chainScenario(t)
	chain := records(t, app, "")
	wantOrder := []string{apptest.IssuedA, apptest.IssuedB, first.Id, second.Id, rectifying.Id, second.Id, after.Id}
	if len(chain) != len(wantOrder) {
		t.Fatalf("%d records, want %d", len(chain), len(wantOrder))
	}
	for i, r := range chain {
		if r.GetString("invoice") != wantOrder[i] || r.GetInt("seq") != i+1 || r.GetString("issuer_tax_id") != "B12345674" {
			t.Errorf("record %d is no. %d of %s, about %s", i+1, r.GetInt("seq"), r.GetString("issuer_tax_id"), r.GetString("invoice"))
		}
		if i > 0 && r.GetString("prev_hash") != chain[i-1].GetString("huella") {
			t.Errorf("record %d does not chain to the one before it", i+1)
		}
		if i == 0 && r.GetString("prev_hash") != "" {
			t.Errorf("the first record chains to %q", r.GetString("prev_hash"))
		}
	}
	cancel := chain[5]
	after, _ = app.FindRecordById(invoicing.Invoices, after.Id)
	if cancel.GetString("kind") != verifactu.KindAnulacion || after.GetString("prev_hash") != cancel.GetString("huella") || after.GetString("hash") != chain[6].GetString("huella") {
		t.Errorf("the issue after the cancellation chains to %s, not to the cancellation's %s", after.GetString("prev_hash"), cancel.GetString("huella"))
	}
	if parsed, _ := aeat.ParseRecord([]byte(chain[6].GetString("xml"))); parsed.Alta.Encadenamiento.RegistroAnterior.NumSerieFactura != second.GetString("number") {
		t.Errorf("the next record names the cancelled invoice as the record before it: %+v", parsed.Alta.Encadenamiento.RegistroAnterior)
	}
	if report := verifyOK(t, app); report.Records != 7 || !strings.Contains(report.String(), "7 registration records chained") {
		t.Errorf("verify-chain: %s", report)
	}
}

// TestVerifyChainNamesARecordChangedBehindTheProductsBack edits a
// cancellation record straight in SQLite, three ways.
func TestVerifyChainNamesARecordChangedBehindTheProductsBack(t *testing.T) {
	for _, tc := range []struct{ name, sql, want string }{
		{"its XML", "UPDATE verifactu_records SET xml = replace(xml, 'FechaHoraHusoGenRegistro>20', 'FechaHoraHusoGenRegistro>19') WHERE id = {:id}", "no longer gives its huella"},
		{"its link", "UPDATE verifactu_records SET prev_hash = '' WHERE id = {:id}", "does not chain to the record before it"},
		{"the record itself", "DELETE FROM verifactu_records WHERE id = {:id}", "no cancellation record"},
		{"the next issue's link", "UPDATE invoices SET prev_hash = '' WHERE id = (SELECT invoice FROM verifactu_records WHERE seq = 7)", "previous huella does not match the record before it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app, _, second, _, after := chainScenario(t)
			cancel := records(t, app, second.Id)[1]
			if _, err := app.DB().NewQuery(tc.sql).Bind(map[string]any{"id": cancel.Id}).Execute(); err != nil {
				t.Fatal(err)
			}
			named := second.GetString("number")
			if strings.HasPrefix(tc.name, "the next") {
				named = after.GetString("number")
			}
			report, err := invoicing.VerifyChain(app)
			if err != nil || report.OK() || !strings.Contains(report.String(), tc.want) || !strings.Contains(report.String(), named) {
				t.Errorf("verify-chain said %v\n%s", err, report)
			}
		})
	}
}

func TestClassifyReadsTheExemptionReason(t *testing.T) {
	for reason, want := range map[string]string{
		"E2": "E2", "e5 entrega a Francia": "E5", "Exenta: art. 20.Uno.9 Ley 37/1992": "E1", "Exportación de bienes": "E2",
		"Exenta, artículo 21 LIVA": "E2", "Art. 22 LIVA": "E3", "art. 24": "E4", "Entrega intracomunitaria": "E5",
		"Operación no sujeta: art. 69 Ley 37/1992": "N2", "No sujeta (art. 7 LIVA)": "N1", "Inversión del sujeto pasivo": "S2",
		"ISP art. 84.Uno.2º": "S2", "Sin IVA": "E6",
	} {
		if got := verifactu.Classify(reason); got != want {
			t.Errorf("%q: %s, want %s", reason, got, want)
		}
	}
}

// TestEachKindOfInvoiceNamesItsRecipientOrNot: a factura rectificativa of
// each code names the customer (the AEAT refuses R1–R4 without
// Destinatarios, 1189) except R5, the correction of a simplified invoice,
// which may not (1190); the stand-in, which checks both, registers them
// all.
func TestEachKindOfInvoiceNamesItsRecipientOrNot(t *testing.T) {
	app := apptest.New(t)
	s := aeattest.New(t)
	enable(t, app, s)
	s.SetWait(0)
	original := issueNew(t, app, apptest.CustomerA)
	for _, code := range invoicing.RectificationCodes {
		draft, err := invoicing.Rectify(app, original.Id, code, "Corrección "+code)
		if err != nil {
			t.Fatal(err)
		}
		inv, err := invoicing.IssueRecord(app, draft.Id, staff)
		if err != nil {
			t.Fatal(err)
		}
		raw := records(t, app, inv.Id)[0].GetString("xml")
		aeattest.Validate(t, []byte(raw), "SuministroLR.xsd")
		rec, err := aeat.ParseRecord([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if rec.Alta.TipoFactura != code || (rec.Alta.Destinatarios == nil) != (code == "R5") {
			t.Errorf("%s: a record of type %s, recipients %+v", code, rec.Alta.TipoFactura, rec.Alta.Destinatarios)
		}
	}
	settle(t, sender(app))
	if got := statuses(t, app); got[verifactu.StatusAccepted] != 1+len(invoicing.RectificationCodes) || got[verifactu.StatusRejected] != 0 {
		t.Errorf("after sending: %v", got)
	}
}
