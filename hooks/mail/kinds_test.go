package mail_test

import (
	"bytes"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"

	"facturo/hooks/invoicing"
	mailpkg "facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/internal/apptest"
)

// TestEveryKindOfEmailGoesThroughTheOutbox queues one e-mail of every kind
// the product sends, each through the door that sends it, and checks that
// each is a message of the outbox, sent by the worker to a real SMTP
// server from the firm's address and name with the VERP envelope, in the
// reader's language (Spanish here), styled like the invoice's e-mail, with
// short link text; and that PocketBase's mailer sent nothing.
func TestEveryKindOfEmailGoesThroughTheOutbox(t *testing.T) {
	app, server := setup(t)
	contact, err := app.FindAuthRecordByEmail(invoicing.Contacts, "ana@alfa.example")
	must(t, err)
	contact.Set("language", "es")
	contact.Set("name", "Ana")
	must(t, app.Save(contact))
	staff, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, apptest.StaffEmail)
	must(t, err)
	issuer, _ := invoicing.LoadIssuer(app)
	issuer.Set("email_reply_to", "administracion@firm.example")
	issuer.Set("default_language", "es")
	must(t, app.Save(issuer))

	inv := issueA(t, app)
	kinds := []struct {
		kind, subject string
		queue         func() error
		text          []string // what the text part says
		link          string   // the short text of the HTML's link, if it has one
	}{
		{"invoice", "Factura " + inv.GetString("number") + " de Talleres Norte", func() error { _, err := mailpkg.Queue(app, inv.Id, invoicing.Actor{}); return err },
			[]string{"Le enviamos la factura"}, "Ver la factura"},
		{"answer", "Re: factura " + inv.GetString("number"), func() error {
			_, err := mailpkg.Answer(app, inv.Id, "Le confirmamos el pago.", invoicing.Actor{Email: apptest.StaffEmail})
			return err
		}, []string{"Le confirmamos el pago."}, ""},
		{"quote", "Presupuesto ", func() error {
			_, err := mailpkg.QueueQuote(app, finishedQuote(t, app).Id, quotes.Actor{})
			return err
		}, []string{"Le enviamos el presupuesto"}, "Ver y responder"},
		{"code", "Su código para entrar en el portal de Talleres Norte", func() error {
			return mails.SendRecordOTP(app, contact, "otp-id", "12345678")
		}, []string{"Hola, Ana:", "12345678"}, ""},
		{"password", "Elija una contraseña nueva para el portal de Talleres Norte", func() error {
			return mails.SendRecordPasswordReset(app, contact)
		}, []string{"Hola, Ana:", "/portal/password?token="}, "Elegir contraseña"},
		{"invite", "Talleres Norte: acceso a sus facturas", func() error { return mailpkg.InviteContact(app, contact) },
			[]string{"le invita a su portal", "/portal/password?token="}, "Elegir mi contraseña"},
		{"staff_invite", "Talleres Norte: acceso a la facturación", func() error { return mailpkg.InviteStaff(app, staff) },
			[]string{"/_/#/auth/confirm-password-reset/"}, "Elegir mi contraseña"},
		{"notice", "Aviso de prueba", func() error { return mailpkg.NotifyStaff(app, "Aviso de prueba", "Un cliente ha respondido.") },
			[]string{"Un cliente ha respondido."}, ""},
	}
	var ids []string
	for _, k := range kinds {
		before, _ := app.FindRecordsByFilter(mailpkg.Messages, "", "", 0, 0)
		if err := k.queue(); err != nil {
			t.Fatalf("%s: %v", k.kind, err)
		}
		after, _ := app.FindRecordsByFilter(mailpkg.Messages, "kind = {:k}", "", 0, 0, map[string]any{"k": k.kind})
		if len(after) != 1 {
			t.Fatalf("%s: %d messages of its kind in the outbox (of %d before)", k.kind, len(after), len(before))
		}
		ids = append(ids, after[0].Id)
	}
	startWorker(t, app)
	for i, id := range ids {
		waitForStatus(t, app, id, "sent")
		if secret := kinds[i].kind; secret == "code" || secret == "password" || secret == "invite" || secret == "staff_invite" {
			if m, _ := app.FindRecordById(mailpkg.Messages, id); m.GetString("data") != "null" && m.GetString("data") != "" {
				t.Errorf("%s: the outbox keeps its secret once sent: %s", secret, m.GetString("data"))
			}
		}
	}
	if app.TestMailer.TotalSend() != 0 {
		t.Errorf("PocketBase's mailer sent %d e-mails besides the outbox", app.TestMailer.TotalSend())
	}
	received := server.Received()
	if len(received) != len(kinds) {
		t.Fatalf("%d e-mails arrived, want %d", len(received), len(kinds))
	}
	dir := os.Getenv("FACTURO_EML_DIR") // set it to keep the e-mails to read them
	for _, r := range received {
		arrived, err := mail.ReadMessage(bytes.NewReader(r.Data))
		must(t, err)
		id := strings.TrimSuffix(strings.TrimPrefix(r.From, "bounces+"), "@firm.example")
		i := indexOf(ids, id)
		if i < 0 {
			t.Errorf("envelope sender %q names no message", r.From)
			continue
		}
		k := kinds[i]
		if dir != "" {
			must(t, os.WriteFile(filepath.Join(dir, k.kind+".eml"), r.Data, 0o644))
		}
		if from := arrived.Header.Get("From"); !strings.Contains(from, "Talleres Norte") || !strings.Contains(from, "<facturas@firm.example>") {
			t.Errorf("%s: From %q is not the firm", k.kind, from)
		}
		if s := decodeHeader(arrived.Header.Get("Subject")); !strings.HasPrefix(s, k.subject) {
			t.Errorf("%s: subject %q, want %q", k.kind, s, k.subject)
		}
		parts := mimeParts(t, arrived)
		for _, want := range k.text {
			if !strings.Contains(parts["text/plain"], want) {
				t.Errorf("%s: the text does not say %q:\n%s", k.kind, want, parts["text/plain"])
			}
		}
		html := parts["text/html"]
		if k.kind != "answer" && !strings.Contains(html, `<html lang="es">`) || k.kind != "answer" && !strings.Contains(html, "background:#f4f6f9") {
			t.Errorf("%s: the HTML is not the invoice e-mail's Spanish card:\n%s", k.kind, html)
		}
		if k.link != "" {
			anchor := regexp.MustCompile(`<a href="[^"]+"[^>]*>([^<]+)</a>`).FindStringSubmatch(html)
			if anchor == nil || anchor[1] != k.link {
				t.Errorf("%s: the link reads %q, want %q", k.kind, anchor, k.link)
			}
		}
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
