package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// The Postfix fixtures are real reports and replies for invoices sent with
// the VERP sender bounces+<id>@billing.example.test and the Reply-To
// ar+<id>@billing.example.test.

func classifyFixture(t *testing.T, name string) Result {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "postfix", name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Classify(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

func TestPostfixHardBounce(t *testing.T) {
	for name, id := range map[string]string{
		"02-inv-002-Undelivered-Mail-Returned-to-Sender.eml": "inv-002",
		"inv-102-Undelivered-Mail-Returned-to-Sender.eml":    "inv-102",
	} {
		res := classifyFixture(t, name)
		if res.Kind != KindBounce {
			t.Fatalf("%s: kind %s, want bounce", name, res.Kind)
		}
		want := []Recipient{{
			Address:    "nobody@client.example",
			Action:     "failed",
			Status:     "5.1.0",
			ReplyCode:  550,
			Hard:       true,
			Reason:     ReasonUserUnknown,
			Diagnostic: "550 5.1.0 Requested action not taken: mailbox unavailable",
		}}
		if !reflect.DeepEqual(res.Recipients, want) {
			t.Errorf("%s: recipients\n got %+v\nwant %+v", name, res.Recipients, want)
		}
		wantMatch := Match{
			VERPMessageID: id,
			EnvelopeID:    id,
			MessageIDs:    []string{id + ".x1@billing.example.test"},
			InvoiceIDs:    []string{id},
		}
		if !reflect.DeepEqual(res.Match, wantMatch) {
			t.Errorf("%s: match\n got %+v\nwant %+v", name, res.Match, wantMatch)
		}
		if res.Subject != "Undelivered Mail Returned to Sender" || res.From != "mailer-daemon@billing.example.test" {
			t.Errorf("%s: subject %q from %q", name, res.Subject, res.From)
		}
	}
}

func TestPostfixDelay(t *testing.T) {
	res := classifyFixture(t, "03-inv-004-Delayed-Mail-still-being-retried-.eml")
	if res.Kind != KindDelay {
		t.Fatalf("kind %s, want delay", res.Kind)
	}
	want := []Recipient{{
		Address:    "someone@softfail.example",
		Action:     "delayed",
		Status:     "4.4.1",
		Reason:     ReasonNetworkError,
		Diagnostic: "connect to 127.0.0.1[127.0.0.1]:11026: Connection refused",
	}}
	if !reflect.DeepEqual(res.Recipients, want) {
		t.Errorf("recipients\n got %+v\nwant %+v", res.Recipients, want)
	}
	if res.Match.VERPMessageID != "inv-004" || res.Match.EnvelopeID != "inv-004" ||
		!reflect.DeepEqual(res.Match.MessageIDs, []string{"inv-004.x1@billing.example.test"}) ||
		!reflect.DeepEqual(res.Match.InvoiceIDs, []string{"inv-004"}) {
		t.Errorf("match %+v", res.Match)
	}
}

// An expired message is reported with Action failed and a 4.x.x status: a
// bounce, but a soft one.
func TestPostfixExpired(t *testing.T) {
	res := classifyFixture(t, "05-inv-004-Undelivered-Mail-Returned-to-Sender.eml")
	if res.Kind != KindBounce {
		t.Fatalf("kind %s, want bounce", res.Kind)
	}
	want := []Recipient{{
		Address:    "someone@softfail.example",
		Action:     "failed",
		Status:     "4.4.1",
		Reason:     ReasonExpired,
		Diagnostic: "connect to 127.0.0.1[127.0.0.1]:11026: Connection refused",
	}}
	if !reflect.DeepEqual(res.Recipients, want) {
		t.Errorf("recipients\n got %+v\nwant %+v", res.Recipients, want)
	}
	if res.Match.VERPMessageID != "inv-004" || res.Match.EnvelopeID != "inv-004" {
		t.Errorf("match %+v", res.Match)
	}
}

func TestPostfixSuccess(t *testing.T) {
	for name, id := range map[string]string{
		"04-inv-005-Successful-Mail-Delivery-Report.eml": "inv-005",
		"inv-101-Successful-Mail-Delivery-Report.eml":    "inv-101",
	} {
		res := classifyFixture(t, name)
		if res.Kind != KindDelivered {
			t.Fatalf("%s: kind %s, want delivered", name, res.Kind)
		}
		if len(res.Recipients) != 1 {
			t.Fatalf("%s: recipients %+v", name, res.Recipients)
		}
		rc := res.Recipients[0]
		if rc.Address != "customer@client.example" || rc.Action != "relayed" || rc.Status != "2.0.0" ||
			rc.ReplyCode != 250 || rc.Hard || rc.Reason != "" {
			t.Errorf("%s: recipient %+v", name, rc)
		}
		if res.Match.VERPMessageID != id || res.Match.EnvelopeID != id ||
			!reflect.DeepEqual(res.Match.MessageIDs, []string{id + ".x1@billing.example.test"}) ||
			!reflect.DeepEqual(res.Match.InvoiceIDs, []string{id}) {
			t.Errorf("%s: match %+v", name, res.Match)
		}
	}
}

func TestPostfixAutoReply(t *testing.T) {
	res := classifyFixture(t, "06-inv-101-Automatic-reply-Invoice-inv-101.eml")
	if res.Kind != KindAutoReply {
		t.Fatalf("kind %s, want auto_reply", res.Kind)
	}
	if len(res.Recipients) != 0 {
		t.Errorf("recipients %+v", res.Recipients)
	}
	want := Match{MessageIDs: []string{"inv-101.x1@billing.example.test"}, InvoiceIDs: []string{"inv-101"}}
	if !reflect.DeepEqual(res.Match, want) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, want)
	}
	if res.Text != "I am out of office." || res.From != "customer@client.example" {
		t.Errorf("text %q from %q", res.Text, res.From)
	}
}

func TestPostfixReply(t *testing.T) {
	res := classifyFixture(t, "07-inv-101-Re-Invoice-inv-101.eml")
	if res.Kind != KindReply {
		t.Fatalf("kind %s, want reply", res.Kind)
	}
	want := Match{MessageIDs: []string{"inv-101.x1@billing.example.test"}, InvoiceIDs: []string{"inv-101"}}
	if !reflect.DeepEqual(res.Match, want) {
		t.Errorf("match\n got %+v\nwant %+v", res.Match, want)
	}
	if res.Text != "Please send PO number." || res.Subject != "Re: Invoice inv-101" || res.From != "customer@client.example" {
		t.Errorf("text %q subject %q from %q", res.Text, res.Subject, res.From)
	}
	if len(res.Attachments) != 0 || len(res.Recipients) != 0 {
		t.Errorf("attachments %+v recipients %+v", res.Attachments, res.Recipients)
	}
}
