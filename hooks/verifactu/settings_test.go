package verifactu_test

import (
	"os"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/verifactu"
	"facturo/internal/apptest"
	"facturo/internal/certificate/certtest"
)

func TestMain(m *testing.M) { os.Exit(apptest.Run(m)) }

// TestTheCertificateIsCheckedWhenItIsLoaded saves the settings with a
// certificate and the wrong password (refused, naming the field), then the
// right one, and reads the certificate back.
func TestTheCertificateIsCheckedWhenItIsLoaded(t *testing.T) {
	app := apptest.New(t)
	if _, err := verifactu.Certificate(app); err != verifactu.ErrNoCertificate {
		t.Fatalf("without a certificate: %v", err)
	}
	pfx := certtest.PFX(t, certtest.Representative(), "clave-buena")
	settings, err := verifactu.LoadSettings(app)
	if err != nil {
		t.Fatal(err)
	}
	file, err := filesystem.NewFileFromBytes(pfx, "firma.p12")
	if err != nil {
		t.Fatal(err)
	}
	settings.Set("certificate", file)
	settings.Set("certificate_password", "clave-mala")
	if err := app.Save(settings); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a wrong password was accepted: %v", err)
	}
	settings, _ = verifactu.LoadSettings(app)
	file, _ = filesystem.NewFileFromBytes(pfx, "firma.p12")
	settings.Set("certificate", file)
	settings.Set("certificate_password", "clave-buena")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	c, err := verifactu.Certificate(app)
	if err != nil || c.TaxID != "12345678Z" || c.Organization != "TALLERES NORTE SL" {
		t.Fatalf("the loaded certificate: %+v %v", c, err)
	}
	// Changing only the password to a wrong one is refused too.
	settings, _ = verifactu.LoadSettings(app)
	settings.Set("certificate_password", "otra")
	if err := app.Save(settings); err == nil {
		t.Fatal("a wrong password for the stored certificate was accepted")
	}
}

// TestSettingsThatCannotWorkAreRefused: roots that are not PEM
// certificates, and the custom environment without its endpoint.
func TestSettingsThatCannotWorkAreRefused(t *testing.T) {
	app := apptest.New(t)
	for field, values := range map[string]map[string]any{
		"server_ca": {"server_ca": "not a certificate"},
		"endpoint":  {"environment": verifactu.EnvCustom, "endpoint": ""},
	} {
		settings, _ := verifactu.LoadSettings(app)
		settings.Load(values)
		if err := app.Save(settings); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%v was saved: %v", values, err)
		}
	}
}
