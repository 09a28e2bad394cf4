package tracking

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestTokenLayout(t *testing.T) {
	// The bytes are where the format comment says: a reader of version 1
	// in another release depends on it.
	kr := newTestKeyring(t, "k7")
	c := Claims{
		Kind:      KindPixel,
		MessageID: "zzzzzzzzzzzzzz9",
		Recipient: "ana@example.com",
		Expires:   time.Unix(0x01_02_03_04_05, 0),
	}
	raw, err := encoding.DecodeString(sign(t, kr, c))
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{1, 2, 'k', '7', 'p', 0x01, 0x02, 0x03, 0x04, 0x05}
	want = append(want, "zzzzzzzzzzzzzz9ana@example.com"...)
	if got := raw[:len(raw)-tagLen]; !bytes.Equal(got, want) {
		t.Fatalf("payload =\n%q, want\n%q", got, want)
	}
	if len(raw) != len(want)+tagLen {
		t.Fatalf("token is %d bytes, want %d", len(raw), len(want)+tagLen)
	}
	view := c
	view.Kind = KindView
	raw, _ = encoding.DecodeString(sign(t, kr, view))
	if raw[4] != 'v' {
		t.Fatalf("view kind byte = %q, want 'v'", raw[4])
	}
}

func TestTokenLength(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	for _, tc := range []struct {
		rcpt string
		max  int
	}{
		{"ana.garcia@example.com", 84},
		{"facturacion+proveedores@empresa-grande.es", 110},
		{strings.Repeat("a", 48-len("@example.com")) + "@example.com", 119},
		{strings.Repeat("a", maxRecipient-2) + "@b", 394},
	} {
		c := testClaims(KindView)
		c.Recipient = tc.rcpt
		if tok := sign(t, kr, c); len(tok) != tc.max {
			t.Errorf("token for %d-byte address is %d chars, want %d", len(tc.rcpt), len(tok), tc.max)
		}
	}
	// The longest valid token still verifies: maxToken is not too tight.
	long := newTestKeyring(t, "abcdefgh")
	c := testClaims(KindView)
	c.Recipient = strings.Repeat("a", maxRecipient-2) + "@b"
	tok := sign(t, long, c)
	if len(tok) != maxToken {
		t.Fatalf("longest token is %d chars, maxToken is %d", len(tok), maxToken)
	}
	if _, err := long.Verify(tok, KindView, sentAt); err != nil {
		t.Fatalf("longest token: %v", err)
	}
}

func TestLifetimes(t *testing.T) {
	for _, tc := range []struct {
		name string
		l    Lifetimes
		kind Kind
		want time.Duration
	}{
		{"pixel default", Lifetimes{}, KindPixel, 365 * 24 * time.Hour},
		{"view default", Lifetimes{}, KindView, 180 * 24 * time.Hour},
		{"pixel set", Lifetimes{Pixel: 30 * 24 * time.Hour, View: time.Hour}, KindPixel, 30 * 24 * time.Hour},
		{"view set", Lifetimes{Pixel: time.Hour, View: 90 * 24 * time.Hour}, KindView, 90 * 24 * time.Hour},
		{"negative is default", Lifetimes{Pixel: -time.Hour}, KindPixel, DefaultPixelLifetime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.l.Expires(tc.kind, sentAt); !got.Equal(sentAt.Add(tc.want)) {
				t.Fatalf("Expires = %v, want %v", got, sentAt.Add(tc.want))
			}
		})
	}
}
