package pdf

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitLines(t *testing.T) {
	set, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	height := sizeBody / pointsPerMM
	wide := set.regular.Width("abcde fghij", sizeBody)
	for _, tc := range []struct {
		name, in string
		w        float64
		want     []string
	}{
		{"fits", "abcde fghij", wide, []string{"abcde fghij"}},
		{"breaks after the last space that fits, dropping it", "abcde fghij klmno", wide, []string{"abcde fghij", "klmno"}},
		{"keeps line breaks", "ab\ncd\n\nef\n\n", wide, []string{"ab", "cd", "", "ef"}},
		{"gives a character wider than the line a line of its own", "WW", 0.1, []string{"W", "W"}},
		{"measures multibyte runes", "ñññññ ñññññ ñ", set.regular.Width("ñññññ ñññññ", sizeBody), []string{"ñññññ ñññññ", "ñ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitLines(tc.in, set.regular, height, tc.w); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// A word longer than the line is cut into pieces that fit.
func TestSplitLinesCutsLongWords(t *testing.T) {
	set, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	word := strings.Repeat("x", 40)
	w := set.regular.Width("abcde fghij", sizeBody)
	got := splitLines(word, set.regular, sizeBody/pointsPerMM, w)
	if strings.Join(got, "") != word || len(got) < 2 {
		t.Fatalf("got %q", got)
	}
	for _, l := range got {
		if set.regular.Width(l, sizeBody) > w {
			t.Errorf("%q is wider than the line", l)
		}
	}
}
