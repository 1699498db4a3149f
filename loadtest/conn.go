package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// conn is one client's keep-alive HTTP/1.1 connection to the server.
//
// The generator shares the machine's cores with the server it measures, so
// every microsecond it spends is taken from the figures it reports.
// net/http's client cost about 100 µs of CPU a request here (two goroutines
// per connection, a channel hand-off each way, headers as maps); conn
// writes a prepared request and reads the answer into reused buffers,
// speaking just the HTTP/1.1 coopgraph's server uses: Content-Length or
// chunked bodies, keep-alive, and Connection: close.
type conn struct {
	addr    string // host:port to dial
	head    []byte // "POST /graphql HTTP/1.1\r\nHost: …\r\nContent-Type: …\r\nContent-Length: "
	timeout time.Duration
	ctx     context.Context

	c    net.Conn
	stop func() bool // unregisters the context's deadline hook for c
	br   *bufio.Reader
	req  []byte // the request being written
	body []byte // the last answer's body
	line []byte // a header or chunk line
}

func newConn(ctx context.Context, host, path string, timeout time.Duration) *conn {
	head := fmt.Appendf(nil, "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: coopgraph-loadtest\r\nContent-Type: application/json\r\nContent-Length: ", path, host)
	return &conn{addr: host, head: head, timeout: timeout, ctx: ctx}
}

// close closes the connection, if one is open.
func (c *conn) close() {
	if c.c != nil {
		c.stop()
		_ = c.c.Close() // dropped either way; a request's error is reported by post
		c.c = nil
	}
}

// post sends body and returns the status and the answer's body, which is
// valid until the next post. A request on a kept-alive connection that the
// server closed meanwhile (idle timeout) is sent once more on a new one, as
// net/http does: nothing of it had been read.
func (c *conn) post(body []byte) (int, []byte, error) {
	reused := c.c != nil
	status, resp, err := c.try(body)
	if err != nil && reused && errors.Is(err, errStale) {
		status, resp, err = c.try(body)
	}
	return status, resp, err
}

// errStale marks a kept-alive connection that was closed before any byte
// of the answer came.
var errStale = errors.New("connection closed by the server before answering")

func (c *conn) try(body []byte) (int, []byte, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, nil, err
	}
	if c.c == nil {
		nc, err := net.DialTimeout("tcp", c.addr, c.timeout)
		if err != nil {
			return 0, nil, err
		}
		c.c = nc
		// A run that ends, or is interrupted, unblocks the read at once.
		c.stop = context.AfterFunc(c.ctx, func() { _ = nc.SetDeadline(time.Now()) }) // fails only once closed: nothing to unblock
		if c.br == nil {
			c.br = bufio.NewReaderSize(nc, 32<<10)
		} else {
			c.br.Reset(nc)
		}
	}
	deadline := time.Now().Add(c.timeout)
	if d, ok := c.ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := c.c.SetDeadline(deadline); err != nil {
		c.close()
		return 0, nil, err
	}
	c.req = append(append(strconv.AppendInt(append(c.req[:0], c.head...), int64(len(body)), 10), "\r\n\r\n"...), body...)
	if _, err := c.c.Write(c.req); err != nil {
		c.close()
		return 0, nil, errStale
	}
	status, keep, err := c.readAnswer()
	if err != nil || !keep {
		c.close()
	}
	return status, c.body, err
}

// readAnswer reads a status line, the headers and the body into c.body.
func (c *conn) readAnswer() (status int, keep bool, err error) {
	line, err := c.readLine()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err) {
			return 0, false, errStale
		}
		return 0, false, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("malformed status line %q", line)
	}
	length, chunked, keep := -1, false, line[7] == '1'
	for {
		line, err := c.readLine()
		if err != nil {
			return 0, false, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, fmt.Errorf("malformed header %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 || length > maxBody {
				return 0, false, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	c.body = c.body[:0]
	switch {
	case status == http.StatusNoContent || status == http.StatusNotModified || status < 200:
		// no body, whatever the headers say (RFC 9112, 6.3)
	case chunked:
		err = c.readChunks()
	case length >= 0:
		err = c.readN(length)
	default: // the body runs to the end of the connection
		keep = false
		b := bytes.NewBuffer(c.body)
		_, err = b.ReadFrom(io.LimitReader(c.br, maxBody))
		c.body = b.Bytes()
	}
	return status, keep, err
}

// maxBody bounds an answer the generator reads (the sample of entities is
// the largest it asks for).
const maxBody = 64 << 20

func (c *conn) readChunks() error {
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 || int64(len(c.body))+n > maxBody {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 {
			for { // trailers, up to the empty line
				if line, err = c.readLine(); err != nil || len(line) == 0 {
					return err
				}
			}
		}
		if err := c.readN(int(n)); err != nil {
			return err
		}
		if line, err = c.readLine(); err != nil || len(line) != 0 {
			return fmt.Errorf("chunk not followed by CRLF: %v", err)
		}
	}
}

// readN appends the next n bytes to c.body.
func (c *conn) readN(n int) error {
	start := len(c.body)
	c.body = append(c.body, make([]byte, n)...)[:start+n]
	_, err := io.ReadFull(c.br, c.body[start:])
	return err
}

// readLine returns the next line without its CRLF, valid until the next
// read.
func (c *conn) readLine() ([]byte, error) {
	c.line = c.line[:0]
	for {
		part, err := c.br.ReadSlice('\n')
		c.line = append(c.line, part...)
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		if len(c.line) > 64<<10 {
			return nil, errors.New("header line longer than 64 KiB")
		}
	}
	return bytes.TrimRight(c.line, "\r\n"), nil
}

func isReset(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && !op.Timeout()
}
