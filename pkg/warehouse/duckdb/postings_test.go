package duckdb_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/duckdb"
)

// TestPostingsWhileLoading: a page asked while another process (the
// loader) holds the file fails, after a few tries, with
// warehouse.ErrWarehouseBusy; once the file is free the same read
// answers.
func TestPostingsWhileLoading(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "warehouse.duckdb")
	w, err := duckdb.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestChildPostings$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "WAREHOUSE_CHILD_POSTINGS="+path)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the child failed: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := read(); !strings.Contains(out, "busy: the warehouse is being loaded, try again in a moment") {
		t.Errorf("while the file is held: %s", out)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if out := read(); !strings.Contains(out, "page: 0 postings") {
		t.Errorf("once the file is free: %s", out)
	}
}

// TestChildPostings is the reading process of TestPostingsWhileLoading:
// it says what a page read answered.
func TestChildPostings(t *testing.T) {
	path := os.Getenv("WAREHOUSE_CHILD_POSTINGS")
	if path == "" {
		t.Skip("only run as a child process")
	}
	r := duckdb.NewFileSnapshotter(path)
	defer r.Close()
	page, err := r.Postings(context.Background(), warehouse.PostingQuery{Limit: 10, AsOf: time.Now()})
	switch {
	case errors.Is(err, warehouse.ErrWarehouseBusy):
		fmt.Println("busy:", warehouse.ErrWarehouseBusy)
	case err != nil:
		t.Fatal(err)
	default:
		fmt.Printf("page: %d postings\n", page.Total)
	}
}
