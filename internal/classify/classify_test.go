package classify

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAutoReplies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
	}{
		{"auto-submitted", []string{"Auto-Submitted: auto-replied", "Subject: Re: Invoice"}},
		{"x-autoreply", []string{"X-Autoreply: yes", "Subject: Re: Invoice"}},
		{"x-autorespond", []string{"X-Autorespond: Invoice", "Subject: Invoice"}},
		{"precedence", []string{"Precedence: auto_reply", "Subject: Invoice"}},
		{"exchange", []string{"X-Auto-Response-Suppress: All", "Subject: Invoice"}},
		{"spanish", []string{"Subject: Fuera de la oficina: Factura A-2026-000123"}},
		{"spanish 2", []string{"Subject: =?ISO-8859-1?Q?Respuesta_autom=E1tica:_Factura?="}},
		{"spanish 3", []string{"Subject: Ausente hasta el lunes"}},
		{"english", []string{"Subject: Out of Office: Invoice"}},
		{"english 2", []string{"Subject: Automatic reply: Invoice"}},
		{"french", []string{"Subject: Absence: Facture"}},
		{"french 2", []string{"Subject: =?UTF-8?Q?R=C3=A9ponse_automatique?="}},
		{"german", []string{"Subject: Abwesenheitsnotiz: Rechnung"}},
		{"german 2", []string{"Subject: Automatische Antwort: Rechnung"}},
		{"portuguese", []string{"Subject: =?UTF-8?Q?Resposta_autom=C3=A1tica:_Fatura?="}},
		{"italian", []string{"Subject: Risposta automatica: Fattura"}},
		{"italian 2", []string{"Subject: Fuori sede"}},
	} {
		lines := append([]string{"From: Ana <ana@client.example>", "To: ar+k3j2h4g5f6d7s8a@firm.example"}, tc.header...)
		lines = append(lines, "", "I am away until Monday.")
		res, err := Classify(msg(lines...))
		if err != nil {
			t.Fatal(err)
		}
		if res.Kind != KindAutoReply {
			t.Errorf("%s: kind %s, want auto_reply", tc.name, res.Kind)
		}
		if !reflect.DeepEqual(res.Match.InvoiceIDs, []string{"k3j2h4g5f6d7s8a"}) {
			t.Errorf("%s: invoice ids %v", tc.name, res.Match.InvoiceIDs)
		}
	}
	res, _ := Classify(msg("From: a@c.example", "To: ar+x1@firm.example", "Auto-Submitted: no", "Subject: Re: Invoice", "", "Paid"))
	if res.Kind != KindReply {
		t.Errorf("Auto-Submitted: no: kind %s, want reply", res.Kind)
	}
}

// A bounce carries Auto-Submitted too; being a bounce wins.
func TestBounceWinsOverAutoReply(t *testing.T) {
	raw := msg(
		"Return-Path: <>",
		"From: Mail Delivery System <MAILER-DAEMON@mx.firm.example>",
		"To: bounces+k3j2h4g5f6d7s8a@firm.example",
		"Subject: Mail delivery failed: returning message to sender",
		"Auto-Submitted: auto-replied",
		"X-Failed-Recipients: gone@client.example",
		"",
		"This message was created automatically by mail delivery software.",
		"",
		"A message that you sent could not be delivered to one or more of its",
		"recipients. This is a permanent error. The following address(es) failed:",
		"",
		"  gone@client.example",
		"    host mx.client.example [192.0.2.1]",
		"    SMTP error from remote mail server after RCPT TO:<gone@client.example>:",
		"    550 5.1.1 <gone@client.example>: Recipient address rejected: User unknown",
		"",
		"------ This is a copy of the message, including all the headers. ------",
		"",
		"Return-path: <bounces+k3j2h4g5f6d7s8a@firm.example>",
		"From: ACME <billing@firm.example>",
		"To: gone@client.example",
		"Reply-To: ar+inv000000000001@firm.example",
		"Subject: Factura A-2026-000123",
		"Message-ID:",
		" <k3j2h4g5f6d7s8a.a-2026-000123@firm.example>",
		"X-Invoice-ID: inv000000000001",
		"X-Invoice-Number: A-2026-000123",
		"",
		"Adjuntamos la factura.",
	)
	res, err := Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != KindBounce {
		t.Fatalf("kind %s, want bounce", res.Kind)
	}
	want := []Recipient{{
		Address:    "gone@client.example",
		Action:     "failed",
		Status:     "5.1.1",
		ReplyCode:  550,
		Hard:       true,
		Reason:     ReasonUserUnknown,
		Diagnostic: "550 5.1.1 <gone@client.example>: Recipient address rejected: User unknown",
	}}
	if !reflect.DeepEqual(res.Recipients, want) {
		t.Errorf("recipients\n got %+v\nwant %+v", res.Recipients, want)
	}
	wantMatch := Match{
		VERPMessageID:  "k3j2h4g5f6d7s8a",
		MessageIDs:     []string{"k3j2h4g5f6d7s8a.a-2026-000123@firm.example"},
		InvoiceIDs:     []string{"inv000000000001"},
		InvoiceNumbers: []string{"A-2026-000123"},
	}
	if !reflect.DeepEqual(res.Match, wantMatch) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, wantMatch)
	}
}

func TestQmailBounce(t *testing.T) {
	raw := msg(
		"Return-Path: <>",
		"From: MAILER-DAEMON@mx.client.example",
		"To: bounces+abcdefghij12345@firm.example",
		"Subject: failure notice",
		"",
		"Hi. This is the qmail-send program at mx.client.example.",
		"I'm afraid I wasn't able to deliver your message to the following addresses.",
		"This is a permanent error; I've given up. Sorry it didn't work out.",
		"",
		"<full@client.example>:",
		"Remote host said: 552 5.2.2 Mailbox full",
		"",
		"--- Below this line is a copy of the message.",
		"",
		"Message-ID: <abcdefghij12345.b-2026-000001@firm.example>",
		"Subject: Invoice B-2026-000001",
	)
	res, _ := Classify(raw)
	if res.Kind != KindBounce || len(res.Recipients) != 1 {
		t.Fatalf("kind %s recipients %+v", res.Kind, res.Recipients)
	}
	rc := res.Recipients[0]
	if rc.Address != "full@client.example" || rc.Status != "5.2.2" || rc.ReplyCode != 552 || rc.Hard || rc.Reason != ReasonMailboxFull {
		t.Errorf("recipient %+v", rc)
	}
	if res.Match.VERPMessageID != "abcdefghij12345" || !reflect.DeepEqual(res.Match.InvoiceNumbers, []string{"B-2026-000001"}) ||
		!reflect.DeepEqual(res.Match.MessageIDs, []string{"abcdefghij12345.b-2026-000001@firm.example"}) {
		t.Errorf("match %+v", res.Match)
	}
}

func TestDelayWarningWithoutReport(t *testing.T) {
	raw := msg(
		"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
		"To: bounces+abcdefghij12345@firm.example",
		"Subject: Delivery Status Notification (Delay)",
		"",
		"This is an automatically generated Delivery Status Notification",
		"",
		"THIS IS A WARNING MESSAGE ONLY.",
		"",
		"YOU DO NOT NEED TO RESEND YOUR MESSAGE.",
		"",
		"Delivery to the following recipient has been delayed:",
		"",
		"     slow@client.example",
		"",
		"Message will be retried for 2 more day(s)",
		"",
		"Technical details of temporary failure:",
		"The recipient server did not accept our requests to connect. [mx.client.example. 192.0.2.7: timed out]",
	)
	res, _ := Classify(raw)
	if res.Kind != KindDelay || len(res.Recipients) != 1 {
		t.Fatalf("kind %s recipients %+v", res.Kind, res.Recipients)
	}
	if rc := res.Recipients[0]; rc.Address != "slow@client.example" || rc.Action != "delayed" || rc.Hard {
		t.Errorf("recipient %+v", rc)
	}
}

func TestEximDelayWarning(t *testing.T) {
	raw := msg(
		"From: Mail Delivery System <Mailer-Daemon@mx.client.example>",
		"To: bounces+abcdefghij12345@firm.example",
		"Subject: Warning: message 1wXyZa-000Abc-1x delayed 24 hours",
		"Auto-Submitted: auto-replied",
		"",
		"This message was created automatically by mail delivery software.",
		"A message that you sent has not yet been delivered to one or more of its",
		"recipients after more than 24 hours on the queue on mx.client.example.",
		"",
		"The message identifier is:     1wXyZa-000Abc-1x",
		"",
		"The address to which the message has not yet been delivered is:",
		"",
		"  late@client.example",
		"    host mx2.client.example [192.0.2.9]",
		"    Delay reason: SMTP error from remote mail server after RCPT TO:<late@client.example>:",
		"    451 4.7.1 Greylisted, please try again later",
		"",
		"No action is required on your part. Delivery attempts will continue for",
		"some time, and this warning may be repeated at intervals if the message",
		"remains undelivered. Eventually the mail delivery software will give up,",
		"and when that happens, the message will be returned to you.",
	)
	res, _ := Classify(raw)
	if res.Kind != KindDelay || len(res.Recipients) != 1 {
		t.Fatalf("kind %s recipients %+v", res.Kind, res.Recipients)
	}
	want := Recipient{Address: "late@client.example", Action: "delayed", Status: "4.7.1", ReplyCode: 451, Reason: ReasonTooManyConn,
		Diagnostic: "451 4.7.1 Greylisted, please try again later"}
	if res.Recipients[0] != want {
		t.Errorf("recipient\n got %+v\nwant %+v", res.Recipients[0], want)
	}
	if res.Match.VERPMessageID != "abcdefghij12345" {
		t.Errorf("match %+v", res.Match)
	}
}

func TestReadReceipt(t *testing.T) {
	raw := msg(
		"From: Ana <ana@client.example>",
		"To: ar+k3j2h4g5f6d7s8a@firm.example",
		"Subject: Read: Factura A-2026-000123",
		"MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=disposition-notification; boundary="b"`,
		"",
		"--b",
		"Content-Type: text/plain",
		"",
		"Your message was displayed.",
		"--b",
		"Content-Type: message/disposition-notification",
		"",
		"Reporting-UA: client.example; Thunderbird",
		"Original-Recipient: rfc822;ana@client.example",
		"Final-Recipient: rfc822;Ana@Client.example",
		"Original-Message-ID: <k3j2h4g5f6d7s8a.a-2026-000123@firm.example>",
		"Disposition: manual-action/MDN-sent-manually; displayed",
		"--b--",
	)
	res, _ := Classify(raw)
	if res.Kind != KindReadReceipt {
		t.Fatalf("kind %s, want read_receipt", res.Kind)
	}
	if !reflect.DeepEqual(res.Recipients, []Recipient{{Address: "ana@client.example", Action: "displayed"}}) {
		t.Errorf("recipients %+v", res.Recipients)
	}
	want := Match{
		MessageIDs:     []string{"k3j2h4g5f6d7s8a.a-2026-000123@firm.example"},
		InvoiceIDs:     []string{"k3j2h4g5f6d7s8a"},
		InvoiceNumbers: []string{"A-2026-000123"},
	}
	if !reflect.DeepEqual(res.Match, want) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, want)
	}
}

func TestFeedbackReport(t *testing.T) {
	raw := msg(
		"From: <staff@hotmail.example>",
		"To: abuse@firm.example",
		"Subject: complaint about message",
		"MIME-Version: 1.0",
		`Content-Type: multipart/report; report-type=feedback-report; boundary="b"`,
		"",
		"--b",
		"Content-Type: text/plain",
		"",
		"This is an email abuse report.",
		"--b",
		"Content-Type: message/feedback-report",
		"",
		"Feedback-Type: abuse",
		"User-Agent: SomeGenerator/1.0",
		"Version: 1",
		"Original-Mail-From: <bounces+abcdefghij12345@firm.example>",
		"Original-Rcpt-To: <Customer@Client.example>",
		"--b",
		"Content-Type: text/rfc822-headers",
		"",
		"From: ACME <billing@firm.example>",
		"Message-ID: <abcdefghij12345.a-2026-000123@firm.example>",
		"X-Invoice-ID: inv000000000001",
		"X-Invoice-Number: A-2026-000123",
		"--b--",
	)
	res, _ := Classify(raw)
	if res.Kind != KindFeedback {
		t.Fatalf("kind %s, want feedback", res.Kind)
	}
	if !reflect.DeepEqual(res.Recipients, []Recipient{{Address: "customer@client.example", Reason: "abuse"}}) {
		t.Errorf("recipients %+v", res.Recipients)
	}
	want := Match{
		VERPMessageID:  "abcdefghij12345",
		MessageIDs:     []string{"abcdefghij12345.a-2026-000123@firm.example"},
		InvoiceIDs:     []string{"inv000000000001"},
		InvoiceNumbers: []string{"A-2026-000123"},
	}
	if !reflect.DeepEqual(res.Match, want) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, want)
	}
}

func TestOptionsLocalParts(t *testing.T) {
	raw := msg(
		"From: MAILER-DAEMON@mx.firm.example",
		"Delivered-To: rebotes+abcdefghij12345@firm.example",
		"To: rebotes+abcdefghij12345@firm.example",
		"Subject: Undeliverable: Factura",
		"X-Failed-Recipients: x@client.example",
		"",
		"x@client.example: 550 5.1.1 no such user",
		"Reply-To: respuestas+inv000000000001@firm.example",
	)
	res, _ := Options{BounceLocal: "rebotes", ReplyLocal: "respuestas"}.Classify(raw)
	if res.Match.VERPMessageID != "abcdefghij12345" || !reflect.DeepEqual(res.Match.InvoiceIDs, []string{"inv000000000001"}) {
		t.Errorf("match %+v", res.Match)
	}
}

func TestFailureVerdict(t *testing.T) {
	for _, tc := range []struct {
		diag, status string
		reply        int
		final        bool
		stage        smtpStage
		reason       string
		hard         bool
	}{
		{"550 5.1.1 <a@b.example>: Recipient address rejected: User unknown", "5.1.1", 550, true, stageUnknown, ReasonUserUnknown, true},
		{"550 no such user here", "", 550, true, stageUnknown, ReasonUserUnknown, true},
		{"550 Host unknown", "5.1.2", 550, true, stageUnknown, ReasonHostUnknown, true},
		{"Domain has null MX", "5.1.10", 556, true, stageUnknown, ReasonHostUnknown, true},
		{"550 5.2.1 The email account that you tried to reach is disabled", "5.2.1", 550, true, stageUnknown, ReasonSuspend, false},
		{"550 5.2.1 <a@example.jp>... User Unknown", "5.2.1", 550, true, stageUnknown, ReasonSuspend, false},
		{"550 5.1.1 Mailbox no longer exists", "5.1.1", 550, true, stageUnknown, ReasonDisabled, true},
		{"552 5.2.2 Mailbox full", "5.2.2", 552, true, stageUnknown, ReasonMailboxFull, false},
		{"554 5.7.1 Message rejected as spam", "5.7.1", 554, true, stageUnknown, ReasonSpam, false},
		{"550 5.7.1 Client host rejected: blocked using zen.spamhaus.org", "5.7.1", 550, true, stageUnknown, ReasonBlocked, false},
		{"451 4.7.1 Greylisted, try again later", "4.7.1", 451, true, stageUnknown, ReasonExpired, false},
		{"451 4.7.1 Greylisted, try again later", "4.7.1", 451, false, stageUnknown, ReasonTooManyConn, false},
		{"552 5.3.4 Message size exceeds fixed limit", "5.3.4", 552, true, stageUnknown, ReasonMesgTooBig, false},
		{"550 Unknown user", "", 550, true, stageData, ReasonFiltered, false},
		{"550 5.1.1 Unknown user", "5.1.1", 550, true, stageData, ReasonUserUnknown, true},
		{"", "5.1.1", 0, true, stageUnknown, ReasonUserUnknown, true},
		{"", "", 0, true, stageUnknown, "", false},
		// The stage the failure answered, when the notice states it.
		{"550 5.2.1 <a@example.jp>... User Unknown", "5.2.1", 550, true, stageRcpt, ReasonUserUnknown, true},
		{"550 5.2.1 <a@example.jp>... User Unknown", "5.2.1", 550, true, stageData, ReasonFiltered, false},
		{"550 5.2.1 The email account that you tried to reach is disabled", "5.2.1", 550, true, stageRcpt, ReasonSuspend, false},
		{"550 5.2.1 Mailbox disabled", "5.2.1", 550, true, stageRcpt, ReasonSuspend, false},
		{"550 Unknown user", "", 550, true, stageRcpt, ReasonUserUnknown, true},
		{"550 5.2.2 Mailbox full", "5.2.2", 550, true, stageRcpt, ReasonMailboxFull, false},
	} {
		reason, hard := failureVerdict(tc.diag, "", tc.status, tc.reply, tc.final, tc.stage)
		if reason != tc.reason || hard != tc.hard {
			t.Errorf("%q %s %d final=%v stage=%d: %s hard=%v, want %s hard=%v", tc.diag, tc.status, tc.reply, tc.final, tc.stage, reason, hard, tc.reason, tc.hard)
		}
	}
}

func TestCodes(t *testing.T) {
	for s, want := range map[string]string{
		"550 5.1.1 User unknown":           "5.1.1",
		"(#5.1.1 - chkusr)":                "5.1.1",
		"host 10.5.1.1 said: no":           "",
		"version 5.1.1.2":                  "",
		"550-5.7.26 DMARC":                 "5.7.26",
		"Status: 4.4.7 (delivery expired)": "4.4.7",
	} {
		if got := findStatus(s, "245"); got != want {
			t.Errorf("findStatus(%q) = %q, want %q", s, got, want)
		}
	}
	if got := serverStatus("5.1.0 - Unknown address error 550-'5.7.1 <a@b.example>... Access denied'", "45"); got != "5.7.1" {
		t.Errorf("serverStatus = %q", got)
	}
	for s, want := range map[string]int{
		"said: 550 5.1.1 x":         550,
		"550-5.7.26 x":              550,
		"<<< 553 Invalid recipient": 553,
		"Thu, 29 Apr 2010 23:34:45": 0,
		"port 25: refused":          0,
		"id 550 queued":             0,
		"#550 5.2.2 STOREDRV":       550,
	} {
		if got := findReplyCode(s); got != want {
			t.Errorf("findReplyCode(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestFindInvoiceNumbers(t *testing.T) {
	for s, want := range map[string][]string{
		"Factura A-2026-000123":               {"A-2026-000123"},
		"R-2025-000007 and FAC10-2026-123456": {"R-2025-000007", "FAC10-2026-123456"},
		"ABCDEFGHIJK-2026-000123":             nil, // series longer than ten
		"A-2026-0001234":                      nil,
		"A-26-000123":                         nil,
		"(A-2026-000123)":                     {"A-2026-000123"},
	} {
		if got := findInvoiceNumbers(s); !reflect.DeepEqual(got, want) {
			t.Errorf("findInvoiceNumbers(%q) = %v, want %v", s, got, want)
		}
	}
	if !isOurMessageID("k3j2h4g5f6d7s8a.a-2026-000123@firm.example") || isOurMessageID("abc.a-2026-000123@x") || isOurMessageID("k3j2h4g5f6d7s8a.hello@x") {
		t.Error("isOurMessageID")
	}
}

func TestNotAnEmail(t *testing.T) {
	for _, in := range [][]byte{nil, []byte(""), []byte("\x00\x01\x02binary"), []byte("just some words\nand more")} {
		res, err := Classify(in)
		if !errors.Is(err, ErrNotEmail) || res.Kind != KindOther {
			t.Errorf("%q: kind %s err %v", in, res.Kind, err)
		}
	}
}

// Hostile shapes must cost time in proportion to their size, not more.
func TestHostileInputs(t *testing.T) {
	deep := "Content-Type: multipart/mixed; boundary=b0\n\n"
	for i := 0; i < 5000; i++ {
		deep += "--b" + itoa(i) + "\nContent-Type: multipart/mixed; boundary=b" + itoa(i+1) + "\n\n"
	}
	rfc822 := strings.Repeat("Content-Type: message/rfc822\n\n", 20000)
	for name, raw := range map[string]string{
		"deep multipart":      "From: a@b.example\n" + deep,
		"deep rfc822":         "From: a@b.example\n" + rfc822,
		"many parts":          "From: a@b.example\nContent-Type: multipart/mixed; boundary=x\n\n" + strings.Repeat("--x\n\nhi\n", 200000),
		"huge header":         "Subject: " + strings.Repeat("a", 4<<20) + "\n\nbody",
		"huge folded header":  "Subject: x\n" + strings.Repeat(" a\n", 1<<20) + "\nbody",
		"many headers":        strings.Repeat("X-A: b\n", 1<<20) + "\nbody",
		"many ats":            "From: a@b.example\nSubject: Undeliverable\n\n" + strings.Repeat("@a.bc ", 300000),
		"long local":          "From: mailer-daemon@b.example\nSubject: Undeliverable\n\n" + strings.Repeat("a", 2<<20) + "@x.example 550 5.1.1 unknown user",
		"many recipients":     "From: mailer-daemon@b.example\nSubject: Undeliverable\n\n" + strings.Repeat("<u@x.example>: 550 5.1.1 user unknown\n", 50000),
		"html tags":           "From: a@c.example\nTo: ar+x@f.example\nContent-Type: text/html\n\n" + strings.Repeat("<a<b", 500000),
		"html script":         "From: a@c.example\nTo: ar+x@f.example\nContent-Type: text/html\n\n<script>" + strings.Repeat("<script>", 200000),
		"quote lines":         "From: a@c.example\nTo: ar+x@f.example\n\n" + strings.Repeat("On x wrote\n", 200000),
		"dsn groups":          "From: a@b.example\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n" + strings.Repeat("Final-Recipient: rfc822; a@b.example\nAction: failed\n\n", 100000),
		"broken base64":       "From: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + strings.Repeat("!!==AB", 500000),
		"broken qp":           "From: a@b.example\nContent-Transfer-Encoding: quoted-printable\n\n" + strings.Repeat("=Z=\n=", 500000),
		"many references":     "From: a@b.example\nReferences: " + strings.Repeat("<a@b> ", 200000) + "\n\nx",
		"invoice-like digits": "From: a@b.example\nSubject: " + strings.Repeat("-2026-000123", 100000) + "\n\nx",
	} {
		start := time.Now()
		res, err := Options{}.classify([]byte(raw))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: took %v", name, d)
		} else {
			t.Logf("%s: %v", name, d)
		}
		if res.Kind == "" {
			t.Errorf("%s: no kind (err %v)", name, err)
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestBrokenCharsets(t *testing.T) {
	raw := msg(
		"From: =?x-unknown?B?/w==?= <a@client.example>",
		"To: ar+x1@firm.example",
		"Subject: =?iso-8859-1?Q?Re:_Factura_=F1?= \xff\xfe",
		"Content-Type: text/plain; charset=x-nonsense",
		"Content-Transfer-Encoding: 8bit",
		"",
		"Se\xf1or, el pago est\xe1 hecho. \xff",
	)
	res, err := Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{res.Subject, res.Text, res.From} {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8: %q", s)
		}
	}
	if !strings.HasPrefix(res.Text, "Señor, el pago está hecho.") {
		t.Errorf("text %q", res.Text)
	}
	raw = msg("From: a@b.example", "To: ar+x1@firm.example", "Content-Type: text/plain; charset=iso-2022-jp", "", "\x1b$B$3$s$K$A$O\x1b(B")
	if res, _ := Classify(raw); res.Text != "こんにちは" {
		t.Errorf("iso-2022-jp text %q", res.Text)
	}
}

func TestSizeLimit(t *testing.T) {
	attachment := strings.Repeat("QUFBQUFB", 1<<12)
	raw := msg(
		"From: a@client.example",
		"To: ar+x1@firm.example",
		"Subject: Re: invoice",
		`Content-Type: multipart/mixed; boundary="b"`,
		"",
		"--b",
		"Content-Type: text/plain",
		"",
		"Here is the receipt.",
		"--b",
		`Content-Type: application/pdf; name="r.pdf"`,
		"Content-Transfer-Encoding: base64",
		"",
		attachment,
		"--b--",
	)
	res, err := Options{MaxSize: len(raw) - 100}.Classify(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.Kind != KindReply || res.Text != "Here is the receipt." || len(res.Attachments) != 0 {
		t.Errorf("truncated %v kind %s text %q attachments %d", res.Truncated, res.Kind, res.Text, len(res.Attachments))
	}
	res, _ = Classify(raw)
	if res.Truncated || len(res.Attachments) != 1 || res.Attachments[0].Size != 6<<12 {
		t.Errorf("whole: truncated %v attachments %d", res.Truncated, len(res.Attachments))
	}
}

func TestAnsweredStage(t *testing.T) {
	for s, want := range map[string]smtpStage{
		// Postfix, with its line wrapped inside the phrase.
		"host mx.example[192.0.2.1] said: 550\n    5.2.1 <a@b.example>... User Unknown (in reply to RCPT TO\n    command)": stageRcpt,
		"host mx.example said: 554 5.7.1 Rejected (in reply to end of DATA command)":                                       stageData,
		// Exim.
		"SMTP error from remote mail server after RCPT TO:<a@b.example>:\nhost mx: 550 5.2.1 User Unknown": stageRcpt,
		"SMTP error from remote server after RCPT command:\nhost mx: 550 No such user":                     stageRcpt,
		"SMTP error from remote mail server after end of data:\nhost mx: 550 Unknown user":                 stageData,
		// qmail.
		"192.0.2.1 does not like recipient.\nRemote host said: 550 5.2.1 <a@b.example>... User Unknown": stageRcpt,
		// Sendmail transcripts: the command right before the failing reply.
		"... while talking to mx.example.:\n>>> RCPT To:<a@b.example>\n<<< 550 5.2.1 Account disabled":             stageRcpt,
		"... while talking to mx.example.:\n>>> RCPT To:<a@b.example>\n<<< 250 OK\n>>> DATA\n<<< 550 Unknown user": stageData,
		// A summary that names the recipient is no transcript.
		"Message details:\n  MAIL FROM: a@firm.example\n  RCPT TO: b@client.example\n": stageUnknown,
		"550 5.1.1 <a@b.example>... User Unknown":                                      stageUnknown,
	} {
		if got := answeredStage(s); got != want {
			t.Errorf("answeredStage(%q) = %d, want %d", s, got, want)
		}
	}
}
