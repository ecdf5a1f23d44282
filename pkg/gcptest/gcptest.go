// Package gcptest runs the GCP services the pipeline needs on loopback,
// with no cloud account: fake-gcs-server for Cloud Storage (data on disk
// when a directory is given) and pstest for Pub/Sub. The jobs reach them
// through the real client libraries, via STORAGE_EMULATOR_HOST and
// PUBSUB_EMULATOR_HOST. Tests start them (Clients, ForTest), and so does
// package stack, which runs the whole pipeline locally on them.
package gcptest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"cloud.google.com/go/pubsub/v2/pstest"
	"github.com/fsouza/fake-gcs-server/fakestorage"
	"google.golang.org/api/option"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"

	"jobpulse/pkg/bus"
)

// Options configure Start.
type Options struct {
	// Dir keeps the Cloud Storage objects on disk under Dir/gcs; empty keeps
	// them in memory.
	Dir     string
	Project string
	Bucket  string
	// Topology is created on the Pub/Sub server.
	Topology bus.Topology
	// Log receives fake-gcs-server's request log (discarded when nil).
	Log io.Writer
}

// Stack is a running set of local servers.
type Stack struct {
	GCS      *fakestorage.Server
	PubSub   *pstest.Server
	Project  string
	Bucket   string
	gcsHost  string
	topology bus.Topology
}

// Replay delivers again to subscription every message published to its
// topic since t, as seeking the subscription back to t does in Pub/Sub.
// The messages are published anew, so every subscription of the topic sees
// them: the local topology has one subscription per topic. It returns how
// many messages were replayed.
func (s *Stack) Replay(subscription string, t time.Time) (int, error) {
	topic := ""
	for _, sub := range s.topology.Subscriptions {
		if sub.ID == subscription {
			topic = "projects/" + s.Project + "/topics/" + sub.Topic
		}
	}
	if topic == "" {
		return 0, fmt.Errorf("gcptest: replay: unknown subscription %q", subscription)
	}
	n := 0
	for _, m := range s.PubSub.Messages() {
		if m.Topic == topic && !m.PublishTime.Before(t) {
			s.PubSub.Publish(topic, m.Data, m.Attributes)
			n++
		}
	}
	return n, nil
}

// Start starts the servers, creates the bucket, topics and subscriptions.
// Close stops them.
func Start(ctx context.Context, o Options) (*Stack, error) {
	if o.Project == "" || o.Bucket == "" {
		return nil, errors.New("gcptest: project and bucket are required")
	}
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	root := ""
	if o.Dir != "" {
		root = filepath.Join(o.Dir, "gcs")
		if err := os.MkdirAll(root, 0o755); err != nil {
			return nil, fmt.Errorf("gcptest: %w", err)
		}
	}
	// fake-gcs-server must be told its port (its public host names it), so
	// a free one is looked up first; another process may take it in the
	// meantime, and then another is tried.
	var gcs *fakestorage.Server
	var gopts fakestorage.Options
	for try := 1; ; try++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		gopts = fakestorage.Options{
			Scheme: "http",
			Host:   "127.0.0.1",
			Port:   uint16(port),
			// Reads of the Go client go through the XML path, on this host.
			PublicHost:  fmt.Sprintf("127.0.0.1:%d", port),
			Writer:      log,
			StorageRoot: root,
		}
		gcs, err = fakestorage.NewServerWithOptions(gopts)
		if err == nil {
			break
		}
		if try == 5 {
			return nil, fmt.Errorf("gcptest: fake-gcs-server: %w", err)
		}
	}
	gcs.CreateBucketWithOpts(fakestorage.CreateBucketOpts{Name: o.Bucket})
	// pstest's Seek loses the bodies of acknowledged messages (and then
	// crashes on the next pull), so it is refused here; Replay does the
	// same job for the local stack.
	noSeek := pstest.WithErrorInjection("Seek", codes.Unimplemented, "the local Pub/Sub server cannot seek: use the stack's replay")
	s := &Stack{GCS: gcs, PubSub: pstest.NewServerWithAddress("127.0.0.1:0", noSeek), Project: o.Project, Bucket: o.Bucket, gcsHost: gopts.PublicHost, topology: o.Topology}

	b, err := bus.New(ctx, o.Project, s.BusOptions()...)
	if err != nil {
		s.Close()
		return nil, err
	}
	defer b.Close()
	if err := b.Ensure(ctx, o.Topology); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Env is the environment a job needs to use the stack.
func (s *Stack) Env() map[string]string {
	return map[string]string{
		"STORAGE_EMULATOR_HOST": s.gcsHost,
		"PUBSUB_EMULATOR_HOST":  s.PubSub.Addr,
		"GOOGLE_CLOUD_PROJECT":  s.Project,
		"LAKE_BUCKET":           s.Bucket,
	}
}

// LakeOptions point a Cloud Storage client (lake.New) at the stack without
// the environment, so tests on stacks of their own can run in parallel.
func (s *Stack) LakeOptions() []option.ClientOption {
	return []option.ClientOption{option.WithEndpoint("http://" + s.gcsHost + "/storage/v1/"), option.WithoutAuthentication()}
}

// BusOptions point a Pub/Sub client (bus.New) at the stack without the
// environment.
func (s *Stack) BusOptions() []option.ClientOption {
	return []option.ClientOption{option.WithEndpoint(s.PubSub.Addr), option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials()))}
}

// Close stops the servers.
func (s *Stack) Close() {
	if s.PubSub != nil {
		_ = s.PubSub.Close()
	}
	if s.GCS != nil {
		s.GCS.Stop()
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("gcptest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
