package verifactu_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/apptest"
	"facturo/internal/huella"
	"facturo/internal/toolcheck"
)

func setEnvironment(t testing.TB, app core.App, enabled bool, env string) {
	t.Helper()
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("enabled", enabled)
	settings.Set("environment", env)
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
}

// TestTheLegendTellsTheTruth: an invoice issued while sending is off has no
// VERI*FACTU legend and a QR code for systems that send nothing; one issued
// while sending is on has the legend and points at the VERI*FACTU service,
// its test service when the records go to the test environment, which the
// PDF then says. Turning sending on or off changes no invoice issued before.
func TestTheLegendTellsTheTruth(t *testing.T) {
	app := apptest.New(t)
	pdfText := func(inv *core.Record) string {
		t.Helper()
		doc, err := invoicing.RenderPDF(app, inv)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(toolcheck.PDFText(t, doc)), " ")
	}
	qr := func(inv *core.Record) string {
		t.Helper()
		mode, err := invoicing.QRModeOf(app, inv)
		if err != nil {
			t.Fatal(err)
		}
		return huella.QR{IssuerTaxID: "x", VeriFactu: mode.VeriFactu, Testing: mode.Testing}.URL()
	}

	off := issueNew(t, app, apptest.CustomerA)
	setEnvironment(t, app, true, verifactu.EnvTest)
	testing := issueNew(t, app, apptest.CustomerA)
	setEnvironment(t, app, true, verifactu.EnvProduction)
	real := issueNew(t, app, apptest.CustomerA)
	setEnvironment(t, app, false, verifactu.EnvProduction)

	for _, tc := range []struct {
		name     string
		inv      *core.Record
		legend   bool
		qrPrefix string
		testNote bool
	}{
		{"issued while off", off, false, "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQRNoVerifactu?", false},
		{"issued to the test environment", testing, true, "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?", true},
		{"issued to production", real, true, "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?", false},
	} {
		text := pdfText(tc.inv)
		if strings.Contains(text, "VERI*FACTU") != tc.legend || strings.Contains(text, "verificable en la sede") != tc.legend {
			t.Errorf("%s: legend shown %v, want %v:\n%s", tc.name, strings.Contains(text, "VERI*FACTU"), tc.legend, text)
		}
		if strings.Contains(text, "entorno de pruebas") != tc.testNote {
			t.Errorf("%s: the test environment note shown %v, want %v", tc.name, !tc.testNote, tc.testNote)
		}
		if got := qr(tc.inv); !strings.HasPrefix(got, tc.qrPrefix) {
			t.Errorf("%s: the QR points at %s, want %s", tc.name, got, tc.qrPrefix)
		}
	}
}
