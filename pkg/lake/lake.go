package lake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
)

// ErrNotFound is returned for an object that does not exist.
var ErrNotFound = errors.New("lake: object not found")

// ErrConflict is returned when a conditional write lost a race: another
// writer changed the object since it was read.
var ErrConflict = errors.New("lake: object changed concurrently")

// Lake is one Cloud Storage bucket. The storage client honours
// STORAGE_EMULATOR_HOST, so the same code runs against fake-gcs-server.
type Lake struct {
	client *storage.Client
	bucket string
}

// New opens the bucket.
func New(ctx context.Context, bucket string, opts ...option.ClientOption) (*Lake, error) {
	if bucket == "" {
		return nil, errors.New("lake: empty bucket name")
	}
	c, err := storage.NewClient(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("lake: storage client: %w", err)
	}
	return &Lake{client: c, bucket: bucket}, nil
}

// Close releases the client.
func (l *Lake) Close() error { return l.client.Close() }

// Bucket returns the bucket name.
func (l *Lake) Bucket() string { return l.bucket }

// URI returns the gs:// address of an object.
func (l *Lake) URI(name string) string { return "gs://" + l.bucket + "/" + name }

// uploadChunk is the size of one request of a resumable upload and so the
// memory an upload holds: a multiple of 256 KiB, as Cloud Storage requires.
const uploadChunk = 1 << 20

// Put writes an object whole, replacing any object of the same name.
func (l *Lake) Put(ctx context.Context, name, contentType string, data []byte) error {
	return l.PutStream(ctx, name, contentType, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// PutStream writes an object from fill, which streams into the writer. The
// object appears only if fill and the upload both succeed.
func (l *Lake) PutStream(ctx context.Context, name, contentType string, fill func(io.Writer) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := l.client.Bucket(l.bucket).Object(name).NewWriter(ctx)
	w.ContentType = contentType
	// A resumable upload in chunks, never one streamed request: the client
	// ends a streamed request's body with its closing boundary even when the
	// source fails, so the server would keep a truncated object as whole. A
	// resumable upload is finished only by a clean end of the source. Objects
	// smaller than a chunk still go in one request, once read whole.
	w.ChunkSize = uploadChunk
	if err := fill(w); err != nil {
		// Cancelling alone is not enough: the client notices the cancel in a
		// goroutine of its own, and a Close that wins that race ends the
		// source cleanly, which finishes the upload with what was written.
		// Failing the source first makes the abandoned upload fail whichever
		// comes first.
		_ = w.CloseWithError(err) //lint:ignore SA1019 cancel alone races with Close (see above)
		cancel()
		_ = w.Close()
		return fmt.Errorf("lake: write %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("lake: write %s: %w", name, err)
	}
	return nil
}

// Open returns a reader of the object.
func (l *Lake) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	r, err := l.client.Bucket(l.bucket).Object(name).NewReader(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return nil, fmt.Errorf("lake: open %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("lake: open %s: %w", name, err)
	}
	return r, nil
}

// Get reads an object whole.
func (l *Lake) Get(ctx context.Context, name string) ([]byte, error) {
	r, err := l.Open(ctx, name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("lake: read %s: %w", name, err)
	}
	return b, nil
}

// Delete removes an object; one already gone is no error.
func (l *Lake) Delete(ctx context.Context, name string) error {
	err := l.client.Bucket(l.bucket).Object(name).Delete(ctx)
	if err != nil && !errors.Is(err, storage.ErrObjectNotExist) {
		return fmt.Errorf("lake: delete %s: %w", name, err)
	}
	return nil
}

// List returns the names of the objects under prefix, sorted.
func (l *Lake) List(ctx context.Context, prefix string) ([]string, error) {
	objs, err := l.Objects(ctx, prefix)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(objs))
	for i, o := range objs {
		names[i] = o.Name
	}
	return names, nil
}

// Object describes one object of a listing.
type Object struct {
	Name    string
	Updated time.Time
	Size    int64
}

// Objects lists the objects under prefix with their update times, sorted
// by name.
func (l *Lake) Objects(ctx context.Context, prefix string) ([]Object, error) {
	q := &storage.Query{Prefix: prefix}
	if err := q.SetAttrSelection([]string{"Name", "Updated", "Size"}); err != nil {
		return nil, fmt.Errorf("lake: list %s: %w", prefix, err)
	}
	it := l.client.Bucket(l.bucket).Objects(ctx, q)
	var out []Object
	for {
		a, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("lake: list %s: %w", prefix, err)
		}
		out = append(out, Object{Name: a.Name, Updated: a.Updated, Size: a.Size})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// ReadJSON decodes a JSON object and returns its generation, which a later
// WriteJSON can use as a precondition. A missing object yields ErrNotFound.
func (l *Lake) ReadJSON(ctx context.Context, name string, v any) (generation int64, err error) {
	r, err := l.client.Bucket(l.bucket).Object(name).NewReader(ctx)
	if errors.Is(err, storage.ErrObjectNotExist) {
		return 0, fmt.Errorf("lake: read %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("lake: read %s: %w", name, err)
	}
	defer r.Close()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		return 0, fmt.Errorf("lake: decode %s: %w", name, err)
	}
	return r.Attrs.Generation, nil
}

// WriteJSON writes v as JSON only if the object is still at generation
// (0: only if it does not exist yet). A lost race yields ErrConflict.
func (l *Lake) WriteJSON(ctx context.Context, name string, generation int64, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("lake: encode %s: %w", name, err)
	}
	obj := l.client.Bucket(l.bucket).Object(name)
	if generation == 0 {
		obj = obj.If(storage.Conditions{DoesNotExist: true})
	} else {
		obj = obj.If(storage.Conditions{GenerationMatch: generation})
	}
	w := obj.NewWriter(ctx)
	w.ContentType = "application/json"
	if _, err := io.Copy(w, bytes.NewReader(data)); err != nil {
		_ = w.Close()
		return fmt.Errorf("lake: write %s: %w", name, err)
	}
	if err := w.Close(); err != nil {
		if isPrecondition(err) {
			return fmt.Errorf("lake: write %s: %w", name, ErrConflict)
		}
		return fmt.Errorf("lake: write %s: %w", name, err)
	}
	return nil
}
