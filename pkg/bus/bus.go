// Package bus carries the messages that chain the jobs over Pub/Sub: the
// extractor announces raw pages, the transformer announces clean files, the
// loader drains them. It publishes JSON messages and drains a subscription
// synchronously (pull, handle, ack), acknowledging a message only after its
// handler succeeded. The client honours PUBSUB_EMULATOR_HOST, so the same
// code runs against pstest or the gcloud emulator.
package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/pubsub/v2"
	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"google.golang.org/api/option"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Bus is a Pub/Sub client for one project.
type Bus struct {
	client  *pubsub.Client
	project string
}

// New connects to Pub/Sub for project.
func New(ctx context.Context, project string, opts ...option.ClientOption) (*Bus, error) {
	if project == "" {
		return nil, errors.New("bus: empty project")
	}
	c, err := pubsub.NewClient(ctx, project, opts...)
	if err != nil {
		return nil, fmt.Errorf("bus: pubsub client: %w", err)
	}
	return &Bus{client: c, project: project}, nil
}

// Close releases the client.
func (b *Bus) Close() error { return b.client.Close() }

// TopicName returns the full resource name of a topic id.
func (b *Bus) TopicName(id string) string { return fullName(b.project, "topics", id) }

// SubscriptionName returns the full resource name of a subscription id.
func (b *Bus) SubscriptionName(id string) string { return fullName(b.project, "subscriptions", id) }

func fullName(project, kind, id string) string {
	if strings.HasPrefix(id, "projects/") {
		return id
	}
	return "projects/" + project + "/" + kind + "/" + id
}

// Publish sends v as a JSON message and waits until the server has it.
// attrs are copied to the message attributes (source, run id), which lets
// subscriptions filter and operators find a run's messages.
func (b *Bus) Publish(ctx context.Context, topic string, v any, attrs map[string]string) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("bus: encode message for %s: %w", topic, err)
	}
	p := b.client.Publisher(b.TopicName(topic))
	defer p.Stop()
	id, err := p.Publish(ctx, &pubsub.Message{Data: data, Attributes: attrs}).Get(ctx)
	if err != nil {
		return "", fmt.Errorf("bus: publish to %s: %w", topic, err)
	}
	return id, nil
}

// Delivery is one received message.
type Delivery struct {
	ID         string
	Data       []byte
	Attributes map[string]string
	Published  time.Time
	// Attempt is the delivery attempt (1 on first delivery) when the
	// subscription has a dead-letter policy, else 0.
	Attempt int
}

// Decode unmarshals the message body.
func (d Delivery) Decode(v any) error {
	if err := json.Unmarshal(d.Data, v); err != nil {
		return fmt.Errorf("%w: message %s: %v", ErrPoison, d.ID, err)
	}
	return nil
}

// ErrPoison marks a message that can never be handled (it does not decode).
// Drain acknowledges such a message after the handler has set it aside,
// instead of redelivering it forever.
var ErrPoison = errors.New("bus: undecodable message")

// DrainOptions bound one drain.
// The env tags let a job embed DrainOptions in its configuration.
type DrainOptions struct {
	// BatchSize is how many messages one pull asks for (default 10).
	BatchSize int `env:"DRAIN_BATCH_SIZE, default=10" help:"messages asked for by one pull"`
	// EmptyPulls is how many consecutive empty pulls end the drain
	// (default 2): a pull may come back empty while messages wait.
	EmptyPulls int `env:"DRAIN_EMPTY_PULLS, default=2" help:"consecutive empty pulls that end the drain"`
	// PullTimeout bounds one pull (default 10s).
	PullTimeout time.Duration `env:"DRAIN_PULL_TIMEOUT, default=10s" help:"how long one pull waits for messages"`
	// MaxMessages stops the drain after this many messages (0: no limit),
	// so one execution's run time stays bounded; the rest waits for the
	// next execution.
	MaxMessages int `env:"DRAIN_MAX_MESSAGES, default=500" help:"messages handled by one execution at most (0: no limit)"`
	// AckDeadline is the subscription's acknowledgement deadline (default
	// 600s, as infra/pubsub.tf sets it). The messages of a pull not yet
	// acknowledged or handed back have it extended every third of it,
	// so none is delivered again while this execution still holds it.
	AckDeadline time.Duration `env:"DRAIN_ACK_DEADLINE, default=600s" help:"the subscription's ack deadline, extended for the messages held"`
}

// DrainStats counts what a drain did.
type DrainStats struct {
	Handled int
	Failed  int
}

// Handler handles one message. Returning nil acknowledges it; an error
// nacks it (it will be delivered again).
type Handler func(ctx context.Context, d Delivery) error

// SourceAttr is the message attribute naming the source a message carries
// (saramin, trends, cert). Drain isolates failures by it.
const SourceAttr = "source"

// Drain pulls the subscription until it is empty and hands each message to
// h in turn, acknowledging it only after h succeeded.
//
// A failure is isolated to its source: the failed message is nacked (it
// will be delivered again), later messages of the same source are nacked
// without being handled (a source's batches stay in order), and the other
// sources' messages go on being handled. The drain ends when the
// subscription is empty or holds only messages of failed sources, and
// returns every failure.
func (b *Bus) Drain(ctx context.Context, subscription string, o DrainOptions, h Handler) (DrainStats, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = 10
	}
	if o.EmptyPulls <= 0 {
		o.EmptyPulls = 2
	}
	if o.PullTimeout <= 0 {
		o.PullTimeout = 10 * time.Second
	}
	sub := b.SubscriptionName(subscription)
	admin := b.client.SubscriptionAdminClient
	var st DrainStats
	var failures []error
	failed := map[string]bool{} // sources with a failed message
	done := func(err error) (DrainStats, error) {
		return st, errors.Join(append(failures, err)...)
	}
	nack := func(ackIDs []string) error { return b.nack(ctx, sub, ackIDs) }
	// A handler that never returns (a job stopped at a crash point in a
	// test panics out of it) leaves its messages unextended, so they come
	// back after the subscription's deadline as a killed process's do.
	var keep *keeper
	defer func() {
		if keep != nil {
			keep.stop()
		}
	}()
	empty := 0
	for empty < o.EmptyPulls {
		if o.MaxMessages > 0 && st.Handled >= o.MaxMessages {
			break
		}
		if err := ctx.Err(); err != nil {
			return done(err)
		}
		n := o.BatchSize
		if o.MaxMessages > 0 && o.MaxMessages-st.Handled < n {
			n = o.MaxMessages - st.Handled
		}
		pctx, cancel := context.WithTimeout(ctx, o.PullTimeout)
		resp, err := admin.Pull(pctx, &pubsubpb.PullRequest{Subscription: sub, MaxMessages: int32(n)})
		cancel()
		if err != nil {
			if ctx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded) {
				empty++
				continue
			}
			return done(fmt.Errorf("bus: pull %s: %w", subscription, err))
		}
		msgs := resp.GetReceivedMessages()
		if len(msgs) == 0 {
			empty++
			continue
		}
		empty = 0
		// The messages not settled yet keep their deadline while the
		// earlier ones are handled.
		pending := make([]string, 0, len(msgs))
		for _, rm := range msgs {
			pending = append(pending, rm.GetAckId())
		}
		keep = b.extend(ctx, sub, o.AckDeadline, pending)
		var held []string // ack ids of messages of failed sources
		for i, rm := range msgs {
			m := rm.GetMessage()
			src := m.GetAttributes()[SourceAttr]
			if ctx.Err() != nil {
				for _, rest := range msgs[i:] {
					held = append(held, rest.GetAckId())
				}
				break
			}
			if failed[src] {
				held = append(held, rm.GetAckId())
				continue
			}
			d := Delivery{
				ID:         m.GetMessageId(),
				Data:       m.GetData(),
				Attributes: m.GetAttributes(),
				Published:  m.GetPublishTime().AsTime(),
				Attempt:    int(rm.GetDeliveryAttempt()),
			}
			if herr := h(ctx, d); herr != nil && !errors.Is(herr, ErrPoison) {
				st.Failed++
				failed[src] = true
				failures = append(failures, fmt.Errorf("bus: message %s (source %q): %w", d.ID, src, herr))
				held = append(held, rm.GetAckId())
				continue
			}
			if err := admin.Acknowledge(ctx, &pubsubpb.AcknowledgeRequest{Subscription: sub, AckIds: []string{rm.GetAckId()}}); err != nil {
				keep.stop()
				return done(fmt.Errorf("bus: ack %s: %w", d.ID, err))
			}
			keep.settle(rm.GetAckId())
			st.Handled++
		}
		keep.stop()
		if err := nack(held); err != nil {
			return done(err)
		}
		if len(held) == len(msgs) {
			// Only failed sources' messages are left to see: a retry now
			// would fail the same way.
			break
		}
	}
	return done(nil)
}

// Topology names the topics and subscriptions of the chain.
type Topology struct {
	Topics        []string
	Subscriptions []Subscription
}

// Subscription is a pull subscription on a topic.
type Subscription struct {
	ID, Topic string
	// AckDeadline bounds how long a handler may hold a message.
	AckDeadline time.Duration
	// DeadLetterTopic, when set, receives messages after MaxDeliveries.
	DeadLetterTopic string
	MaxDeliveries   int
}

// Ensure creates the topics and subscriptions that do not exist yet. In GCP
// Terraform owns them; Ensure is for the local stack and tests.
func (b *Bus) Ensure(ctx context.Context, t Topology) error {
	for _, id := range t.Topics {
		_, err := b.client.TopicAdminClient.CreateTopic(ctx, &pubsubpb.Topic{Name: b.TopicName(id)})
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("bus: create topic %s: %w", id, err)
		}
	}
	for _, s := range t.Subscriptions {
		ack := int32(s.AckDeadline / time.Second)
		if ack == 0 {
			ack = 600
		}
		// Acked messages are retained so that an operator can seek the
		// subscription back in time and replay them.
		req := &pubsubpb.Subscription{Name: b.SubscriptionName(s.ID), Topic: b.TopicName(s.Topic), AckDeadlineSeconds: ack, RetainAckedMessages: true}
		if s.DeadLetterTopic != "" {
			req.DeadLetterPolicy = &pubsubpb.DeadLetterPolicy{DeadLetterTopic: b.TopicName(s.DeadLetterTopic), MaxDeliveryAttempts: int32(s.MaxDeliveries)}
		}
		_, err := b.client.SubscriptionAdminClient.CreateSubscription(ctx, req)
		if err != nil && status.Code(err) != codes.AlreadyExists {
			return fmt.Errorf("bus: create subscription %s: %w", s.ID, err)
		}
	}
	return nil
}

// Replay seeks a subscription back to t: every message published since then
// is delivered again, as an operator does with
// `gcloud pubsub subscriptions seek SUB --time=T`.
func (b *Bus) Replay(ctx context.Context, subscription string, t time.Time) error {
	_, err := b.client.SubscriptionAdminClient.Seek(ctx, &pubsubpb.SeekRequest{
		Subscription: b.SubscriptionName(subscription),
		Target:       &pubsubpb.SeekRequest_Time{Time: timestamppb.New(t)},
	})
	if err != nil {
		return fmt.Errorf("bus: seek %s to %s: %w", subscription, t.Format(time.RFC3339), err)
	}
	return nil
}

// Waiting is what a look at a subscription found.
type Waiting struct {
	Count  int       // messages seen (at most the look's max)
	Oldest time.Time // publish time of the oldest seen (zero when none)
}

// Peek pulls up to max messages of a subscription that nothing consumes
// (the dead-letter subscription) and hands them straight back, to tell how
// many wait and since when. Each look counts as a delivery attempt, so it
// is not for the subscriptions the jobs drain.
func (b *Bus) Peek(ctx context.Context, subscription string, max int, wait time.Duration) (Waiting, error) {
	sub := b.SubscriptionName(subscription)
	admin := b.client.SubscriptionAdminClient
	var w Waiting
	var ackIDs []string
	pctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for w.Count < max {
		resp, err := admin.Pull(pctx, &pubsubpb.PullRequest{Subscription: sub, MaxMessages: int32(max - w.Count)})
		if err != nil {
			if ctx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || status.Code(err) == codes.DeadlineExceeded) {
				break
			}
			return w, fmt.Errorf("bus: peek %s: %w", subscription, err)
		}
		msgs := resp.GetReceivedMessages()
		if len(msgs) == 0 {
			break
		}
		for _, rm := range msgs {
			ackIDs = append(ackIDs, rm.GetAckId())
			t := rm.GetMessage().GetPublishTime().AsTime()
			if w.Oldest.IsZero() || t.Before(w.Oldest) {
				w.Oldest = t
			}
			w.Count++
		}
	}
	if err := b.nack(ctx, sub, ackIDs); err != nil {
		return w, fmt.Errorf("bus: peek %s: hand back: %w", subscription, errors.Unwrap(err))
	}
	return w, nil
}

// keeper extends the ack deadline of the messages a drain holds.
type keeper struct {
	mu      sync.Mutex
	pending map[string]bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// extend keeps the deadline of ackIDs from running out, every third of
// deadline, until each is settled or stop is called. An extension that
// fails is left: the message may then be delivered again, which the
// handlers tolerate.
func (b *Bus) extend(ctx context.Context, sub string, deadline time.Duration, ackIDs []string) *keeper {
	if deadline <= 0 {
		deadline = 600 * time.Second
	}
	k := &keeper{pending: map[string]bool{}, done: make(chan struct{})}
	for _, id := range ackIDs {
		k.pending[id] = true
	}
	kctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	k.cancel = cancel
	go func() {
		defer close(k.done)
		t := time.NewTicker(deadline / 3)
		defer t.Stop()
		for {
			select {
			case <-kctx.Done():
				return
			case <-t.C:
			}
			k.mu.Lock()
			ids := make([]string, 0, len(k.pending))
			for id := range k.pending {
				ids = append(ids, id)
			}
			k.mu.Unlock()
			if len(ids) == 0 {
				continue
			}
			_ = b.client.SubscriptionAdminClient.ModifyAckDeadline(kctx, &pubsubpb.ModifyAckDeadlineRequest{
				Subscription: sub, AckIds: ids, AckDeadlineSeconds: int32(deadline / time.Second)})
		}
	}()
	return k
}

// settle stops extending a message's deadline (it was acknowledged).
func (k *keeper) settle(ackID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.pending, ackID)
}

// stop ends the extensions; calling it again does nothing.
func (k *keeper) stop() {
	k.cancel()
	<-k.done
}

// nack hands messages back for redelivery at once, with a fresh context:
// the caller's may be cancelled.
func (b *Bus) nack(ctx context.Context, sub string, ackIDs []string) error {
	if len(ackIDs) == 0 {
		return nil
	}
	nctx, ncancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer ncancel()
	req := &pubsubpb.ModifyAckDeadlineRequest{Subscription: sub, AckIds: ackIDs, AckDeadlineSeconds: 0}
	if err := b.client.SubscriptionAdminClient.ModifyAckDeadline(nctx, req); err != nil {
		return fmt.Errorf("bus: nack: %w", err)
	}
	return nil
}
