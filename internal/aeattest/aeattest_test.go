package aeattest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheStandInAnswersAsTheSchemasSay validates the stand-in's own answers
// (correct, a record refused and one accepted with errors, a duplicate, and
// a query's) against the AEAT's answer schemas with xmllint, so that what
// the sender is tested against is what the AEAT may send.
func TestTheStandInAnswersAsTheSchemasSay(t *testing.T) {
	s := New(t)
	samples := s.answerSamples()
	s.held["B12345674|A-2026-000001"] = &Held{Issuer: "B12345674", Number: "A-2026-000001", Date: "02-01-2026", Type: "F1",
		Total: "121.00", Tax: "21.00", Huella: strings.Repeat("A", 64), State: "AceptadoConErrores", Code: "2001", Description: describe("2001"), Incidencia: true}
	s.SetPageSize(1)
	s.held["B12345674|A-2026-000002"] = &Held{Issuer: "B12345674", Number: "A-2026-000002", Date: "03-01-2026", Huella: strings.Repeat("B", 64), State: "Anulado"}
	rw := &recorder{header: map[string][]string{}}
	s.query(rw, []byte(`<ConsultaFactuSistemaFacturacion><Cabecera><ObligadoEmision><NombreRazon>Talleres Norte S.L.</NombreRazon><NIF>B12345674</NIF></ObligadoEmision></Cabecera>`+
		`<FiltroConsulta><PeriodoImputacion><Ejercicio>2026</Ejercicio><Periodo>01</Periodo></PeriodoImputacion></FiltroConsulta></ConsultaFactuSistemaFacturacion>`))
	samples["query"] = rw.body.String()
	if !strings.Contains(samples["query"], "<tikLRRC:IndicadorPaginacion>S<") {
		t.Errorf("a query with more than a page does not say so: %s", samples["query"])
	}
	for name, answer := range samples {
		op, fragment, err := bodyElement([]byte(answer))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		schema := map[string]string{"RespuestaRegFactuSistemaFacturacion": "RespuestaSuministro.xsd", "RespuestaConsultaFactuSistemaFacturacion": "RespuestaConsultaLR.xsd"}[op]
		file := filepath.Join(t.TempDir(), name+".xml")
		if err := os.WriteFile(file, fragment, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(s.xmllint, "--noout", "--nonet", "--schema", filepath.Join(s.schemas, schema), file)
		cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(filepath.Dir(s.schemas), "catalog.xml"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("the %s answer breaks %s:\n%s\n%s", name, schema, out, answer)
		}
	}
}

// TestBodyElementStandsAlone takes the element out of a SOAP body whose
// prefixes are declared on the envelope, and gives it those declarations.
func TestBodyElementStandsAlone(t *testing.T) {
	env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="urn:a"><s:Header><x/></s:Header><s:Body><a:Op b="1>2"><a:X>1</a:X></a:Op></s:Body></s:Envelope>`
	op, fragment, err := bodyElement([]byte(env))
	if err != nil || op != "Op" || !strings.Contains(string(fragment), `<a:Op xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="urn:a" b="1>2"><a:X>1</a:X></a:Op>`) {
		t.Errorf("%q %s %v", op, fragment, err)
	}
}
