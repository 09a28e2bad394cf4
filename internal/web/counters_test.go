package web

import (
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestCountersForgetExpiredThenLeastCountedKeys: a full table makes room by
// forgetting a key whose window has passed, else a key with the lowest
// count, never one that has been counted more.
func TestCountersForgetExpiredThenLeastCountedKeys(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCounters(10, 5*time.Minute, 3)
	guessed, once, old := hashKey("guessed"), hashKey("once"), hashKey("old")
	c.add(old, t0)
	for range 4 {
		c.add(guessed, t0.Add(4*time.Minute))
	}
	c.add(once, t0.Add(4*time.Minute))

	// At 5 minutes "old" has expired: it goes first, though it is the
	// only one counted as little as "once".
	c.add(hashKey("new1"), t0.Add(5*time.Minute))
	if _, ok := c.entries[old]; ok || c.len() != 3 {
		t.Fatalf("the expired key is still there, or the table holds %d", c.len())
	}
	// Then the keys counted once, the oldest first.
	c.add(hashKey("new2"), t0.Add(6*time.Minute))
	if _, ok := c.entries[once]; ok {
		t.Error("the oldest key counted once was kept")
	}
	for i := range 1000 {
		c.add(hashKey(fmt.Sprint("flood", i)), t0.Add(6*time.Minute))
	}
	if e := c.entries[guessed]; e == nil || e.n != 4 || c.len() != 3 {
		t.Errorf("after a flood the guessed key is %+v, the table holds %d", e, c.len())
	}
	for range 6 {
		c.add(guessed, t0.Add(7*time.Minute))
	}
	if w := c.wait(guessed, t0.Add(7*time.Minute)); w != 2*time.Minute {
		t.Errorf("the guessed key waits %v, want the rest of its window, 2m", w)
	}
	if w := c.wait(guessed, t0.Add(9*time.Minute)); w != 0 {
		t.Errorf("once its window has passed, the key still waits %v", w)
	}
}

// TestUndoGivesBackOneCount: a success takes back its own count only.
func TestUndoGivesBackOneCount(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	c := newCounters(3, time.Minute, 10)
	k := hashKey("k")
	c.add(k, t0)
	c.add(k, t0)
	c.undo(k)
	if e := c.entries[k]; e == nil || e.n != 1 || c.byCount[1].head != e || c.byCount[2].head != nil {
		t.Fatalf("after two counts and an undo: %+v", e)
	}
	c.undo(k)
	if c.len() != 0 || c.byCount[1].head != nil {
		t.Errorf("a key counted back to zero is kept")
	}
}

// BenchmarkCountersFlood counts failures of new keys in a full table, and
// reports the table's heap per key.
func BenchmarkCountersFlood(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	c := newCounters(guessesAllowed, guessWindow, limitEntries)
	now := time.Now()
	for i := range limitEntries {
		c.add(hashKey(fmt.Sprint("fill", i)), now)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perKey := float64(after.HeapAlloc-before.HeapAlloc) / float64(limitEntries)
	keys := make([][16]byte, 1<<16)
	for i := range keys {
		keys[i] = hashKey(fmt.Sprint("flood", i))
	}
	b.ResetTimer()
	for i := range b.N {
		c.add(keys[i&(1<<16-1)], now)
	}
	if c.len() > limitEntries {
		b.Fatalf("%d keys", c.len())
	}
	b.ReportMetric(perKey, "heap-B/key")
	runtime.KeepAlive(c)
}
