package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
)

// server is what serve needs of an HTTP server.
type server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
}

// newHTTPServer returns the inbound server --http-server names. Both get the
// same limits; the write timeout (gatehouse only) is the read timeout, which
// also bounds how long a client may take to read a response.
func newHTTPServer(o serveOptions, h http.Handler, log *slog.Logger) (server, error) {
	switch o.httpServer {
	case "gatehouse":
		return &httpserver.Server{
			Handler:           h,
			ReadHeaderTimeout: o.headerWait,
			ReadTimeout:       o.readWait,
			IdleTimeout:       o.idleWait,
			WriteTimeout:      o.readWait,
			MaxHeaderBytes:    mgmt.MaxTransportHeaderBytes,
			Logger:            log.With("component", "http"),
		}, nil
	case "stdlib":
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: o.headerWait,
			ReadTimeout:       o.readWait,
			IdleTimeout:       o.idleWait,
			MaxHeaderBytes:    mgmt.MaxTransportHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		}, nil
	}
	return nil, fmt.Errorf("--http-server must be gatehouse or stdlib, got %q", o.httpServer)
}
