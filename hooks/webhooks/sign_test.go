package webhooks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"facturo/hooks/webhooks"
)

func TestVerify(t *testing.T) {
	secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
	body := []byte(`{"id":"d1","type":"invoice.paid"}`)
	sent := time.Unix(1_767_225_600, 0)
	header := webhooks.Sign(secret, sent, body)
	if !strings.HasPrefix(header, "t=1767225600,v1=") {
		t.Fatalf("header %q", header)
	}

	cases := []struct {
		name    string
		secret  string
		header  string
		body    []byte
		now     time.Time
		wantErr error
	}{
		{"as sent", secret, header, body, sent.Add(time.Minute), nil},
		{"with a second, rotated signature", secret, header + ",v1=00ff", body, sent, nil},
		{"the wrong secret", "another-secret-another-secret-another", header, body, sent, webhooks.ErrSignatureMismatch},
		{"a changed body", secret, header, []byte(`{"id":"d1","type":"invoice.paid" }`), sent, webhooks.ErrSignatureMismatch},
		{"a timestamp changed to look recent", secret, strings.Replace(header, "t=1767225600", "t=1767225900", 1), body, sent.Add(5 * time.Minute), webhooks.ErrSignatureMismatch},
		{"too old", secret, header, body, sent.Add(6 * time.Minute), webhooks.ErrTimestampTooOld},
		{"from the future", secret, header, body, sent.Add(-6 * time.Minute), webhooks.ErrTimestampTooOld},
		{"no signature", secret, "t=1767225600", body, sent, webhooks.ErrMalformedSignature},
		{"garbage", secret, "sha256=abc", body, sent, webhooks.ErrMalformedSignature},
		{"two timestamps", secret, "t=1," + header, body, sent, webhooks.ErrMalformedSignature},
	}
	for _, c := range cases {
		err := webhooks.Verify(c.secret, c.header, c.body, 5*time.Minute, c.now)
		if !errors.Is(err, c.wantErr) {
			t.Errorf("%s: %v, want %v", c.name, err, c.wantErr)
		}
	}
}
