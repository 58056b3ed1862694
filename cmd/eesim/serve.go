package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/web"
)

// serveOptions are the flags of eesim serve.
type serveOptions struct {
	Addr   string
	Rounds string
}

func newServeCmd(s *streams) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT] [--rounds FILE]",
		Short: "A local web view of odds, projections, what-if and pathways",
		Long: `Serve starts eesim's web view: the pages Overview, Projection, My odds,
What-if and Pathway, and the JSON API under /api/ (docs/api.md). Every
asset is embedded: no CDN, the pages work offline.

It binds to 127.0.0.1:8080 by default. Any other interface exposes the
simulator to the network and prints a warning. Requests are capped in
size, runs, horizon and sweep points; at most one simulation per CPU runs
at once, 16 wait, and the rest get 503 with Retry-After. Stop it with
Ctrl-C.`,
		Example: `  eesim serve
  eesim serve --addr 127.0.0.1:9000 --rounds ee_rounds_123_en.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), s, o) },
	}
	cmd.Flags().StringVar(&o.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	cmd.Flags().StringVar(&o.Rounds, "rounds", "", roundsFlagHelp)
	return cmd
}

// isLoopback reports whether host names only this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, s *streams, o *serveOptions) error {
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return badInputf("serve: --addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", o.Addr)
	}
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	if !isLoopback(host) {
		s.warnf("serve: --addr %s is reachable from other machines: anyone who can reach it can run simulations on this one", o.Addr)
	}
	srv, err := web.New(web.Config{Feed: feed, Version: buildVersion(), Calibrations: calibrationCache(s),
		Log: log.New(s.Err, "", log.LstdFlags)})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	fmt.Fprintf(s.Out, "eesim serve: http://%s/ (rounds: %s, last round %s); Ctrl-C to stop\n", ln.Addr(), feed.Source,
		feed.Rounds[len(feed.Rounds)-1].Date.Format(time.DateOnly))
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
