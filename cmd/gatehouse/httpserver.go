package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"

	"github.com/gatehouse-dev/gatehouse/internal/evloop"
	"github.com/gatehouse-dev/gatehouse/internal/gateway"
	"github.com/gatehouse-dev/gatehouse/internal/httpserver"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt"
	"github.com/gatehouse-dev/gatehouse/internal/mgmt/lambdasvc"
)

// defaultHTTPServer is --http-server's default: evloop on Linux, where it
// serves an HTTP_PROXY route with ~20% less CPU per request than gatehouse
// (bench/dataplane: 0.92x nginx's throughput at 32 connections against
// 0.77x) and hands connections whose requests block (the management API,
// Lambda) to a goroutine-per-connection server, where they cost what they
// cost on gatehouse (docs/architecture.md, "Step 4"); gatehouse elsewhere.
// serve falls back to gatehouse, with a warning, where evloop.Supported
// fails.
func defaultHTTPServer() string {
	if runtime.GOOS == "linux" {
		return "evloop"
	}
	return "gatehouse"
}

// server is what serve needs of an HTTP server.
type server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
}

// newHTTPServer returns the inbound server --http-server names: h serves
// requests, except on evloop, where lh does (the data plane on the loop).
// All get the same limits; the write timeout (gatehouse and evloop) is the
// read timeout, which also bounds how long a client may take to read a
// response.
func newHTTPServer(o serveOptions, h http.Handler, lh evloop.Handler, log *slog.Logger) (server, error) {
	switch o.httpServer {
	case "gatehouse":
		return goroutineServer(o, h, log), nil
	case "evloop":
		// Linux: the engine of docs/architecture.md ("The HTTP engine").
		// Serve takes over the listener's socket and binds one more
		// SO_REUSEPORT socket per loop to its address.
		if runtime.GOOS != "linux" {
			return nil, fmt.Errorf("--http-server evloop needs Linux (epoll); this is %s", runtime.GOOS)
		}
		// A connection whose request needs a goroutine (the management API,
		// Lambda and other blocking integrations) is handed to a
		// goroutine-per-connection server with the same limits, for good.
		conns := goroutineServer(o, h, log)
		return loopServer{Server: &evloop.Server{
			Handler:           lh,
			HandOff:           conns.ServeConn,
			Loops:             o.loops,
			ReadHeaderTimeout: o.headerWait,
			ReadTimeout:       o.readWait,
			IdleTimeout:       o.idleWait,
			WriteTimeout:      o.readWait,
			MaxHeaderBytes:    mgmt.MaxTransportHeaderBytes,
			// The server buffers whole bodies: the largest any handler
			// accepts (Lambda's base64 deployment packages); the data plane
			// and the management API still answer their own 413 past their
			// 10 MB.
			MaxBodyBytes: max(new(lambdasvc.Service).MaxBodyBytes(), mgmt.MaxBodyBytes, gateway.MaxBodyBytes),
			Logger:       log.With("component", "http"),
		}, conns: conns}, nil
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
	return nil, fmt.Errorf("--http-server must be gatehouse, stdlib or evloop, got %q", o.httpServer)
}

// goroutineServer is the goroutine-per-connection server serving h: the
// gatehouse server, and evloop's for the connections it hands off.
func goroutineServer(o serveOptions, h http.Handler, log *slog.Logger) *httpserver.Server {
	return &httpserver.Server{
		Handler:           h,
		ReadHeaderTimeout: o.headerWait,
		ReadTimeout:       o.readWait,
		IdleTimeout:       o.idleWait,
		WriteTimeout:      o.readWait,
		MaxHeaderBytes:    mgmt.MaxTransportHeaderBytes,
		Logger:            log.With("component", "http"),
	}
}

// loopServer is the evloop server and the server its handed-off
// connections go to.
type loopServer struct {
	*evloop.Server
	conns *httpserver.Server
}

// Shutdown stops the loops first (so that no connection is handed off any
// more), then the handed-off connections. When ctx ends first, every
// connection of both is closed.
func (s loopServer) Shutdown(ctx context.Context) error {
	err := s.Server.Shutdown(ctx)
	if err == nil {
		err = s.conns.Shutdown(ctx)
	}
	if err != nil {
		s.Server.Close()
		s.conns.Close()
	}
	return err
}
