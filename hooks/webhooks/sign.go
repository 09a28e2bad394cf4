package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Headers of every delivery.
const (
	HeaderSignature = "Facturo-Signature" // t=<unix seconds>,v1=<hex HMAC-SHA256>
	HeaderEvent     = "Facturo-Event"     // the payload's type, e.g. invoice.issued
	HeaderDelivery  = "Facturo-Delivery"  // the delivery id, the same on every attempt: deduplicate by it
	UserAgent       = "facturo-webhooks/1"
)

// Reasons Verify refuses a delivery.
var (
	ErrMalformedSignature = errors.New("webhooks: the signature header is not t=<seconds>,v1=<hex>")
	ErrSignatureMismatch  = errors.New("webhooks: no signature matches the body and the secret")
	ErrTimestampTooOld    = errors.New("webhooks: the signature's timestamp is outside the tolerance")
)

// Sign is the Facturo-Signature header of body sent at t: the scheme Stripe
// uses, an HMAC-SHA256 keyed with the secret (its text, as shown to staff)
// of "<unix seconds>.<body>", in hex.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

// Verify checks a Facturo-Signature header against the raw body received:
// one of its v1 signatures must match, and its timestamp must be within
// tolerance of now (either way), which stops replays of old deliveries. A
// tolerance of zero or less skips the timestamp check.
func Verify(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	var ts string
	var signatures [][]byte
	for part := range strings.SplitSeq(header, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return ErrMalformedSignature
		}
		switch key {
		case "t":
			if ts != "" {
				return ErrMalformedSignature
			}
			ts = value
		case "v1":
			sig, err := hex.DecodeString(value)
			if err != nil {
				return ErrMalformedSignature
			}
			signatures = append(signatures, sig)
		}
		// Other schemes may be added later; they are skipped here.
	}
	seconds, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(signatures) == 0 {
		return ErrMalformedSignature
	}
	expected := mac(secret, ts, body)
	matched := false
	for _, sig := range signatures {
		if hmac.Equal(sig, expected) {
			matched = true
		}
	}
	if !matched {
		return ErrSignatureMismatch
	}
	if tolerance > 0 {
		age := now.Sub(time.Unix(seconds, 0))
		if age > tolerance || age < -tolerance {
			return ErrTimestampTooOld
		}
	}
	return nil
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
