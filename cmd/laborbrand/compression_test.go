package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// docs/PERFORMANCE.md § gRPC compression: the worker and the API send their
// requests to Temporal uncompressed unless LB_TEMPORAL_COMPRESSION=gzip.
// Checked on the wire: a gRPC server that answers nothing records the
// encoding of the first call the SDK makes when it dials.
func TestRequestsToTemporalAreCompressedOnlyWhenAsked(t *testing.T) {
	for _, tc := range []struct {
		name string
		gzip bool
		want string
	}{{"none", false, ""}, {"gzip", true, "gzip"}} {
		t.Run(tc.name, func(t *testing.T) {
			addr, encodings := recordingFrontend(t)
			opts, err := temporalConn{Address: addr, Gzip: tc.gzip}.connectionOptions()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
			if _, err = client.DialContext(ctx, client.Options{HostPort: addr, ConnectionOptions: opts, Logger: quiet}); err == nil {
				t.Fatal("the recording frontend answered a dial")
			}
			got := encodings()
			if len(got) == 0 {
				t.Fatalf("no call reached the frontend (%v)", err)
			}
			if got[0] != tc.want {
				t.Errorf("the first request's grpc-encoding is %q, want %q", got[0], tc.want)
			}
		})
	}
}

// recordingFrontend serves gRPC on a free port, refuses every call, and
// remembers the compression of each call's request, as its headers say.
func recordingFrontend(t *testing.T) (string, func() []string) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rec := &compressionRecorder{}
	srv := grpc.NewServer(grpc.StatsHandler(rec), grpc.UnknownServiceHandler(func(any, grpc.ServerStream) error {
		return status.Error(codes.Unavailable, "recording only")
	}))
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return lis.Addr().String(), rec.seen
}

// compressionRecorder is a stats.Handler that notes the grpc-encoding of
// every request's headers ("" when uncompressed).
type compressionRecorder struct {
	mu        sync.Mutex
	encodings []string
}

func (r *compressionRecorder) HandleRPC(_ context.Context, s stats.RPCStats) {
	if h, ok := s.(*stats.InHeader); ok {
		r.mu.Lock()
		r.encodings = append(r.encodings, h.Compression)
		r.mu.Unlock()
	}
}

func (r *compressionRecorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.encodings)
}

func (*compressionRecorder) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context {
	return ctx
}
func (*compressionRecorder) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}
func (*compressionRecorder) HandleConn(context.Context, stats.ConnStats) {}
