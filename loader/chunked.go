package loader

// chunked is an append-only list kept in fixed-size blocks, so that growing
// it never copies what it holds: a bulk import has hundreds of thousands of
// records, and a plain slice would copy them over and over as it grows.
type chunked[T any] struct {
	blocks [][]T
	n      int
}

const chunkBits = 12 // 4096 records a block

func (c *chunked[T]) add(v T) {
	if c.n&(1<<chunkBits-1) == 0 {
		c.blocks = append(c.blocks, make([]T, 0, 1<<chunkBits))
	}
	last := len(c.blocks) - 1
	c.blocks[last] = append(c.blocks[last], v)
	c.n++
}

func (c *chunked[T]) len() int { return c.n }

func (c *chunked[T]) at(i int) *T {
	return &c.blocks[i>>chunkBits][i&(1<<chunkBits-1)]
}
