package verifactu_test

import (
	"encoding/json"
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
// certificates, the custom environment without its endpoint, and another
// installation number than the one the records carry.
func TestSettingsThatCannotWorkAreRefused(t *testing.T) {
	app := apptest.New(t)
	for field, values := range map[string]map[string]any{
		"server_ca":           {"server_ca": "not a certificate"},
		"endpoint":            {"environment": verifactu.EnvCustom, "endpoint": ""},
		"installation_number": {"installation_number": "FT-otra"},
	} {
		settings, _ := verifactu.LoadSettings(app)
		settings.Load(values)
		if err := app.Save(settings); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%v was saved: %v", values, err)
		}
	}
}

// TestTheSettingsAreStaffsAlone reads the settings over REST: staff read
// them without the certificate's password, and a save that leaves it empty
// keeps it; contacts and strangers read
// nothing, nor the certificate file, which staff fetch only with a file
// token.
func TestTheSettingsAreStaffsAlone(t *testing.T) {
	app := apptest.New(t)
	settings, _ := verifactu.LoadSettings(app)
	file, _ := filesystem.NewFileFromBytes(certtest.PFX(t, certtest.Representative(), "clave-secreta"), "firma.p12")
	settings.Set("certificate", file)
	settings.Set("certificate_password", "clave-secreta")
	if err := app.Save(settings); err != nil {
		t.Fatal(err)
	}
	settings, _ = verifactu.LoadSettings(app)
	base := apptest.Serve(t, app)
	one := base + "/api/collections/verifactu_settings/records/" + settings.Id
	res := apptest.Call(t, "GET", one, apptest.Tokens.Staff, "")
	if res.Status != 200 || !strings.Contains(string(res.Body), `"environment":"test"`) || strings.Contains(string(res.Body), "clave-secreta") ||
		strings.Contains(string(res.Body), "certificate_password") {
		t.Errorf("staff read the settings: %d %s", res.Status, res.Body)
	}
	for who, token := range map[string]string{"a contact": apptest.Tokens.ContactA, "a stranger": ""} {
		for _, url := range []string{one, base + "/api/collections/verifactu_settings/records"} {
			if res := apptest.Call(t, "GET", url, token, ""); res.Status < 400 && strings.Contains(string(res.Body), settings.Id) {
				t.Errorf("%s read %s: %d %s", who, url, res.Status, res.Body)
			}
		}
		if res := apptest.Call(t, "PATCH", one, token, `{"enabled":true}`); res.Status < 400 {
			t.Errorf("%s changed the settings: %d", who, res.Status)
		}
	}
	// A form that never saw the password leaves it as it was.
	if res := apptest.Call(t, "PATCH", one, apptest.Tokens.Staff, `{"enabled":true,"certificate_password":""}`); res.Status != 200 {
		t.Errorf("staff switched sending on: %d %s", res.Status, res.Body)
	}
	if c, err := verifactu.Certificate(app); err != nil || c.TaxID != "12345678Z" {
		t.Errorf("after a save without the password, the certificate: %v", err)
	}
	fileURL := base + "/api/files/verifactu_settings/" + settings.Id + "/" + settings.GetString("certificate")
	if res := apptest.Call(t, "GET", fileURL, "", ""); res.Status < 400 {
		t.Errorf("the certificate file was fetched without a token: %d", res.Status)
	}
	tokenRes := apptest.Call(t, "POST", base+"/api/files/token", apptest.Tokens.Staff, "")
	var ft struct{ Token string }
	if err := json.Unmarshal(tokenRes.Body, &ft); err != nil || ft.Token == "" {
		t.Fatalf("a file token: %d %s", tokenRes.Status, tokenRes.Body)
	}
	if res := apptest.Call(t, "GET", fileURL+"?token="+ft.Token, "", ""); res.Status != 200 || len(res.Body) == 0 {
		t.Errorf("staff fetch the certificate file with a token: %d", res.Status)
	}
}
