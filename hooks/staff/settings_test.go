package staff_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/imaptest"
	"facturo/internal/smtptest"
)

// TestSettingsSendATestEmailAndSayWhatTheServerAnswered: outgoing mail is
// set on the page to a real SMTP server on the loopback; the test message
// reaches it and the page says it was accepted; when the server refuses
// the next one, the page shows the server's own refusal.
func TestSettingsSendATestEmailAndSayWhatTheServerAnswered(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	server := smtptest.Start(t)
	csrf := b.CSRF("/app/settings")
	p := b.Post("/app/settings/mail?lang=es", url.Values{"csrf": {csrf}, "smtp_host": {server.Host}, "smtp_port": {"x"}, "smtp_tls": {"none"}})
	if p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "Escriba un puerto entre 1 y 65535.") {
		t.Fatalf("a bad port: %d", p.Status)
	}
	p = b.Post("/app/settings/mail", url.Values{"csrf": {csrf}, "smtp_host": {server.Host}, "smtp_port": {strconv.Itoa(server.Port)}, "smtp_tls": {"none"},
		"sender": {"facturas@firm.example"}, "bounce_address": {"bounces@firm.example"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("saving the mail settings: %d %s", p.Status, p.Body)
	}
	if s := app.Settings().SMTP; !s.Enabled || s.Port != server.Port {
		t.Fatalf("the SMTP settings: %+v", s)
	}
	p = b.Post("/app/settings/mail/test?lang=en", url.Values{"csrf": {csrf}, "to": {"clerk@firm.example"}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Test e-mail sent. The server answered: 250") {
		t.Fatalf("the test e-mail: %d", p.Status)
	}
	got := server.Received()
	if len(got) != 1 || got[0].To[0] != "clerk@firm.example" || !bytes.Contains(got[0].Data, []byte("Subject: Test e-mail")) {
		t.Fatalf("the server received %+v", got)
	}
	server.ReplyWith(smtptest.Reject(550, 5, 7, 1, "Relaying denied for this sender"))
	p = b.Post("/app/settings/mail/test?lang=es", url.Values{"csrf": {csrf}, "to": {"clerk@firm.example"}})
	if p.Status != http.StatusBadGateway || !strings.Contains(p.Body, "El correo de prueba no salió") || !strings.Contains(p.Body, "Relaying denied for this sender") {
		t.Errorf("a refusal: %d", p.Status)
	}
}

// TestSettingsTestTheMailbox: the mailbox is saved and tested against a
// real IMAP server; a wrong password is said as the server's refusal.
func TestSettingsTestTheMailbox(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	server := imaptest.Start(t)
	server.Append(t, "INBOX", []byte("From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n"))
	csrf := b.CSRF("/app/settings")
	form := url.Values{"csrf": {csrf}, "host": {server.Host}, "port": {strconv.Itoa(server.Port)}, "tls": {"none"},
		"username": {imaptest.Username}, "password": {"wrong"}, "action": {"test"}}
	p := b.Post("/app/settings/mailbox?lang=en", form)
	if p.Status != http.StatusBadGateway || !strings.Contains(p.Body, "The mailbox could not be opened: signing in as bounces") {
		t.Fatalf("a wrong password: %d", p.Status)
	}
	form.Set("password", imaptest.Password)
	p = b.Post("/app/settings/mailbox?lang=es", form)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, "Conexión correcta: la carpeta tiene 1 mensajes.") {
		t.Fatalf("the right password: %d", p.Status)
	}
	// A password left empty keeps the saved one.
	form.Set("password", "")
	if p := b.Post("/app/settings/mailbox", form); p.Status != http.StatusOK {
		t.Errorf("testing again with the saved password: %d", p.Status)
	}
}

// TestSettingsProfileLogoAndStaff: the profile is saved with a logo that
// the page then shows; a staff member is invited and removed, and no one
// can remove their own access.
func TestSettingsProfileLogoAndStaff(t *testing.T) {
	app := apptest.New(t)
	base := apptest.Serve(t, app)
	b := signedIn(t, base)
	csrf := b.CSRF("/app/settings")

	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	img.Set(1, 1, color.RGBA{200, 0, 0, 255})
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": csrf, "legal_name": "Talleres Norte S.L.", "trade_name": "Talleres Norte", "tax_id": "B12345674",
		"country": "es", "default_series": "F", "rectifying_series": "R", "default_language": "es", "iban": "ES91 2100 0418 4502 0005 1332"} {
		_ = w.WriteField(k, v)
	}
	part, _ := w.CreateFormFile("logo", "logo.png")
	_, _ = part.Write(logo.Bytes())
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/app/settings/profile", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if p := b.Do(req); p.Status != http.StatusSeeOther {
		t.Fatalf("saving the profile: %d %s", p.Status, p.Body)
	}
	issuer, _ := invoicing.LoadIssuer(app)
	if issuer.GetString("default_series") != "F" || issuer.GetString("country") != "ES" || issuer.GetString("iban") != "ES9121000418450200051332" {
		t.Errorf("the profile saved: %v", issuer.FieldsData())
	}
	if p := b.Get("/app/settings"); !strings.Contains(p.Body, `src="/app/settings/logo"`) {
		t.Error("the page does not show the logo")
	}
	if p := b.Get("/app/settings/logo"); p.Status != http.StatusOK || p.Body != logo.String() {
		t.Errorf("the logo served: %d, %d bytes", p.Status, len(p.Body))
	}

	if p := b.Post("/app/settings/staff", url.Values{"csrf": {csrf}, "email": {"nueva@firm.example"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("inviting: %d", p.Status)
	}
	invited, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "nueva@firm.example")
	if err != nil {
		t.Fatal(err)
	}
	if p := b.Get("/app/settings?lang=en"); !strings.Contains(p.Body, "nueva@firm.example") {
		t.Error("the invited account is not listed")
	}
	if p := b.Post("/app/settings/staff/"+invited.Id+"/remove", url.Values{"csrf": {csrf}}); p.Status != http.StatusSeeOther {
		t.Fatalf("removing: %d", p.Status)
	}
	if _, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "nueva@firm.example"); err == nil {
		t.Error("the removed account still exists")
	}
	me, _ := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, apptest.StaffEmail)
	if p := b.Post("/app/settings/staff/"+me.Id+"/remove?lang=en", url.Values{"csrf": {csrf}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "You cannot remove your own access.") {
		t.Errorf("removing oneself: %d", p.Status)
	}
}
