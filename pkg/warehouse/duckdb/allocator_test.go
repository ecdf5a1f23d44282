package duckdb

import (
	"context"
	"testing"
)

func TestSettingsAllocatorFlush(t *testing.T) {
	for _, tc := range []struct {
		name, flush string
		want        string // as DuckDB shows the setting
	}{
		{"set", "1MB", "976.5 KiB"},
		{"duckdb's own", "", "128.0 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			w, err := Open(ctx, "", WithSettings(Settings{AllocatorFlush: tc.flush, Threads: 1}))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			var got string
			if err := w.DB().QueryRowContext(ctx, `SELECT current_setting('allocator_flush_threshold')`).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("allocator_flush_threshold = %q, want %q", got, tc.want)
			}
		})
	}
}
