//go:build linux

package evloop

// timerHeap orders a loop's connections by the time their timer fires
// (conn.heapAt, nanoseconds on the loop's clock). A connection is in it at
// most once; its real deadline (conn.deadline) may be later than heapAt
// (moving a deadline later costs nothing: the timer fires early and is
// pushed again), never earlier.
type timerHeap []*conn

func (h timerHeap) less(i, j int) bool { return h[i].heapAt < h[j].heapAt }

func (h timerHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx = i
	h[j].heapIdx = j
}

func (h timerHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timerHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

// set makes c's timer fire no later than at (0: c needs no timer).
func (h *timerHeap) set(c *conn, at int64) {
	c.deadline = at
	switch {
	case at == 0:
	case c.heapIdx < 0:
		c.heapAt, c.heapIdx = at, len(*h)
		*h = append(*h, c)
		h.up(c.heapIdx)
	case at < c.heapAt:
		c.heapAt = at
		h.up(c.heapIdx)
	}
}

// remove takes c out of the heap.
func (h *timerHeap) remove(c *conn) {
	i := c.heapIdx
	if i < 0 {
		return
	}
	last := len(*h) - 1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	if i != last {
		h.down(i)
		h.up(i)
	}
	c.heapIdx = -1
}

// pop removes and returns the connection whose timer fires first.
func (h *timerHeap) pop() *conn {
	c := (*h)[0]
	h.remove(c)
	return c
}
