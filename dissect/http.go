package dissect

import (
	"bytes"
	"compress/gzip"
	"fmt"
)

// HTTP/1.x over TCP, as tshark 4.0 summarises it: the first line in Info,
// the body handed to a media-type dissector that adds "(text/html)",
// "(JPEG JFIF image)" and the like.

var (
	fHTTP            = &Field{Abbrev: "http", Name: "Hypertext Transfer Protocol", Type: FTProtocol}
	fHTTPReqMethod   = &Field{Abbrev: "http.request.method", Name: "Request Method", Type: FTString}
	fHTTPReqURI      = &Field{Abbrev: "http.request.uri", Name: "Request URI", Type: FTString}
	fHTTPReqVersion  = &Field{Abbrev: "http.request.version", Name: "Request Version", Type: FTString}
	fHTTPRespVersion = &Field{Abbrev: "http.response.version", Name: "Response Version", Type: FTString}
	fHTTPRespCode    = &Field{Abbrev: "http.response.code", Name: "Status Code", Type: FTUint, Bits: 16}
	fHTTPRespPhrase  = &Field{Abbrev: "http.response.phrase", Name: "Response Phrase", Type: FTString}
	fHTTPRequest     = &Field{Abbrev: "http.request", Name: "Request", Type: FTBool, Bits: 8, Hidden: true}
	fHTTPResponse    = &Field{Abbrev: "http.response", Name: "Response", Type: FTBool, Bits: 8, Hidden: true}
	fHTTPHost        = &Field{Abbrev: "http.host", Name: "Host", Type: FTString}
	fHTTPUserAgent   = &Field{Abbrev: "http.user_agent", Name: "User-Agent", Type: FTString}
	fHTTPContentType = &Field{Abbrev: "http.content_type", Name: "Content-Type", Type: FTString}
	fHTTPContentLenH = &Field{Abbrev: "http.content_length_header", Name: "Content-Length", Type: FTString}
	fHTTPServer      = &Field{Abbrev: "http.server", Name: "Server", Type: FTString}
	fHTTPLocation    = &Field{Abbrev: "http.location", Name: "Location", Type: FTString}
	fHTTPReferer     = &Field{Abbrev: "http.referer", Name: "Referer", Type: FTString}
	fHTTPCookie      = &Field{Abbrev: "http.cookie", Name: "Cookie", Type: FTString}
	fHTTPConnection  = &Field{Abbrev: "http.connection", Name: "Connection", Type: FTString}
	fHTTPTransferEnc = &Field{Abbrev: "http.transfer_encoding", Name: "Transfer-Encoding", Type: FTString}
	fHTTPFileData    = &Field{Abbrev: "http.file_data", Name: "File Data", Type: FTBytes}

	fMediaTextLines = &Field{Abbrev: "data-text-lines", Name: "Line-based text data", Type: FTProtocol}
	fMediaJFIF      = &Field{Abbrev: "image-jfif", Name: "JPEG File Interchange Format", Type: FTProtocol}
	fMediaGIF       = &Field{Abbrev: "image-gif", Name: "Compuserve GIF", Type: FTProtocol}
	fMediaPNG       = &Field{Abbrev: "png", Name: "Portable Network Graphics", Type: FTProtocol}
	fMedia          = &Field{Abbrev: "media", Name: "Media Type", Type: FTProtocol}
	fMediaXML       = &Field{Abbrev: "xml", Name: "eXtensible Markup Language", Type: FTProtocol}
	fMediaForm      = &Field{Abbrev: "urlencoded-form", Name: "HTML Form URL Encoded", Type: FTProtocol}
	fMediaOCSP      = &Field{Abbrev: "ocsp", Name: "Online Certificate Status Protocol", Type: FTProtocol}
)

// httpHeaderFields maps lower-case header names to their fields.
var httpHeaderFields = map[string]*Field{
	"host": fHTTPHost, "user-agent": fHTTPUserAgent, "content-type": fHTTPContentType,
	"content-length": fHTTPContentLenH, "server": fHTTPServer, "location": fHTTPLocation,
	"referer": fHTTPReferer, "cookie": fHTTPCookie, "connection": fHTTPConnection,
	"transfer-encoding": fHTTPTransferEnc,
}

var httpApp = &tcpApp{pduLen: httpPDULen, dissect: dissectHTTP, multi: true, partial: httpPartial, keep: httpKeep}

func init() {
	register(fHTTP, fHTTPReqMethod, fHTTPReqURI, fHTTPReqVersion, fHTTPRespVersion, fHTTPRespCode, fHTTPRespPhrase,
		fHTTPRequest, fHTTPResponse, fHTTPHost, fHTTPUserAgent, fHTTPContentType, fHTTPContentLenH, fHTTPServer,
		fHTTPLocation, fHTTPReferer, fHTTPCookie, fHTTPConnection, fHTTPTransferEnc, fHTTPFileData,
		fMediaTextLines, fMediaJFIF, fMediaGIF, fMediaPNG, fMedia, fMediaXML, fMediaForm, fMediaOCSP)
	for _, p := range []uint16{80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710} {
		tcpPorts[p] = httpApp
	}
	tcpHeuristics = append(tcpHeuristics, func(b []byte) *tcpApp {
		if httpKind(b) > 0 {
			return httpApp
		}
		return nil
	})
}

var httpMethods = [...]string{"GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ", "TRACE ", "PATCH ",
	"PROPFIND ", "PROPPATCH ", "MKCOL ", "COPY ", "MOVE ", "LOCK ", "UNLOCK ", "SEARCH ", "M-SEARCH ", "NOTIFY ",
	"SUBSCRIBE ", "UNSUBSCRIBE ", "REPORT "}

// httpKind tells what b starts with: 1 request, 2 response, 0 too short to
// tell, -1 not an HTTP message start.
func httpKind(b []byte) int {
	short := false
	if bytes.HasPrefix(b, []byte("HTTP/")) {
		return 2
	}
	if len(b) < 5 && bytes.HasPrefix([]byte("HTTP/"), b) {
		short = true
	}
	for _, m := range httpMethods {
		if bytes.HasPrefix(b, []byte(m)) {
			return 1
		}
		if len(b) < len(m) && bytes.HasPrefix([]byte(m), b) {
			short = true
		}
	}
	if short {
		return 0
	}
	return -1
}

// httpHeaderEnd returns the length of the header block (through the empty
// line), or -1 when it is not complete in b.
func httpHeaderEnd(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] != '\n' {
			// Skip to the next line end at memchr speed: PDU tracking
			// calls this for every segment of a message.
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				return -1
			}
			i += j
		}
		if i+1 < len(b) && b[i+1] == '\n' {
			return i + 2
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			return i + 3
		}
	}
	return -1
}

// httpHead is what the PDU length and the summary need from the headers.
type httpHead struct {
	kind       int
	line       []byte // first line without CRLF
	status     int
	method     []byte
	hdrLen     int
	clen       int // -1 when absent
	chunked    bool
	ctype      []byte // media type, lower case, without parameters
	ctypeFull  []byte
	noBodyResp bool
	gzip       bool
}

// httpGunzipEmpty reports whether a small gzip body decompresses to
// nothing (Wireshark then has no data to hand to a media dissector).
func httpGunzipEmpty(b []byte) bool {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	var one [1]byte
	n, _ := r.Read(one[:])
	return n == 0
}

func parseHTTPHead(b []byte, h *httpHead) bool {
	h.kind = httpKind(b)
	if h.kind <= 0 {
		return false
	}
	h.hdrLen = httpHeaderEnd(b)
	if h.hdrLen < 0 {
		return false
	}
	h.clen = -1
	hdr := b[:h.hdrLen]
	eol := bytes.IndexByte(hdr, '\n')
	h.line = bytes.TrimRight(hdr[:eol], "\r")
	if h.kind == 2 {
		// The status code is the second space-separated token (as
		// bytes.Fields would find it, without allocating).
		f := bytes.TrimLeft(h.line, " \t")
		if i := bytes.IndexAny(f, " \t"); i >= 0 {
			f = bytes.TrimLeft(f[i:], " \t")
			if j := bytes.IndexAny(f, " \t"); j >= 0 {
				f = f[:j]
			}
			h.status = atoiBytes(f)
		}
		h.noBodyResp = h.status/100 == 1 || h.status == 204 || h.status == 304
	} else {
		h.method = h.line[:bytes.IndexByte(h.line, ' ')]
	}
	rest := hdr[eol+1:]
	for len(rest) > 0 {
		e := bytes.IndexByte(rest, '\n')
		if e < 0 {
			break
		}
		ln := bytes.TrimRight(rest[:e], "\r")
		rest = rest[e+1:]
		k, v, ok := bytes.Cut(ln, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch {
		case asciiEqualFold(k, "content-length"):
			h.clen = atoiBytes(v)
		case asciiEqualFold(k, "transfer-encoding"):
			h.chunked = asciiContainsFold(v, "chunked")
		case asciiEqualFold(k, "content-encoding"):
			h.gzip = asciiContainsFold(v, "gzip")
		case asciiEqualFold(k, "content-type"):
			h.ctypeFull = v
			mt := v
			if i := bytes.IndexByte(mt, ';'); i >= 0 {
				mt = mt[:i]
			}
			h.ctype = bytes.TrimSpace(mt)
		}
	}
	return true
}

func asciiEqualFold(a []byte, s string) bool {
	if len(a) != len(s) {
		return false
	}
	for i := range a {
		x := a[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != s[i] {
			return false
		}
	}
	return true
}

// asciiContainsFold reports whether b contains the lower-case ASCII string
// s, ignoring case, without allocating a lowered copy.
func asciiContainsFold(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if asciiEqualFold(b[i:i+len(s)], s) {
			return true
		}
	}
	return false
}

// asciiLower appends b lower-cased (ASCII letters only) to dst.
func asciiLower(dst, b []byte) []byte {
	for _, x := range b {
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		dst = append(dst, x)
	}
	return dst
}

func atoiBytes(b []byte) int {
	n := 0
	for _, x := range b {
		if x < '0' || x > '9' {
			break
		}
		n = n*10 + int(x-'0')
		if n > 1<<30 {
			return 1 << 30
		}
	}
	return n
}

// httpChunkedLen returns the length of a chunked body at b, or 0 when it is
// not complete.
func httpChunkedLen(b []byte) int {
	o := 0
	for {
		e := bytes.IndexByte(b[o:], '\n')
		if e < 0 {
			return 0
		}
		line := bytes.TrimSpace(b[o : o+e])
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, ok := parseHexBytes(line)
		if !ok {
			return len(b) // not really chunked: take what there is
		}
		o += e + 1
		if n == 0 {
			// trailers up to an empty line
			for {
				e := bytes.IndexByte(b[o:], '\n')
				if e < 0 {
					return 0
				}
				empty := len(bytes.TrimSpace(b[o:o+e])) == 0
				o += e + 1
				if empty {
					return o
				}
			}
		}
		if o+n+2 > len(b) {
			return 0
		}
		o += n
		if b[o] == '\r' {
			o++
		}
		if o < len(b) && b[o] == '\n' {
			o++
		}
	}
}

func parseHexBytes(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 8 {
		return 0, false
	}
	n := 0
	for _, x := range b {
		switch {
		case x >= '0' && x <= '9':
			n = n<<4 | int(x-'0')
		case x >= 'a' && x <= 'f':
			n = n<<4 | int(x-'a'+10)
		case x >= 'A' && x <= 'F':
			n = n<<4 | int(x-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// httpPDULen is the tcpApp length function: one HTTP message (headers and
// body); data that does not start a message is a continuation taken whole.
func httpPDULen(b []byte) int {
	var h httpHead
	switch httpKind(b) {
	case 0:
		return 0
	case -1:
		return len(b)
	}
	if !parseHTTPHead(b, &h) {
		return 0
	}
	switch {
	case h.kind == 2 && h.noBodyResp:
		return h.hdrLen
	case h.chunked:
		n := httpChunkedLen(b[h.hdrLen:])
		if n == 0 {
			return 0
		}
		return h.hdrLen + n
	case h.clen >= 0:
		return h.hdrLen + h.clen
	case h.kind == 1:
		return h.hdrLen
	}
	// A response without a length ends with the connection.
	return 0
}

// httpKeep: the headers and the start of the body (media types look at
// its first bytes), or everything while the headers are incomplete.
func httpKeep(b []byte) int {
	if e := httpHeaderEnd(b); e >= 0 && httpKind(b) > 0 {
		return e + 64
	}
	return len(b)
}

// httpPartial shows the first line of a message that continues in later
// segments, as Wireshark does before asking TCP for more data.
func httpPartial(c *Ctx, t tvb) {
	if len(c.proto) >= 4 && c.proto[:4] == "HTTP" {
		return // a later message in a segment that showed one already
	}
	b := c.data[t.off:t.end]
	if httpKind(b) <= 0 {
		return
	}
	e := bytes.IndexByte(b, '\n')
	if e < 0 {
		return
	}
	c.clearInfo()
	c.info = appendFormatText(c.info, bytes.TrimRight(b[:e], "\r"))
	c.info = append(c.info, ' ')
}

// appendFormatText appends b as Wireshark's format_text shows it.
func appendFormatText(dst, b []byte) []byte {
	for _, x := range b {
		switch {
		case x >= 0x20 && x < 0x7f:
			dst = append(dst, x)
		case x == '\r':
			dst = append(dst, '\\', 'r')
		case x == '\n':
			dst = append(dst, '\\', 'n')
		case x == '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'x', hexDigits[x>>4], hexDigits[x&15])
		}
	}
	return dst
}

// dissectHTTP dissects the HTTP messages in t.
func dissectHTTP(c *Ctx, t tvb) int {
	st := c.tlsStream()
	if httpKind(c.data[t.off:t.end]) < 0 && (st == nil || st.httpFrame == 0 || uint32(c.pkt.Num) < st.httpFrame) {
		// Data that is not HTTP before any HTTP message on the
		// connection: Wireshark's HTTP leaves it alone.
		return t.len()
	}
	if st != nil && c.first && st.httpFrame == 0 && httpKind(c.data[t.off:t.end]) > 0 {
		st.httpFrame = uint32(c.pkt.Num)
	}
	o := 0
	first := true
	for o < t.len() {
		b := c.data[t.off+o : t.end]
		l := httpPDULen(b)
		if l <= 0 || l > len(b) {
			l = len(b)
		}
		httpMessage(c, t.subLen(o, l), first)
		first = false
		o += l
	}
	return t.len()
}

func httpMessage(c *Ctx, t tvb, first bool) {
	c.setProto("HTTP")
	b := c.data[t.off:t.end]
	top := c.push(fHTTP, t.off, t.len())
	defer c.pop(top)
	var h httpHead
	if !parseHTTPHead(b, &h) {
		if httpKind(b) > 0 {
			// Headers cut short (end of capture): show the first line.
			httpPartial(c, t)
			return
		}
		c.setInfo("Continuation")
		dissectData(c, t)
		return
	}
	if first {
		c.clearInfo()
	} else {
		c.appendSepInfo(", ", "")
	}
	c.info = appendFormatText(c.info, h.line)
	c.info = append(c.info, ' ')
	httpHeaderTree(c, t, &h)
	body := t.sub(h.hdrLen)
	if body.len() <= 0 {
		return
	}
	bb := c.data[body.off:body.end]
	if h.chunked {
		e := bytes.IndexByte(bb, '\n')
		if e < 0 {
			return
		}
		if n, ok := parseHexBytes(bytes.TrimSpace(bytes.SplitN(bb[:e], []byte(";"), 2)[0])); ok && n == 0 {
			return // no data
		}
		bb = bb[e+1:]
	}
	if h.gzip && len(bb) <= 64 && httpGunzipEmpty(bb) {
		return // "Content-encoded entity body (gzip): n bytes -> 0 bytes"
	}
	if c.wants(fHTTPFileData) {
		i := c.addB(fHTTPFileData, body.off, body.len())
		if c.tree { // formatting arguments allocate: keep the fast path free
			c.labelf(i, "File Data: %d bytes", body.len())
		}
	}
	httpMedia(c, body, bb, &h)
}

// httpHeaderTree adds the header lines (tree or filter fields).
func httpHeaderTree(c *Ctx, t tvb, h *httpHead) {
	if !c.tree && c.want == nil {
		return
	}
	b := c.data[t.off : t.off+h.hdrLen]
	if h.kind == 1 {
		c.addU(fHTTPRequest, t.off, 0, 1)
	} else {
		c.addU(fHTTPResponse, t.off, 0, 1)
	}
	o := 0
	for o < len(b) {
		e := bytes.IndexByte(b[o:], '\n')
		if e < 0 {
			break
		}
		ln := b[o : o+e+1]
		txt := bytes.TrimRight(ln, "\r\n")
		if len(txt) == 0 {
			if c.tree {
				c.text(t.off+o, len(ln), "\\r\\n")
			}
			break
		}
		if o == 0 {
			n := -1
			if c.tree {
				n = c.text(t.off, len(ln), "%s\\r\\n", appendFormatText(nil, txt))
			}
			sv := c.parent
			if n >= 0 {
				c.parent = n
			}
			pa, pn := splitSpace3(txt)
			parts := pa[:pn]
			if h.kind == 1 && len(parts) == 3 {
				c.add(fHTTPReqMethod, t.off, len(parts[0]), Value{B: parts[0]})
				c.add(fHTTPReqURI, t.off+len(parts[0])+1, len(parts[1]), Value{B: parts[1]})
				c.add(fHTTPReqVersion, t.off+len(parts[0])+len(parts[1])+2, len(parts[2]), Value{B: parts[2]})
			} else if h.kind == 2 && len(parts) >= 2 {
				c.add(fHTTPRespVersion, t.off, len(parts[0]), Value{B: parts[0]})
				i := c.addU(fHTTPRespCode, t.off+len(parts[0])+1, len(parts[1]), uint64(h.status))
				if c.tree && i >= 0 {
					c.labelf(i, "Status Code: %d", h.status)
				}
				if len(parts) == 3 {
					c.add(fHTTPRespPhrase, t.off+len(parts[0])+len(parts[1])+2, len(parts[2]), Value{B: parts[2]})
				}
			}
			c.parent = sv
		} else {
			k, v, ok := bytes.Cut(txt, []byte(":"))
			var f *Field
			if ok {
				var lb [64]byte // header names are short: lower them on the stack
				f = httpHeaderFields[string(asciiLower(lb[:0], k))]
			}
			if f != nil {
				v = bytes.TrimSpace(v)
				i := c.add(f, t.off+o, len(ln), Value{B: v})
				if c.tree && i >= 0 {
					c.items[i].Label = fmt.Sprintf("%s\\r\\n", appendFormatText(nil, txt))
				}
			} else {
				if c.tree {
					c.text(t.off+o, len(ln), "%s\\r\\n", appendFormatText(nil, txt))
				}
			}
		}
		o += e + 1
	}
}

// httpMedia hands a body to the dissector of its media type, as
// Wireshark's media_type table does; bb is the start of the (de-chunked)
// body.
func httpMedia(c *Ctx, body tvb, bb []byte, h *httpHead) {
	var lb [64]byte // media types are short: lower them on the stack
	ct := asciiLower(lb[:0], h.ctype)
	sfx := func(s []byte) {
		c.appendSepInfo(" ", "")
		c.info = append(c.info, '(')
		c.info = append(c.info, s...)
		c.info = append(c.info, ')')
	}
	var p int
	switch string(ct) {
	case "image/jpeg", "image/jpg", "image/pjpeg":
		if len(bb) < 2 || bb[0] != 0xff || bb[1] != 0xd8 {
			// not JPEG after all: the media dissector takes it
			p = c.push(fMedia, body.off, body.len())
			sfx(ct)
			break
		}
		p = c.push(fMediaJFIF, body.off, body.len())
		sfx([]byte("JPEG JFIF image"))
	case "image/gif":
		p = c.push(fMediaGIF, body.off, body.len())
		if len(bb) >= 6 && bytes.HasPrefix(bb, []byte("GIF8")) {
			sfx(bb[:6])
		} else {
			sfx([]byte("Unknown GIF version"))
		}
	case "image/png":
		p = c.push(fMediaPNG, body.off, body.len())
		sfx([]byte("PNG"))
	case "application/json", "application/json-rpc", "application/jsonrequest":
		c.setProto("HTTP/JSON")
		p = c.push(fJSON, body.off, body.len())
		c.appendSepInfo(", ", "JavaScript Object Notation (")
		c.info = append(c.info, ct...)
		c.info = append(c.info, ')')
		q := c.push(fMediaTextLines, body.off, body.len())
		c.pop(q)
	case "application/xml", "text/xml":
		c.setProto("HTTP/XML")
		p = c.push(fMediaXML, body.off, body.len())
	case "application/ocsp-request":
		c.setProto("OCSP")
		c.setInfo("Request")
		p = c.push(fMediaOCSP, body.off, body.len())
	case "application/ocsp-response":
		c.setProto("OCSP")
		c.setInfo("Response")
		p = c.push(fMediaOCSP, body.off, body.len())
		q := c.push(fMediaOCSP, body.off, body.len())
		c.pop(q)
	case "application/x-www-form-urlencoded":
		p = c.push(fMediaForm, body.off, body.len())
		sfx(ct)
	case "text/html", "text/plain", "text/css", "text/javascript", "application/x-javascript",
		"text/vnd.wap.wml", "text/vcard", "text/x-vcard", "text/calendar", "text/csv", "message/http":
		p = c.push(fMediaTextLines, body.off, body.len())
		sfx(ct)
	default:
		if len(ct) == 0 {
			dissectData(c, body)
			return
		}
		p = c.push(fMedia, body.off, body.len())
		sfx(ct)
	}
	c.pop(p)
}

// splitSpace3 splits a request or status line into at most three
// space-separated parts, as bytes.SplitN(b, " ", 3) does, without
// allocating: the parts are parts[:n].
func splitSpace3(b []byte) (parts [3][]byte, n int) {
	for n < 2 {
		i := bytes.IndexByte(b, ' ')
		if i < 0 {
			break
		}
		parts[n] = b[:i]
		b = b[i+1:]
		n++
	}
	parts[n] = b
	return parts, n + 1
}
