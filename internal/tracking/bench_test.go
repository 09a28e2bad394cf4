package tracking

import "testing"

func BenchmarkSign(b *testing.B) {
	kr := newTestKeyring(b, "k1")
	c := testClaims(KindPixel)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Sign(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	kr := newTestKeyring(b, "k1")
	tok := sign(b, kr, testClaims(KindPixel))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Verify(tok, KindPixel, sentAt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyForged(b *testing.B) {
	// A forged token costs one HMAC and no claim parsing.
	kr := newTestKeyring(b, "k1")
	raw, _ := encoding.DecodeString(sign(b, kr, testClaims(KindPixel)))
	raw[len(raw)-1] ^= 1
	forged := encoding.EncodeToString(raw)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Verify(forged, KindPixel, sentAt); err != ErrBadSignature {
			b.Fatalf("forged token: err = %v, want ErrBadSignature", err)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Classify(uaChromeWin, personIPv4, sentAt, later)
	}
}
