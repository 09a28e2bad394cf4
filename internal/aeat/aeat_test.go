package aeat_test

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"time"

	"facturo/internal/aeat"
	"facturo/internal/aeattest"
	"facturo/internal/certificate"
	"facturo/internal/certificate/certtest"
)

func system() aeat.System {
	return aeat.System{NombreRazon: "Talleres Norte S.L.", NIF: "B12345674", NombreSistemaInformatico: "Facturo", IdSistemaInformatico: "FT",
		Version: "1.0.0", NumeroInstalacion: "FT-1", TipoUsoPosibleSoloVerifactu: "S", TipoUsoPosibleMultiOT: "N", IndicadorMultiplesOT: "N"}
}

// records are an invoice to a Spanish customer with a surcharge line, a
// factura rectificativa of it to the same customer, an exempt invoice to a
// German customer, and the cancellation of the last, chained in that order.
func records(t *testing.T) ([][]byte, []string) {
	t.Helper()
	id := func(n string) aeat.InvoiceID {
		return aeat.InvoiceID{IDEmisorFactura: "B12345674", NumSerieFactura: n, FechaExpedicionFactura: "02-01-2026"}
	}
	first := &aeat.Alta{IDVersion: aeat.Version, IDFactura: id("A-2026-000001"), RefExterna: "rec1", NombreRazonEmisor: "Talleres Norte S.L.",
		TipoFactura: "F1", DescripcionOperacion: "Reparación de maquinaria",
		Destinatarios: &aeat.Recipients{IDDestinatario: []aeat.Party{{NombreRazon: "Alfa Comercial S.L.", NIF: "B87654323"}}},
		Desglose: aeat.Breakdown{DetalleDesglose: []aeat.Detail{
			{Impuesto: "01", ClaveRegimen: "01", CalificacionOperacion: "S1", TipoImpositivo: "21", BaseImponibleOimporteNoSujeto: "100.00", CuotaRepercutida: "21.00"},
			{Impuesto: "01", ClaveRegimen: "18", CalificacionOperacion: "S1", TipoImpositivo: "21", BaseImponibleOimporteNoSujeto: "50.00", CuotaRepercutida: "10.50", TipoRecargoEquivalencia: "5.2", CuotaRecargoEquivalencia: "2.60"},
		}},
		CuotaTotal: "34.10", ImporteTotal: "184.10", Encadenamiento: aeat.Link(nil), SistemaInformatico: system(),
		FechaHoraHusoGenRegistro: "2026-01-02T10:00:00+01:00"}
	first.Seal()
	prev := func(a *aeat.Alta) *aeat.Previous {
		return &aeat.Previous{IDEmisorFactura: a.IDFactura.IDEmisorFactura, NumSerieFactura: a.IDFactura.NumSerieFactura,
			FechaExpedicionFactura: a.IDFactura.FechaExpedicionFactura, Huella: a.Huella}
	}
	rect := &aeat.Alta{IDVersion: aeat.Version, IDFactura: id("R-2026-000001"), RefExterna: "rec2", NombreRazonEmisor: "Talleres Norte S.L.",
		TipoFactura: "R1", TipoRectificativa: "I", FacturasRectificadas: &aeat.Rectified{IDFacturaRectificada: []aeat.InvoiceID{id("A-2026-000001")}},
		DescripcionOperacion: "Rectificación de A-2026-000001: precio mal aplicado",
		Destinatarios:        &aeat.Recipients{IDDestinatario: []aeat.Party{{NombreRazon: "Alfa Comercial S.L.", NIF: "B87654323"}}},
		Desglose: aeat.Breakdown{DetalleDesglose: []aeat.Detail{
			{Impuesto: "01", ClaveRegimen: "01", CalificacionOperacion: "S1", TipoImpositivo: "21", BaseImponibleOimporteNoSujeto: "-10.00", CuotaRepercutida: "-2.10"},
		}},
		CuotaTotal: "-2.10", ImporteTotal: "-12.10", Encadenamiento: aeat.Link(prev(first)), SistemaInformatico: system(),
		FechaHoraHusoGenRegistro: "2026-01-02T10:05:00+01:00"}
	rect.Seal()
	foreign := &aeat.Alta{IDVersion: aeat.Version, IDFactura: id("A-2026-000002"), RefExterna: "rec3", NombreRazonEmisor: "Talleres Norte S.L.",
		TipoFactura: "F1", DescripcionOperacion: "Formación",
		Destinatarios: &aeat.Recipients{IDDestinatario: []aeat.Party{{NombreRazon: "Nord GmbH", IDOtro: &aeat.OtherID{CodigoPais: "DE", IDType: "02", ID: "DE123456789"}}}},
		Desglose: aeat.Breakdown{DetalleDesglose: []aeat.Detail{
			{Impuesto: "01", ClaveRegimen: "01", OperacionExenta: "E5", BaseImponibleOimporteNoSujeto: "300.00"},
			{Impuesto: "01", ClaveRegimen: "01", CalificacionOperacion: "N2", BaseImponibleOimporteNoSujeto: "20.00"},
		}},
		CuotaTotal: "0.00", ImporteTotal: "320.00", Encadenamiento: aeat.Link(prev(rect)), SistemaInformatico: system(),
		FechaHoraHusoGenRegistro: "2026-01-02T10:06:00+01:00"}
	foreign.Seal()
	cancel := &aeat.Anulacion{IDVersion: aeat.Version, RefExterna: "rec4", IDFactura: aeat.CancelledID{IDEmisorFacturaAnulada: "B12345674",
		NumSerieFacturaAnulada: "A-2026-000002", FechaExpedicionFacturaAnulada: "02-01-2026"},
		Encadenamiento: aeat.Link(prev(foreign)), SistemaInformatico: system(), FechaHoraHusoGenRegistro: "2026-01-02T10:07:00+01:00"}
	cancel.Seal()
	var out [][]byte
	var huellas []string
	for _, r := range []interface{ Marshal() ([]byte, error) }{first, rect, foreign, cancel} {
		b, err := r.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	huellas = []string{first.Huella, rect.Huella, foreign.Huella, cancel.Huella}
	return out, huellas
}

func client(t *testing.T, s *aeattest.Server, timeout time.Duration) *aeat.Client {
	t.Helper()
	cert, err := certificate.Load(s.ClientPFX(t, certtest.Seal(), time.Now().AddDate(1, 0, 0), "x"), "x")
	if err != nil {
		t.Fatal(err)
	}
	roots, err := aeat.RootsFromPEM(s.RootPEM)
	if err != nil {
		t.Fatal(err)
	}
	c := aeat.NewClient(s.URL, cert.TLS(), roots, timeout)
	t.Cleanup(c.Close)
	return c
}

// TestRecordsGoThroughTheStandIn sends an alta, a factura rectificativa,
// an exempt invoice to an EU customer and a cancellation in one request
// marked Incidencia S; the stand-in validates it against SuministroLR.xsd,
// registers the invoices, and a query finds them with their huellas.
func TestRecordsGoThroughTheStandIn(t *testing.T) {
	s := aeattest.New(t)
	recs, huellas := records(t)
	req, err := aeat.Request(aeat.Header{IssuerName: "Talleres Norte S.L.", IssuerTaxID: "B12345674", Incidencia: true}, recs)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := client(t, s, 10*time.Second).Send(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if answer.EstadoEnvio != aeat.SentCorrect || answer.CSV == "" || answer.Wait() != 60 || len(answer.Lines) != 4 {
		t.Fatalf("answer %+v", answer)
	}
	for i, l := range answer.Lines {
		if l.EstadoRegistro != aeat.RecordCorrect || l.RefExterna != []string{"rec1", "rec2", "rec3", "rec4"}[i] {
			t.Errorf("line %d: %+v", i, l)
		}
	}
	got := s.Received()
	if len(got) != 1 || !got[0].Incidencia || got[0].Records[1].PrevHuella != huellas[0] || !got[0].Records[0].First {
		t.Errorf("received %+v", got)
	}
	if h := s.Holds("B12345674", "A-2026-000002"); h == nil || h.State != "Anulado" {
		t.Errorf("the cancelled invoice is held as %+v", h)
	}
	q, err := client(t, s, 10*time.Second).Query(context.Background(), aeat.QueryRequest(aeat.Query{IssuerName: "Talleres Norte S.L.", IssuerTaxID: "B12345674", Year: 2026, Month: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Records) != 3 || q.More() || q.Records[0].IDFactura.NumSerieFactura != "A-2026-000001" || q.Records[0].Datos.Huella != huellas[0] {
		t.Errorf("query %+v", q)
	}
}

// TestAStoredRecordReadsBackToItsHuella reads each record back from its XML
// and recomputes its huella from the texts it holds.
func TestAStoredRecordReadsBackToItsHuella(t *testing.T) {
	recs, huellas := records(t)
	for i, raw := range recs {
		r, err := aeat.ParseRecord(raw)
		if err != nil {
			t.Fatal(err)
		}
		if r.Huella() != huellas[i] || r.Recomputed() != huellas[i] {
			t.Errorf("record %d: states %s, recomputes %s, want %s", i, r.Huella(), r.Recomputed(), huellas[i])
		}
		if i > 0 && r.Chain().PrevHash() != huellas[i-1] {
			t.Errorf("record %d chains to %s", i, r.Chain().PrevHash())
		}
	}
	edited := strings.Replace(string(recs[0]), "<ImporteTotal>184.10<", "<ImporteTotal>194.10<", 1)
	if r, _ := aeat.ParseRecord([]byte(edited)); r.Recomputed() == huellas[0] {
		t.Error("an edited total still gives the record's huella")
	}
}

// TestNoAnswerIsNotARefusal tells a SOAP fault (refused as a whole), a
// service down (never processed) and an answer lost after the request went
// out (the AEAT may hold the records) apart, and a client without a
// certificate the stand-in accepts is turned away.
func TestNoAnswerIsNotARefusal(t *testing.T) {
	s := aeattest.New(t)
	recs, _ := records(t)
	req, _ := aeat.Request(aeat.Header{IssuerName: "Talleres Norte S.L.", IssuerTaxID: "B12345674"}, recs[:1])
	c := client(t, s, 20*time.Second)

	s.Then(aeattest.Fault())
	var fault *aeat.Fault
	if _, err := c.Send(context.Background(), req); !errors.As(err, &fault) || !strings.Contains(fault.String, "4111") {
		t.Errorf("a fault: %v", err)
	}
	s.Then(aeattest.Down())
	var transport *aeat.TransportError
	if _, err := c.Send(context.Background(), req); !errors.As(err, &transport) || transport.Delivered || transport.Status != 503 {
		t.Errorf("a service down: %#v", err)
	}
	s.Then(aeattest.Timeout(time.Minute))
	if _, err := client(t, s, 2*time.Second).Send(context.Background(), req); !errors.As(err, &transport) || !transport.Delivered {
		t.Errorf("a lost answer: %#v", err)
	}
	s.Processed()
	if s.Holds("B12345674", "A-2026-000001") == nil {
		t.Error("the stand-in did not register the records whose answer it held back")
	}
	// Sent again, the record is a duplicate of what the AEAT holds.
	answer, err := c.Send(context.Background(), req)
	if err != nil || answer.Lines[0].CodigoErrorRegistro != aeat.CodeDuplicate || answer.Lines[0].RegistroDuplicado == nil ||
		answer.Lines[0].RegistroDuplicado.EstadoRegistroDuplicado != aeat.DuplicateCorrect {
		t.Errorf("sent again: %+v %v", answer, err)
	}

	other := certtest.NewCA(t)
	cert, _ := certificate.Load(other.PFX(t, certtest.Seal(), time.Now().AddDate(1, 0, 0), "x"), "x")
	roots, _ := aeat.RootsFromPEM(s.RootPEM)
	stranger := aeat.NewClient(s.URL, cert.TLS(), roots, 2*time.Second)
	defer stranger.Close()
	if _, err := stranger.Send(context.Background(), req); !errors.As(err, &transport) || transport.Delivered {
		t.Errorf("a certificate from another CA: %v", err)
	}
}

func TestEndpointsFollowTheCertificate(t *testing.T) {
	for _, tc := range []struct {
		env  string
		seal bool
		host string
	}{
		{aeat.Production, false, "https://www1.agenciatributaria.gob.es/"},
		{aeat.Production, true, "https://www10.agenciatributaria.gob.es/"},
		{aeat.Test, false, "https://prewww1.aeat.es/"},
		{aeat.Test, true, "https://prewww10.aeat.es/"},
	} {
		if got := aeat.Endpoint(tc.env, tc.seal); !strings.HasPrefix(got, tc.host) || !strings.HasSuffix(got, "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP") {
			t.Errorf("%s seal=%v: %s", tc.env, tc.seal, got)
		}
	}
}

func TestTextFitsTheRecords(t *testing.T) {
	if got := aeat.Text("  O'Neill <Ltd>  \"A=B\"\n x ", 120); got != "O’Neill ‹Ltd› ”A-B” x" {
		t.Errorf("%q", got)
	}
	if got := aeat.Text(strings.Repeat("ñ", 130), 120); len([]rune(got)) != 120 {
		t.Errorf("cut to %d runes", len([]rune(got)))
	}
}

// TestAltaIsWrittenAsXMLMarshalWritesIt: the record written directly is
// byte for byte what encoding/xml writes of the same struct, with every
// optional element set and left out.
func TestAltaIsWrittenAsXMLMarshalWritesIt(t *testing.T) {
	recs, _ := records(t)
	for i, raw := range recs[:3] {
		r, err := aeat.ParseRecord(raw)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Alta
		if i == 0 {
			a.Subsanacion, a.RechazoPrevio, a.FechaOperacion, a.Macrodato = "S", "S", "01-01-2026", "S"
			a.DescripcionOperacion = `Tornillos <M8> & "arandelas"`
		}
		want, err := xml.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := a.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("record %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
