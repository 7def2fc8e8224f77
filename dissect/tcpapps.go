package dissect

import "bytes"

// Smaller application protocols over TCP: MySQL (greeting, login and the
// switch to TLS) and SSH (banners and packets).

var (
	fMySQL         = &Field{Abbrev: "mysql", Name: "MySQL Protocol", Type: FTProtocol}
	fMySQLLen      = &Field{Abbrev: "mysql.packet_length", Name: "Packet Length", Type: FTUint, Bits: 24}
	fMySQLNum      = &Field{Abbrev: "mysql.packet_number", Name: "Packet Number", Type: FTUint, Bits: 8}
	fMySQLProto    = &Field{Abbrev: "mysql.protocol", Name: "Protocol", Type: FTUint, Bits: 8}
	fMySQLVersion  = &Field{Abbrev: "mysql.version", Name: "Version", Type: FTString}
	fMySQLUser     = &Field{Abbrev: "mysql.user", Name: "Username", Type: FTString}
	fSSH           = &Field{Abbrev: "ssh", Name: "SSH Protocol", Type: FTProtocol}
	fSSHProtocol   = &Field{Abbrev: "ssh.protocol", Name: "Protocol", Type: FTString}
	fSSHEncrypted  = &Field{Abbrev: "ssh.encrypted_packet", Name: "Encrypted Packet", Type: FTBytes}
	fSSHPacketLen  = &Field{Abbrev: "ssh.packet_length", Name: "Packet Length", Type: FTUint, Bits: 32}
	fSSHMessageCod = &Field{Abbrev: "ssh.message_code", Name: "Message Code", Type: FTUint, Bits: 8}
)

var mysqlApp = &tcpApp{pduLen: mysqlPDULen, dissect: dissectMySQL}

var sshApp = &tcpApp{pduLen: sshPDULen, dissect: dissectSSH}

func init() {
	register(fMySQL, fMySQLLen, fMySQLNum, fMySQLProto, fMySQLVersion, fMySQLUser,
		fSSH, fSSHProtocol, fSSHEncrypted, fSSHPacketLen, fSSHMessageCod)
	tcpPorts[3306] = mysqlApp
	tcpPorts[22] = sshApp
}

func mysqlPDULen(b []byte) int {
	if len(b) < 4 {
		return 0
	}
	return 4 + (int(b[0]) | int(b[1])<<8 | int(b[2])<<16)
}

// mysqlClientSSL is the CLIENT_SSL capability flag.
const mysqlClientSSL = 0x0800

// dissectMySQL shows one MySQL packet: the server greeting, the client's
// login (or its request to switch to TLS), else a generic line.
func dissectMySQL(c *Ctx, t tvb) int {
	c.setProto("MySQL")
	c.clearInfo()
	top := c.push(fMySQL, t.off, t.len())
	defer c.pop(top)
	n := int(c.u8(t, 0)) | int(c.u8(t, 1))<<8 | int(c.u8(t, 2))<<16
	c.addU(fMySQLLen, t.off, 3, uint64(n))
	c.addU(fMySQLNum, t.off+3, 1, uint64(c.u8(t, 3)))
	fromServer := c.sport == 3306
	body := t.subLen(4, n)
	switch {
	case fromServer && c.u8(t, 3) == 0 && n > 1 && c.u8(body, 0) == 10:
		// Server Greeting: protocol, then the NUL-terminated version.
		c.addU(fMySQLProto, body.off, 1, 10)
		b := c.data[body.off+1 : body.end]
		v := b
		if i := bytes.IndexByte(b, 0); i >= 0 {
			v = b[:i]
		}
		c.add(fMySQLVersion, body.off+1, len(v), Value{B: v})
		c.info = append(c.info, "Server Greeting  proto=10 version="...)
		c.info = append(c.info, v...)
		c.info = append(c.info, ' ')
	case !fromServer && c.u8(t, 3) == 1 && n >= 32:
		caps := c.le16(body, 0)
		if n == 32 && caps&mysqlClientSSL != 0 {
			c.info = append(c.info, "Response: SSL Handshake user= "...)
			if st := c.tlsStream(); st != nil && c.first && st.switchApp == nil {
				st.switchApp, st.switchFrame = tlsApp, uint32(c.pkt.Num)+1
			}
			return t.len()
		}
		user := []byte{}
		if n > 32 {
			b := c.data[body.off+32 : body.end]
			if i := bytes.IndexByte(b, 0); i >= 0 {
				user = b[:i]
			}
		}
		c.add(fMySQLUser, body.off+32, len(user), Value{B: user})
		c.info = append(c.info, "Login Request user="...)
		c.info = append(c.info, user...)
		c.info = append(c.info, ' ')
	case fromServer:
		c.info = append(c.info, "Response "...)
	default:
		c.info = append(c.info, "Request "...)
	}
	return t.len()
}

// sshPDULen: a banner line, or the rest of the segment (SSH packets are
// not length-delimited without knowing the cipher).
func sshPDULen(b []byte) int {
	if bytes.HasPrefix(b, []byte("SSH-")) {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return i + 1
		}
		return 0
	}
	return len(b)
}

var sshMessageNames = vals(1, "Disconnect", 20, "Key Exchange Init", 21, "New Keys",
	30, "Elliptic Curve Diffie-Hellman Key Exchange Init", 31, "Elliptic Curve Diffie-Hellman Key Exchange Reply",
	34, "Diffie-Hellman Group Exchange Request")

// dissectSSH shows a banner ("Client: Protocol (SSH-2.0-...)"), a clear
// key exchange packet or an encrypted one.
func dissectSSH(c *Ctx, t tvb) int {
	c.setProto("SSH")
	c.clearInfo()
	top := c.push(fSSH, t.off, t.len())
	defer c.pop(top)
	side := "Client: "
	if c.sport == 22 {
		side = "Server: "
	}
	c.info = append(c.info, side...)
	b := c.data[t.off:t.end]
	if bytes.HasPrefix(b, []byte("SSH-")) {
		line := bytes.TrimRight(b, "\r\n")
		c.add(fSSHProtocol, t.off, len(line), Value{B: line})
		c.info = append(c.info, "Protocol ("...)
		c.info = appendFormatText(c.info, line)
		c.info = append(c.info, ')')
		return t.len()
	}
	if len(b) >= 6 {
		pl := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if name, ok := sshMessageNames[uint64(b[5])]; ok && pl+4 == len(b) && int(b[4]) < pl {
			c.addU(fSSHPacketLen, t.off, 4, uint64(pl))
			c.addU(fSSHMessageCod, t.off+5, 1, uint64(b[5]))
			c.info = append(c.info, name...)
			return t.len()
		}
	}
	c.addB(fSSHEncrypted, t.off, len(b))
	c.info = append(c.info, "Encrypted packet (len="...)
	c.info = appendUint(c.info, uint64(len(b)))
	c.info = append(c.info, ')')
	return t.len()
}
