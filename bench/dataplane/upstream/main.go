// Command upstream is the backend of the data-plane benchmark (bench/dataplane/run.sh):
// a stdlib HTTP/1.1 server that answers every request 200 with the same ~100-byte
// body. The same process serves all three targets (direct, nginx, Gatehouse).
//
//	upstream -listen 127.0.0.1:0 -port-file /tmp/port
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
)

// body is 100 bytes.
var body = []byte(`{"message":"hello from the benchmark upstream","padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}` + "\n")

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	portFile := flag.String("port-file", "", "write the chosen port to this file once listening")
	flag.Parse()

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	clen := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd["Content-Type"] = []string{"application/json"}
		hd["Content-Length"] = []string{clen}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
	if *portFile != "" {
		port := ln.Addr().(*net.TCPAddr).Port
		if err := os.WriteFile(*portFile, []byte(fmt.Sprintf("%d\n", port)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	log.Fatal((&http.Server{Handler: h}).Serve(ln))
}
