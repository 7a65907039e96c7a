package command

import (
	"reflect"
	"testing"
)

func TestFilters(t *testing.T) {
	var f Filters
	if f.Map() != nil {
		t.Fatal("no filter must be nil")
	}
	for _, v := range []string{"label=a=1", " Label = b=9 ", "name=web", "label=a=1", "until="} {
		if err := f.Set(v); err != nil {
			t.Fatalf("Set(%q): %v", v, err)
		}
	}
	want := map[string][]string{"label": {"a=1", "b=9"}, "name": {"web"}, "until": {""}}
	if got := f.Map(); !reflect.DeepEqual(got, want) {
		t.Errorf("Map() = %v, want %v", got, want)
	}
	if err := f.Set("dangling"); err == nil || err.Error() != "bad format of filter (expected name=value)" {
		t.Errorf("Set without '=': %v", err)
	}
}
