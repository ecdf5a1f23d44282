package warehouse

import "testing"

func TestBatchKey(t *testing.T) {
	tests := []struct {
		objects []string
		want    string
	}{
		{[]string{"raw/trends/a.json", "raw/trends/b.json"}, "16baed6474d0622a"},
		{nil, "e3b0c44298fc1c14"}, // SHA-256 of nothing
	}
	for _, tc := range tests {
		if got := BatchKey(tc.objects); got != tc.want {
			t.Errorf("BatchKey(%q) = %s; want %s", tc.objects, got, tc.want)
		}
	}
	if BatchKey([]string{"a", "b"}) == BatchKey([]string{"b", "a"}) {
		t.Error("the key ignores the objects' order")
	}
}
