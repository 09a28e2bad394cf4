package tracking

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"
)

// sentAt is the fixed moment the test messages were sent.
var sentAt = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// testKey returns a distinct, repeatable 32-byte key for id.
func testKey(id string) []byte {
	k := sha256.Sum256([]byte("test key " + id))
	return k[:]
}

// newTestKeyring returns a keyring holding the test keys of ids, signing
// with current.
func newTestKeyring(t testing.TB, current string, ids ...string) *Keyring {
	t.Helper()
	keys := map[string][]byte{current: testKey(current)}
	for _, id := range ids {
		keys[id] = testKey(id)
	}
	kr, err := NewKeyring(current, keys)
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return kr
}

// testClaims returns valid claims of kind k expiring a view lifetime after sentAt.
func testClaims(k Kind) Claims {
	return Claims{
		Kind:      k,
		MessageID: "a1b2c3d4e5f6g7h",
		Recipient: "ana.garcia@example.com",
		Expires:   sentAt.Add(DefaultViewLifetime),
	}
}

// sign signs c with kr or fails the test.
func sign(t testing.TB, kr *Keyring, c Claims) string {
	t.Helper()
	tok, err := kr.Sign(c)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", c, err)
	}
	return tok
}

// sentinels are every error Verify may return.
var sentinels = []error{ErrMalformed, ErrBadSignature, ErrExpired, ErrWrongKind, ErrUnknownKey}

// isSentinel reports whether err is exactly one of Verify's errors.
func isSentinel(err error) bool {
	for _, s := range sentinels {
		if err == s {
			return true
		}
	}
	return false
}

func TestSignVerifyRoundTrip(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	for _, k := range []Kind{KindPixel, KindView} {
		t.Run(string(k), func(t *testing.T) {
			want := testClaims(k)
			tok := sign(t, kr, want)
			got, err := kr.Verify(tok, k, sentAt.Add(time.Hour))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != want {
				t.Fatalf("claims = %+v, want %+v", got, want)
			}
			if len(tok) >= 120 {
				t.Errorf("token is %d characters, want < 120 for a usual address", len(tok))
			}
		})
	}
}

func TestSignIsDeterministic(t *testing.T) {
	// The same claims and key give the same token, so a verified token
	// has exactly one form (FuzzVerify relies on it too).
	kr := newTestKeyring(t, "k1")
	c := testClaims(KindView)
	if a, b := sign(t, kr, c), sign(t, kr, c); a != b {
		t.Fatalf("two signatures of the same claims differ:\n%s\n%s", a, b)
	}
}

func TestRecipientsRoundTrip(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	for _, rcpt := range []string{
		"ana+facturas@example.com",
		"josé.garcía@correo.es",
		"Ünïcödé.Ñame@exämple.de",
		"用户@例子.广告",
		"\"quoted local part\"@example.com",
		"o'brien@example.ie",
		"UPPER.Case@Example.COM",
		"x@y",
		strings.Repeat("a", maxRecipient-len("@example.com")) + "@example.com",
	} {
		t.Run(rcpt, func(t *testing.T) {
			c := testClaims(KindPixel)
			c.Recipient = rcpt
			got, err := kr.Verify(sign(t, kr, c), KindPixel, sentAt)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Recipient != rcpt {
				t.Fatalf("recipient = %q, want %q", got.Recipient, rcpt)
			}
		})
	}
}

func TestSignRefusesBadClaims(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	for name, edit := range map[string]func(*Claims){
		"unknown kind":          func(c *Claims) { c.Kind = "click" },
		"empty kind":            func(c *Claims) { c.Kind = "" },
		"short message id":      func(c *Claims) { c.MessageID = "abc" },
		"upper-case message id": func(c *Claims) { c.MessageID = "A1B2C3D4E5F6G7H" },
		"recipient as id":       func(c *Claims) { c.Recipient = "a1b2c3d4e5f6g7h" },
		"empty recipient":       func(c *Claims) { c.Recipient = "" },
		"long recipient":        func(c *Claims) { c.Recipient = strings.Repeat("a", maxRecipient) + "@x" },
		"recipient with CR LF":  func(c *Claims) { c.Recipient = "a@b\r\nBcc: c@d" },
		"recipient not UTF-8":   func(c *Claims) { c.Recipient = "a\xff@b" },
		"no expiry":             func(c *Claims) { c.Expires = time.Time{} },
		"expiry before 1970":    func(c *Claims) { c.Expires = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) },
		"expiry past the field": func(c *Claims) { c.Expires = time.Unix(maxExpiry+1, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			c := testClaims(KindView)
			edit(&c)
			if tok, err := kr.Sign(c); err == nil {
				t.Fatalf("Sign accepted %+v: %s", c, tok)
			}
		})
	}
}

func TestVerifyRefusesWrongKind(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	for _, tc := range []struct{ signed, offered Kind }{
		{KindPixel, KindView},
		{KindView, KindPixel},
		{KindView, "click"},
	} {
		tok := sign(t, kr, testClaims(tc.signed))
		if _, err := kr.Verify(tok, tc.offered, sentAt); err != ErrWrongKind {
			t.Errorf("%s token offered as %s: err = %v, want ErrWrongKind", tc.signed, tc.offered, err)
		}
	}
}

func TestVerifyExpiryBoundary(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	c := testClaims(KindView)
	c.Expires = sentAt.Add(DefaultViewLifetime)
	tok := sign(t, kr, c)
	for _, tc := range []struct {
		name string
		now  time.Time
		want error
	}{
		{"at sending", sentAt, nil},
		{"a second before", c.Expires.Add(-time.Second), nil},
		{"a nanosecond before", c.Expires.Add(-time.Nanosecond), nil},
		{"at expiry", c.Expires, ErrExpired},
		{"a nanosecond after", c.Expires.Add(time.Nanosecond), ErrExpired},
		{"a year after", c.Expires.AddDate(1, 0, 0), ErrExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := kr.Verify(tok, KindView, tc.now); err != tc.want {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestExpiresKeepsWholeSeconds(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	c := testClaims(KindPixel)
	c.Expires = sentAt.Add(90*time.Minute + 999*time.Millisecond)
	got, err := kr.Verify(sign(t, kr, c), KindPixel, sentAt)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if want := sentAt.Add(90 * time.Minute); !got.Expires.Equal(want) {
		t.Fatalf("expires = %v, want %v", got.Expires, want)
	}
}

func TestEveryTamperedCharacterFails(t *testing.T) {
	kr := newTestKeyring(t, "k1", "k2")
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	// Three address lengths give all three remainders of the length by 3,
	// so the last character carries 0, 2 or 4 unused bits in turn.
	for _, tc := range []struct {
		kind Kind
		rcpt string
	}{
		{KindPixel, "ana.garcia@example.com"},
		{KindView, "ana.garcia@example.com"},
		{KindView, "ana.garcia@example.coms"},
		{KindView, "ana.garcia@example.comss"},
	} {
		c := testClaims(tc.kind)
		c.Recipient = tc.rcpt
		k := tc.kind
		tok := sign(t, kr, c)
		for i := range len(tok) {
			for _, r := range alphabet {
				if byte(r) == tok[i] {
					continue
				}
				bad := tok[:i] + string(r) + tok[i+1:]
				if _, err := kr.Verify(bad, k, sentAt); !isSentinel(err) {
					t.Fatalf("%s token for %s with char %d changed to %q: err = %v, want a refusal", k, tc.rcpt, i, r, err)
				}
			}
		}
	}
}

func TestEveryFlippedBitFails(t *testing.T) {
	kr := newTestKeyring(t, "k1", "k2")
	tok := sign(t, kr, testClaims(KindView))
	raw, err := encoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	tagAt := len(raw) - tagLen
	for i := range raw {
		for bit := range 8 {
			b := append([]byte(nil), raw...)
			b[i] ^= 1 << bit
			_, err := kr.Verify(encoding.EncodeToString(b), KindView, sentAt)
			if !isSentinel(err) {
				t.Fatalf("byte %d bit %d flipped: err = %v, want a refusal", i, bit, err)
			}
			// Past the key id, every change is caught by the signature
			// before anything is read, kind and expiry included.
			if i >= 2+len("k1") && err != ErrBadSignature {
				t.Fatalf("byte %d bit %d flipped: err = %v, want ErrBadSignature", i, bit, err)
			}
			if i >= tagAt && err != ErrBadSignature {
				t.Fatalf("tag byte %d bit %d flipped: err = %v, want ErrBadSignature", i, bit, err)
			}
		}
	}
}

func TestKeyRotation(t *testing.T) {
	old := newTestKeyring(t, "k1")
	oldTok := sign(t, old, testClaims(KindView))

	// A new current key is added; the old one stays to verify.
	rotated := newTestKeyring(t, "k2", "k1")
	if rotated.CurrentID() != "k2" {
		t.Fatalf("current = %q, want k2", rotated.CurrentID())
	}
	if _, err := rotated.Verify(oldTok, KindView, sentAt); err != nil {
		t.Fatalf("token of the old key after rotation: %v", err)
	}
	newTok := sign(t, rotated, testClaims(KindView))
	if _, err := rotated.Verify(newTok, KindView, sentAt); err != nil {
		t.Fatalf("token of the new key: %v", err)
	}
	// The keyring before rotation has never heard of k2.
	if _, err := old.Verify(newTok, KindView, sentAt); err != ErrUnknownKey {
		t.Fatalf("new token on the old keyring: err = %v, want ErrUnknownKey", err)
	}

	// The old key is removed.
	retired := newTestKeyring(t, "k2")
	if _, err := retired.Verify(oldTok, KindView, sentAt); err != ErrUnknownKey {
		t.Fatalf("token of a removed key: err = %v, want ErrUnknownKey", err)
	}
	if _, err := retired.Verify(newTok, KindView, sentAt); err != nil {
		t.Fatalf("token of the current key after removal: %v", err)
	}

	// Same id, another secret: a forgery, not an unknown key.
	impostor, err := NewKeyring("k1", map[string][]byte{"k1": testKey("not k1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := impostor.Verify(oldTok, KindView, sentAt); err != ErrBadSignature {
		t.Fatalf("token checked with another key of the same id: err = %v, want ErrBadSignature", err)
	}
}

func TestNewKeyringRefuses(t *testing.T) {
	good := testKey("k1")
	for name, tc := range map[string]struct {
		current string
		keys    map[string][]byte
	}{
		"no keys":            {"k1", nil},
		"current missing":    {"k2", map[string][]byte{"k1": good}},
		"short key":          {"k1", map[string][]byte{"k1": good[:MinKeySize-1]}},
		"short old key":      {"k1", map[string][]byte{"k1": good, "k0": good[:8]}},
		"upper-case id":      {"K1", map[string][]byte{"K1": good}},
		"empty id":           {"", map[string][]byte{"": good}},
		"long id":            {"abcdefghi", map[string][]byte{"abcdefghi": good}},
		"id with a hyphen":   {"k-1", map[string][]byte{"k-1": good}},
		"bad id not current": {"k1", map[string][]byte{"k1": good, "old key": good}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := NewKeyring(tc.current, tc.keys); err == nil {
				t.Fatal("NewKeyring accepted it")
			}
		})
	}
}

func TestKeyringCopiesKeys(t *testing.T) {
	key := testKey("k1")
	kr, err := NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		t.Fatal(err)
	}
	tok := sign(t, kr, testClaims(KindView))
	key[0] ^= 0xff // the caller reuses its buffer
	if _, err := kr.Verify(tok, KindView, sentAt); err != nil {
		t.Fatalf("Verify after the caller changed its key slice: %v", err)
	}
}

func TestVerifyRefusesGarbage(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	tok := sign(t, kr, testClaims(KindView))
	for name, tc := range map[string]struct {
		token string
		want  []error // any of these
	}{
		"empty":              {"", []error{ErrMalformed}},
		"one char":           {"A", []error{ErrMalformed}},
		"padding only":       {"====", []error{ErrMalformed}},
		"very long":          {strings.Repeat("A", 1<<20), []error{ErrMalformed}},
		"just over max":      {strings.Repeat("A", maxToken+1), []error{ErrMalformed}},
		"not base64":         {"this is not a token!", []error{ErrMalformed}},
		"standard base64":    {strings.ReplaceAll(strings.ReplaceAll(tok, "-", "+"), "_", "/") + "+/", []error{ErrMalformed}},
		"padded":             {tok + "==", []error{ErrMalformed}},
		"newline inside":     {tok[:10] + "\n" + tok[10:], []error{ErrMalformed}},
		"trailing newline":   {tok + "\n", []error{ErrMalformed}},
		"space inside":       {tok[:10] + " " + tok[10:], []error{ErrMalformed}},
		"percent-encoded":    {"%41" + tok[3:], []error{ErrMalformed}},
		"unicode":            {"ñandú" + tok[7:], []error{ErrMalformed}},
		"NUL":                {tok[:5] + "\x00" + tok[6:], []error{ErrMalformed}},
		"zero bytes":         {encoding.EncodeToString(make([]byte, 80)), []error{ErrMalformed}},
		"version 2":          {reencode(t, tok, func(b []byte) []byte { b[0] = 2; return b }), []error{ErrMalformed}},
		"version 0":          {reencode(t, tok, func(b []byte) []byte { b[0] = 0; return b }), []error{ErrMalformed}},
		"extra char":         {tok + "A", []error{ErrMalformed, ErrBadSignature}},
		"extra byte":         {reencode(t, tok, func(b []byte) []byte { return append(b, 0) }), []error{ErrBadSignature}},
		"tag dropped":        {reencode(t, tok, func(b []byte) []byte { return b[:len(b)-tagLen] }), []error{ErrBadSignature}},
		"key id too long":    {reencode(t, tok, func(b []byte) []byte { b[1] = maxKeyID + 1; return b }), []error{ErrMalformed}},
		"key id zero length": {reencode(t, tok, func(b []byte) []byte { b[1] = 0; return b }), []error{ErrMalformed}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := kr.Verify(tc.token, KindView, sentAt)
			for _, w := range tc.want {
				if err == w {
					return
				}
			}
			t.Fatalf("err = %v, want one of %v", err, tc.want)
		})
	}
}

func TestVerifyRefusesEveryTruncation(t *testing.T) {
	kr := newTestKeyring(t, "k1")
	tok := sign(t, kr, testClaims(KindPixel))
	for n := range len(tok) {
		if _, err := kr.Verify(tok[:n], KindPixel, sentAt); !isSentinel(err) {
			t.Fatalf("token cut to %d chars: err = %v, want a refusal", n, err)
		}
	}
}

func TestErrorsAreDistinct(t *testing.T) {
	for i, a := range sentinels {
		for j, b := range sentinels {
			if i != j && errors.Is(a, b) {
				t.Errorf("%v is %v", a, b)
			}
		}
	}
}

// reencode decodes tok, lets edit change the bytes and encodes them again.
func reencode(t *testing.T, tok string, edit func([]byte) []byte) string {
	t.Helper()
	b, err := encoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	return encoding.EncodeToString(edit(b))
}

func FuzzVerify(f *testing.F) {
	kr := newTestKeyring(f, "k1", "k0")
	for _, k := range []Kind{KindPixel, KindView} {
		f.Add(sign(f, kr, testClaims(k)))
	}
	old := newTestKeyring(f, "k0")
	f.Add(sign(f, old, testClaims(KindView)))
	c := testClaims(KindPixel)
	c.Recipient = "用户+a@例子.广告"
	f.Add(sign(f, kr, c))
	for _, s := range []string{"", "A", "====", "AQJrMXA", "not a token", strings.Repeat("_", maxToken)} {
		f.Add(s)
	}
	now := sentAt.Add(time.Hour)
	f.Fuzz(func(t *testing.T, token string) {
		for _, want := range []Kind{KindPixel, KindView} {
			got, err := kr.Verify(token, want, now)
			if err != nil {
				if !isSentinel(err) {
					t.Fatalf("Verify(%q) = %v, not one of the sentinel errors", token, err)
				}
				continue
			}
			// Whatever verifies must be claims Sign would make, with the
			// kind asked for, unexpired, and of exactly one encoding.
			if got.Kind != want || !now.Before(got.Expires) {
				t.Fatalf("Verify(%q, %s) accepted %+v", token, want, got)
			}
			if err := got.check(); err != nil {
				t.Fatalf("Verify(%q) accepted claims Sign refuses: %v", token, err)
			}
			raw, _ := encoding.DecodeString(token)
			id := string(raw[2 : 2+raw[1]])
			signer := newTestKeyring(t, id)
			if again, err := signer.Sign(got); err != nil || again != token {
				t.Fatalf("Verify(%q) accepted a token Sign writes as %q (%v)", token, again, err)
			}
		}
	})
}
