// Package cursor encodes keyset-pagination cursors for the management APIs'
// list operations (v2 nextToken; later v1 position).
//
// A cursor is opaque to clients: base64url of a version byte, the Seq of the
// last item returned (uvarint) and a 64-bit hash of the collection it belongs
// to. Keyset paging (Seq > cursor) never repeats or skips an item that exists
// throughout, whatever is created or deleted meanwhile; the hash makes a cursor
// from another collection (another API, region or resource type) invalid
// instead of silently paging the wrong list. Only the canonical spelling of a
// cursor is accepted.
package cursor

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/fnv"
)

// ErrInvalid reports a malformed cursor or one from another collection.
var ErrInvalid = errors.New("cursor: invalid for this collection")

const version = 1

func collectionHash(collection ...string) uint64 {
	h := fnv.New64a()
	for _, c := range collection {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Encode returns the cursor after seq in the collection named by its parts
// (for example a store kind and scope).
func Encode(seq int64, collection ...string) string {
	b := make([]byte, 1, 1+binary.MaxVarintLen64+8)
	b[0] = version
	b = binary.AppendUvarint(b, uint64(seq))
	b = binary.BigEndian.AppendUint64(b, collectionHash(collection...))
	return base64.RawURLEncoding.EncodeToString(b)
}

// Decode returns the Seq a cursor continues after, or ErrInvalid.
func Decode(tok string, collection ...string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 1+1+8 || b[0] != version {
		return 0, ErrInvalid
	}
	seq, n := binary.Uvarint(b[1:])
	if n <= 0 || 1+n+8 != len(b) || seq > 1<<62 {
		return 0, ErrInvalid
	}
	if binary.BigEndian.Uint64(b[1+n:]) != collectionHash(collection...) {
		return 0, ErrInvalid
	}
	if Encode(int64(seq), collection...) != tok { // one spelling per cursor
		return 0, ErrInvalid
	}
	return int64(seq), nil
}
