package invoicing

import (
	"facturo/internal/seal"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// TestSealVersionsOnlyGrow keeps each version of the sealed fields a prefix
// of the next, as checkSeal reads them.
func TestSealVersionsOnlyGrow(t *testing.T) {
	for v := 1; v < len(sealVersions); v++ {
		if prev := sealVersions[v-1]; len(sealVersions[v]) <= len(prev) || !slices.Equal(sealVersions[v][:len(prev)], prev) {
			t.Errorf("version %d does not extend version %d", v+1, v)
		}
	}
}

// TestCheckSealAcrossVersions seals a record under an older version of the
// sealed fields and checks it under a newer one: it still verifies, a field
// added since may not be filled in, and a sealed field may not change.
func TestCheckSealAcrossVersions(t *testing.T) {
	defer func(saved [][]string) { sealVersions = saved }(sealVersions)
	sealVersions = [][]string{{"notes"}, {"notes", "external_id"}}
	col := core.NewBaseCollection("sealtest")
	col.Fields.Add(&core.TextField{Name: "notes"}, &core.TextField{Name: "external_id"}, &core.TextField{Name: "content_hash"})
	r := core.NewRecord(col)
	r.Set("notes", "Pedido 7")
	r.Set("content_hash", seal.Hash(r, sealVersions[0]))
	if p := checkSeal(r); p != "" {
		t.Errorf("sealed under version 1: %s", p)
	}
	r.Set("external_id", "ERP-1")
	if p := checkSeal(r); p != "its external_id was set after it was sealed" {
		t.Errorf("a field added later, filled in: %q", p)
	}
	r.Set("content_hash", seal.Hash(r, sealVersions[1]))
	if p := checkSeal(r); p != "" {
		t.Errorf("sealed under version 2: %s", p)
	}
	r.Set("notes", "Pedido 8")
	if p := checkSeal(r); p == "" {
		t.Error("a changed note verified")
	}
}
