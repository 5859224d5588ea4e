"""GET a URL with Python's urllib on a stock machine (no DNS setup) and print status and body."""
import sys
import urllib.request

with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    print(r.status)
    print(r.read().decode())
