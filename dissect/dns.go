package dissect

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DNS, Multicast DNS and LLMNR (RFC 1035, 6762, 4795), over UDP and TCP, as
// Wireshark 4.0's packet-dns.c shows them.

var (
	fDNS   = &Field{Abbrev: "dns", Name: "Domain Name System", Type: FTProtocol}
	fMDNS  = &Field{Abbrev: "mdns", Name: "Multicast Domain Name System", Type: FTProtocol}
	fLLMNR = &Field{Abbrev: "llmnr", Name: "Link-local Multicast Name Resolution", Type: FTProtocol}

	fDNSLength        = &Field{Abbrev: "dns.length", Name: "Length", Type: FTUint, Bits: 16}
	fDNSID            = &Field{Abbrev: "dns.id", Name: "Transaction ID", Type: FTUint, Bits: 16, Base: BaseHex}
	fDNSFlags         = &Field{Abbrev: "dns.flags", Name: "Flags", Type: FTUint, Bits: 16, Base: BaseHex}
	fDNSFlagResponse  = &Field{Abbrev: "dns.flags.response", Name: "Response", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"Message is a response", "Message is a query"}}
	fDNSFlagOpcode    = &Field{Abbrev: "dns.flags.opcode", Name: "Opcode", Type: FTUint, Bits: 16, Mask: 0x7800, Values: dnsOpcodeNames}
	fDNSFlagAuth      = &Field{Abbrev: "dns.flags.authoritative", Name: "Authoritative", Type: FTBool, Bits: 16, Mask: 0x400, TrueFalse: &[2]string{"Server is an authority for domain", "Server is not an authority for domain"}}
	fDNSFlagConflict  = &Field{Abbrev: "dns.flags.conflict", Name: "Conflict", Type: FTBool, Bits: 16, Mask: 0x400, TrueFalse: &[2]string{"The sender received multiple responses", "None"}}
	fDNSFlagTrunc     = &Field{Abbrev: "dns.flags.truncated", Name: "Truncated", Type: FTBool, Bits: 16, Mask: 0x200, TrueFalse: &[2]string{"Message is truncated", "Message is not truncated"}}
	fDNSFlagRD        = &Field{Abbrev: "dns.flags.recdesired", Name: "Recursion desired", Type: FTBool, Bits: 16, Mask: 0x100, TrueFalse: &[2]string{"Do query recursively", "Don't do query recursively"}}
	fDNSFlagTentative = &Field{Abbrev: "dns.flags.tentative", Name: "Tentative", Type: FTBool, Bits: 16, Mask: 0x100, TrueFalse: &[2]string{"Tentative", "Not tentative"}}
	fDNSFlagRA        = &Field{Abbrev: "dns.flags.recavail", Name: "Recursion available", Type: FTBool, Bits: 16, Mask: 0x80, TrueFalse: &[2]string{"Server can do recursive queries", "Server can't do recursive queries"}}
	fDNSFlagZ         = &Field{Abbrev: "dns.flags.z", Name: "Z", Type: FTBool, Bits: 16, Mask: 0x40, TrueFalse: &[2]string{"reserved - incorrect!", "reserved (0)"}}
	fDNSFlagAD        = &Field{Abbrev: "dns.flags.authenticated", Name: "Answer authenticated", Type: FTBool, Bits: 16, Mask: 0x20, TrueFalse: &[2]string{"Answer/authority portion was authenticated by the server", "Answer/authority portion was not authenticated by the server"}}
	fDNSFlagCD        = &Field{Abbrev: "dns.flags.checkdisable", Name: "Non-authenticated data", Type: FTBool, Bits: 16, Mask: 0x10, TrueFalse: &[2]string{"Acceptable", "Unacceptable"}}
	fDNSFlagRcode     = &Field{Abbrev: "dns.flags.rcode", Name: "Reply code", Type: FTUint, Bits: 16, Mask: 0xf, Values: dnsRcodeNames}

	fDNSCountQueries = &Field{Abbrev: "dns.count.queries", Name: "Questions", Type: FTUint, Bits: 16}
	fDNSCountZones   = &Field{Abbrev: "dns.count.zones", Name: "Zones", Type: FTUint, Bits: 16}
	fDNSCountAnswers = &Field{Abbrev: "dns.count.answers", Name: "Answer RRs", Type: FTUint, Bits: 16}
	fDNSCountPrereq  = &Field{Abbrev: "dns.count.prerequisites", Name: "Prerequisites", Type: FTUint, Bits: 16}
	fDNSCountAuth    = &Field{Abbrev: "dns.count.auth_rr", Name: "Authority RRs", Type: FTUint, Bits: 16}
	fDNSCountUpdates = &Field{Abbrev: "dns.count.updates", Name: "Updates", Type: FTUint, Bits: 16}
	fDNSCountAdd     = &Field{Abbrev: "dns.count.add_rr", Name: "Additional RRs", Type: FTUint, Bits: 16}

	fDNSQryName    = &Field{Abbrev: "dns.qry.name", Name: "Name", Type: FTString}
	fDNSQryNameLen = &Field{Abbrev: "dns.qry.name.len", Name: "Name Length", Type: FTUint, Bits: 16}
	fDNSLabels     = &Field{Abbrev: "dns.count.labels", Name: "Label Count", Type: FTUint, Bits: 16}
	fDNSQryType    = &Field{Abbrev: "dns.qry.type", Name: "Type", Type: FTUint, Bits: 16, Values: dnsTypeDesc}
	fDNSQryClass   = &Field{Abbrev: "dns.qry.class", Name: "Class", Type: FTUint, Bits: 16, Base: BaseHex, Values: dnsClassNames}
	fDNSQryQU      = &Field{Abbrev: "dns.qry.qu", Name: "\"QU\" question", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"True", "False"}}

	fDNSRespName    = &Field{Abbrev: "dns.resp.name", Name: "Name", Type: FTString}
	fDNSRespType    = &Field{Abbrev: "dns.resp.type", Name: "Type", Type: FTUint, Bits: 16, Values: dnsTypeDesc}
	fDNSRespClass   = &Field{Abbrev: "dns.resp.class", Name: "Class", Type: FTUint, Bits: 16, Base: BaseHex, Values: dnsClassNames}
	fDNSCacheFlush  = &Field{Abbrev: "dns.resp.cache_flush", Name: "Cache flush", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"True", "False"}}
	fDNSRespTTL     = &Field{Abbrev: "dns.resp.ttl", Name: "Time to live", Type: FTUint, Bits: 32}
	fDNSRespLen     = &Field{Abbrev: "dns.resp.len", Name: "Data length", Type: FTUint, Bits: 16}
	fDNSUDPPayload  = &Field{Abbrev: "dns.rr.udp_payload_size", Name: "UDP payload size", Type: FTUint, Bits: 16}
	fDNSExtRcode    = &Field{Abbrev: "dns.resp.ext_rcode", Name: "Higher bits in extended RCODE", Type: FTUint, Bits: 8, Base: BaseHex}
	fDNSEDNSVersion = &Field{Abbrev: "dns.resp.edns0_version", Name: "EDNS0 version", Type: FTUint, Bits: 8}
	fDNSRespZ       = &Field{Abbrev: "dns.resp.z", Name: "Z", Type: FTUint, Bits: 16, Base: BaseHex}
	fDNSRespZDO     = &Field{Abbrev: "dns.resp.z.do", Name: "DO bit", Type: FTBool, Bits: 16, Mask: 0x8000, TrueFalse: &[2]string{"Accepts DNSSEC security RRs", "Cannot handle DNSSEC security RRs"}}
	fDNSRespZRes    = &Field{Abbrev: "dns.resp.z.reserved", Name: "Reserved", Type: FTUint, Bits: 16, Base: BaseHex, Mask: 0x7fff}

	fDNSA        = &Field{Abbrev: "dns.a", Name: "Address", Type: FTIPv4}
	fDNSAAAA     = &Field{Abbrev: "dns.aaaa", Name: "AAAA Address", Type: FTIPv6}
	fDNSCNAME    = &Field{Abbrev: "dns.cname", Name: "CNAME", Type: FTString}
	fDNSNS       = &Field{Abbrev: "dns.ns", Name: "Name Server", Type: FTString}
	fDNSPTR      = &Field{Abbrev: "dns.ptr.domain_name", Name: "Domain Name", Type: FTString}
	fDNSDName    = &Field{Abbrev: "dns.dname", Name: "Dname", Type: FTString}
	fDNSSOAMName = &Field{Abbrev: "dns.soa.mname", Name: "Primary name server", Type: FTString}
	fDNSSOARName = &Field{Abbrev: "dns.soa.rname", Name: "Responsible authority's mailbox", Type: FTString}
	fDNSSOASer   = &Field{Abbrev: "dns.soa.serial_number", Name: "Serial Number", Type: FTUint, Bits: 32}
	fDNSSOARef   = &Field{Abbrev: "dns.soa.refresh_interval", Name: "Refresh Interval", Type: FTUint, Bits: 32}
	fDNSSOARetry = &Field{Abbrev: "dns.soa.retry_interval", Name: "Retry Interval", Type: FTUint, Bits: 32}
	fDNSSOAExp   = &Field{Abbrev: "dns.soa.expire_limit", Name: "Expire limit", Type: FTUint, Bits: 32}
	fDNSSOAMin   = &Field{Abbrev: "dns.soa.minimum_ttl", Name: "Minimum TTL", Type: FTUint, Bits: 32}
	fDNSMXPref   = &Field{Abbrev: "dns.mx.preference", Name: "Preference", Type: FTUint, Bits: 16}
	fDNSMXName   = &Field{Abbrev: "dns.mx.mail_exchange", Name: "Mail Exchange", Type: FTString}
	fDNSTXTLen   = &Field{Abbrev: "dns.txt.length", Name: "TXT Length", Type: FTUint, Bits: 8}
	fDNSTXT      = &Field{Abbrev: "dns.txt", Name: "TXT", Type: FTString}
	fDNSHInfoCPU = &Field{Abbrev: "dns.hinfo.cpu", Name: "CPU", Type: FTString}
	fDNSHInfoOS  = &Field{Abbrev: "dns.hinfo.os", Name: "OS", Type: FTString}
	fDNSSrvSvc   = &Field{Abbrev: "dns.srv.service", Name: "Service", Type: FTString}
	fDNSSrvProto = &Field{Abbrev: "dns.srv.proto", Name: "Protocol", Type: FTString}
	fDNSSrvName  = &Field{Abbrev: "dns.srv.name", Name: "Name", Type: FTString}
	fDNSSrvInst  = &Field{Abbrev: "dns.srv.instance", Name: "Instance", Type: FTString}
	fDNSSrvPrio  = &Field{Abbrev: "dns.srv.priority", Name: "Priority", Type: FTUint, Bits: 16}
	fDNSSrvWt    = &Field{Abbrev: "dns.srv.weight", Name: "Weight", Type: FTUint, Bits: 16}
	fDNSSrvPort  = &Field{Abbrev: "dns.srv.port", Name: "Port", Type: FTUint, Bits: 16}
	fDNSSrvTgt   = &Field{Abbrev: "dns.srv.target", Name: "Target", Type: FTString}
	fDNSNSECNext = &Field{Abbrev: "dns.nsec.next_domain_name", Name: "Next Domain Name", Type: FTString}
	fDNSBitmap   = &Field{Abbrev: "dns.rr.type_bitmap", Name: "RR type in bit map", Type: FTUint, Bits: 16, Values: dnsTypeDesc}
	fDNSData     = &Field{Abbrev: "dns.data", Name: "Data", Type: FTBytes}

	fDNSOpt     = &Field{Abbrev: "dns.opt", Name: "Option", Type: FTNone}
	fDNSOptCode = &Field{Abbrev: "dns.opt.code", Name: "Option Code", Type: FTUint, Bits: 16, Values: dnsOptNames}
	fDNSOptLen  = &Field{Abbrev: "dns.opt.len", Name: "Option Length", Type: FTUint, Bits: 16}
	fDNSOptData = &Field{Abbrev: "dns.opt.data", Name: "Option Data", Type: FTBytes}

	fDNSKeyFlags    = &Field{Abbrev: "dns.dnskey.flags", Name: "Flags", Type: FTUint, Bits: 16, Base: BaseHex}
	fDNSKeyZone     = &Field{Abbrev: "dns.dnskey.flags.zone_key", Name: "Zone Key", Type: FTBool, Bits: 16, Mask: 0x100, TrueFalse: &[2]string{"This is the zone key for specified zone", "This it not a zone key"}}
	fDNSKeyRevoked  = &Field{Abbrev: "dns.dnskey.flags.key_revoked", Name: "Key Revoked", Type: FTBool, Bits: 16, Mask: 0x80, TrueFalse: &[2]string{"Yes", "No"}}
	fDNSKeySEP      = &Field{Abbrev: "dns.dnskey.flags.secure_entry_point", Name: "Key Signing Key", Type: FTBool, Bits: 16, Mask: 0x1, TrueFalse: &[2]string{"Yes", "No"}}
	fDNSKeyReserved = &Field{Abbrev: "dns.dnskey.flags.reserved", Name: "Key Signing Key", Type: FTUint, Bits: 16, Base: BaseHex, Mask: 0xfe7e}
	fDNSKeyProto    = &Field{Abbrev: "dns.dnskey.protocol", Name: "Protocol", Type: FTUint, Bits: 8}
	fDNSKeyAlgo     = &Field{Abbrev: "dns.dnskey.algorithm", Name: "Algorithm", Type: FTUint, Bits: 8, Values: dnsAlgoNames}
	fDNSKeyID       = &Field{Abbrev: "dns.dnskey.key_id", Name: "Key id", Type: FTUint, Bits: 16}
	fDNSKeyPub      = &Field{Abbrev: "dns.dnskey.public_key", Name: "Public Key", Type: FTBytes}
	fDNSSigCovered  = &Field{Abbrev: "dns.rrsig.type_covered", Name: "Type Covered", Type: FTUint, Bits: 16, Values: dnsTypeDesc}
	fDNSSigAlgo     = &Field{Abbrev: "dns.rrsig.algorithm", Name: "Algorithm", Type: FTUint, Bits: 8, Values: dnsAlgoNames}
	fDNSSigLabels   = &Field{Abbrev: "dns.rrsig.labels", Name: "Labels", Type: FTUint, Bits: 8}
	fDNSSigOrigTTL  = &Field{Abbrev: "dns.rrsig.original_ttl", Name: "Original TTL", Type: FTUint, Bits: 32}
	fDNSSigExp      = &Field{Abbrev: "dns.rrsig.signature_expiration", Name: "Signature Expiration", Type: FTAbsTime}
	fDNSSigInc      = &Field{Abbrev: "dns.rrsig.signature_inception", Name: "Signature Inception", Type: FTAbsTime}
	fDNSSigKeyTag   = &Field{Abbrev: "dns.rrsig.key_tag", Name: "Key Tag", Type: FTUint, Bits: 16}
	fDNSSigSigner   = &Field{Abbrev: "dns.rrsig.signers_name", Name: "Signer's name", Type: FTString}
	fDNSSigSig      = &Field{Abbrev: "dns.rrsig.signature", Name: "Signature", Type: FTBytes}
	fDNSDSKeyID     = &Field{Abbrev: "dns.ds.key_id", Name: "Key id", Type: FTUint, Bits: 16, Base: BaseHex}
	fDNSDSAlgo      = &Field{Abbrev: "dns.ds.algorithm", Name: "Algorithm", Type: FTUint, Bits: 8, Values: dnsAlgoNames}
	fDNSDSDigType   = &Field{Abbrev: "dns.ds.digest_type", Name: "Digest Type", Type: FTUint, Bits: 8, Values: vals(0, "Reserved digest", 1, "SHA-1", 2, "SHA-256", 3, "GOST R 34.11-94", 4, "SHA-384")}
	fDNSDSDigest    = &Field{Abbrev: "dns.ds.digest", Name: "Digest", Type: FTBytes}

	fDNSResponseIn = &Field{Abbrev: "dns.response_in", Name: "Response In", Type: FTFrameNum}
	fDNSResponseTo = &Field{Abbrev: "dns.response_to", Name: "Request In", Type: FTFrameNum}
	fDNSTime       = &Field{Abbrev: "dns.time", Name: "Time", Type: FTRelTime}
	fDNSUnsolicit  = &Field{Abbrev: "dns.unsolicited", Name: "Unsolicited", Type: FTBool, Bits: 8, TrueFalse: &[2]string{"True", "False"}}
)

var dnsOpcodeNames = vals(0, "Standard query", 1, "Inverse query", 2, "Server status request",
	4, "Zone change notification", 5, "Dynamic update", 6, "DNS Stateful operations (DSO)")

var dnsRcodeNames = vals(0, "No error", 1, "Format error", 2, "Server failure", 3, "No such name",
	4, "Not implemented", 5, "Refused", 6, "Name exists", 7, "RRset exists", 8, "RRset does not exist",
	9, "Not authoritative", 10, "Name out of zone", 11, "DSO-Type not implemented",
	16, "Bad OPT Version or TSIG Signature Failure", 17, "Key not recognized", 18, "Signature out of time window",
	19, "Bad TKEY Mode", 20, "Duplicate key name", 21, "Algorithm not supported", 22, "Bad Truncation",
	23, "Bad/missing Server Cookie")

var dnsClassNames = vals(1, "IN", 2, "CS", 3, "CH", 4, "HS", 0xfe, "NONE", 0xff, "ANY")

var dnsOptNames = vals(0, "Reserved", 1, "LLQ - Long-lived query", 2, "UL - Update lease",
	3, "NSID - Name Server Identifier", 4, "Owner (reserved)", 5, "DAU - DNSSEC Algorithm Understood (RFC6975)",
	6, "DHU - DS Hash Understood (RFC6975)", 7, "N3U - NSEC3 Hash Understood (RFC6975)",
	20730, "Experimental - CSUBNET - Client subnet", 8, "CSUBNET - Client subnet", 9, "EDNS EXPIRE (RFC7314)",
	10, "COOKIE", 11, "EDNS TCP Keepalive", 12, "PADDING", 13, "CHAIN", 15, "Extended DNS Error")

var dnsAlgoNames = vals(1, "RSA/MD5", 2, "Diffie-Hellman", 3, "DSA", 4, "Elliptic curve crypto", 5, "RSA/SHA1",
	6, "DSA + NSEC3/SHA1", 7, "RSA/SHA1 + NSEC3/SHA1", 8, "RSA/SHA-256", 10, "RSA/SHA-512", 12, "GOST R 34.10-2001",
	13, "ECDSA Curve P-256 with SHA-256", 14, "ECDSA Curve P-386 with SHA-386", 15, "Ed25519", 16, "Ed448",
	157, "HMAC/MD5", 252, "Indirect key", 253, "Private, domain name", 254, "Private, OID")

// dnsTypes lists the RR types with the short name the Info column uses and
// the description the tree uses (both from tshark 4.0: `tshark -G values`).
var dnsTypes = []struct {
	code        uint16
	short, desc string
}{
	{0, "Unused", "Unused"},
	{1, "A", "A (Host Address)"},
	{2, "NS", "NS (authoritative Name Server)"},
	{3, "MD", "MD (Mail Destination)"},
	{4, "MF", "MF (Mail Forwarder)"},
	{5, "CNAME", "CNAME (Canonical NAME for an alias)"},
	{6, "SOA", "SOA (Start Of a zone of Authority)"},
	{7, "MB", "MB (MailBox domain name)"},
	{8, "MG", "MG (Mail Group member)"},
	{9, "MR", "MR (Mail Rename domain)"},
	{10, "NULL", "NULL RR"},
	{11, "WKS", "WKS (Well Known Service)"},
	{12, "PTR", "PTR (domain name PoinTeR)"},
	{13, "HINFO", "HINFO (host information)"},
	{14, "MINFO", "MINFO (Mailbox or mail list information)"},
	{15, "MX", "MX (Mail eXchange)"},
	{16, "TXT", "TXT (Text strings)"},
	{17, "RP", "RP (Responsible Person)"},
	{18, "AFSDB", "AFSDB (AFS Data Base location)"},
	{19, "X25", "X25 (XX.25 PSDN address)"},
	{20, "ISDN", "ISDN (ISDN address)"},
	{21, "RT", "RT (Route Through)"},
	{22, "NSAP", "NSAP (NSAP address)"},
	{23, "NSAP-PTR", "NSAP-PTR (NSAP domain name pointer)"},
	{24, "SIG", "SIG (security signature)"},
	{25, "KEY", "KEY (security key)"},
	{26, "PX", "PX (X.400 mail mapping information)"},
	{27, "GPOS", "GPOS (Geographical Position)"},
	{28, "AAAA", "AAAA (IPv6 Address)"},
	{29, "LOC", "LOC (Location Information)"},
	{30, "NXT", "NXT (Next Domain)"},
	{31, "EID", "EID (Endpoint Identifier)"},
	{32, "NIMLOC", "NIMLOC (Nimrod Locator)"},
	{33, "SRV", "SRV (Server Selection)"},
	{34, "ATMA", "ATMA (ATM Address)"},
	{35, "NAPTR", "NAPTR (Naming Authority Pointer)"},
	{36, "KX", "KX (Key Exchanger)"},
	{37, "CERT", "CERT"},
	{38, "A6", "A6 (OBSOLETE - use AAAA)"},
	{39, "DNAME", "DNAME"},
	{40, "SINK", "SINK"},
	{41, "OPT", "OPT"},
	{42, "APL", "APL"},
	{43, "DS", "DS (Delegation Signer)"},
	{44, "SSHFP", "SSHFP (SSH Key Fingerprint)"},
	{45, "IPSECKEY", "IPSECKEY"},
	{46, "RRSIG", "RRSIG (Resource Record Signature)"},
	{47, "NSEC", "NSEC (Next Secure)"},
	{48, "DNSKEY", "DNSKEY (DNS Public Key)"},
	{49, "DHCID", "DHCID"},
	{50, "NSEC3", "NSEC3"},
	{51, "NSEC3PARAM", "NSEC3PARAM"},
	{52, "TLSA", "TLSA"},
	{55, "HIP", "HIP (Host Identity Protocol)"},
	{57, "RKEY", "RKEY"},
	{58, "TALINK", "TALINK (Trust Anchor LINK)"},
	{59, "CDS", "CDS (Child DS)"},
	{60, "CDNSKEY", "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)"},
	{61, "OPENPGPKEY", "OPENPGPKEY (OpenPGP Key)"},
	{62, "CSYNC", "CSYNC (Child-to-Parent Synchronization)"},
	{63, "ZONEMD", "ZONEMD"},
	{64, "SVCB", "SVCB (General Purpose Service Endpoints)"},
	{65, "HTTPS", "HTTPS (HTTPS Specific Service Endpoints)"},
	{99, "SPF", "SPF"},
	{100, "UINFO", "UINFO"},
	{101, "UID", "UID"},
	{102, "GID", "GID"},
	{103, "UNSPEC", "UNSPEC"},
	{104, "NID", "NID (NodeID)"},
	{105, "L32", "L32 (Locator32)"},
	{106, "L64", "L64 (Locator64)"},
	{107, "LP", "LP (Locator FQDN)"},
	{108, "EUI48", "EUI48"},
	{109, "EUI64", "EUI64"},
	{249, "TKEY", "TKEY (Transaction Key)"},
	{250, "TSIG", "TSIG (Transaction Signature)"},
	{251, "IXFR", "IXFR (incremental transfer)"},
	{252, "AXFR", "AXFR (transfer of an entire zone)"},
	{253, "MAILB", "MAILB (mailbox-related RRs)"},
	{254, "MAILA", "MAILA (mail agent RRs)"},
	{255, "ANY", "* (A request for all records the server/cache has available)"},
	{256, "URI", "URI"},
	{257, "CAA", "CAA (Certification Authority Restriction)"},
	{32768, "TA", "TA (DNSSEC Trust Authorities)"},
	{32769, "DLV", "DLV (DNSSEC Lookaside Validation)"},
	{65281, "WINS", "WINS"},
	{65282, "WINS-R", "WINS-R"},
	{65422, "XPF", "XPF"},
}

var dnsTypeShort, dnsTypeDesc = func() (map[uint64]string, map[uint64]string) {
	s := make(map[uint64]string, len(dnsTypes))
	d := make(map[uint64]string, len(dnsTypes))
	for _, t := range dnsTypes {
		s[uint64(t.code)], d[uint64(t.code)] = t.short, t.desc
	}
	return s, d
}()

// RR types the dissector looks into.
const (
	dnsTA      = 1
	dnsTNS     = 2
	dnsTCNAME  = 5
	dnsTSOA    = 6
	dnsTPTR    = 12
	dnsTHINFO  = 13
	dnsTMX     = 15
	dnsTTXT    = 16
	dnsTAAAA   = 28
	dnsTSRV    = 33
	dnsTKX     = 36
	dnsTDNAME  = 39
	dnsTOPT    = 41
	dnsTDS     = 43
	dnsTRRSIG  = 46
	dnsTNSEC   = 47
	dnsTDNSKEY = 48
	dnsTSPF    = 99
)

// dnsOwnerInInfo are the types whose Info entry is the record's owner name
// (a quirk of packet-dns.c kept for fidelity).
var dnsOwnerInInfo = map[uint16]bool{3: true, 4: true, 7: true, 8: true, 9: true, 10: true, 14: true, 17: true,
	18: true, 19: true, 20: true, 21: true, 22: true, 23: true, 26: true, 27: true, 42: true}

func init() {
	register(fDNS, fMDNS, fLLMNR, fDNSLength, fDNSID, fDNSFlags, fDNSFlagResponse, fDNSFlagOpcode, fDNSFlagAuth,
		fDNSFlagConflict, fDNSFlagTrunc, fDNSFlagRD, fDNSFlagTentative, fDNSFlagRA, fDNSFlagZ, fDNSFlagAD,
		fDNSFlagCD, fDNSFlagRcode, fDNSCountQueries, fDNSCountZones, fDNSCountAnswers, fDNSCountPrereq,
		fDNSCountAuth, fDNSCountUpdates, fDNSCountAdd, fDNSQryName, fDNSQryNameLen, fDNSLabels, fDNSQryType,
		fDNSQryClass, fDNSQryQU, fDNSRespName, fDNSRespType, fDNSRespClass, fDNSCacheFlush, fDNSRespTTL,
		fDNSRespLen, fDNSUDPPayload, fDNSExtRcode, fDNSEDNSVersion, fDNSRespZ, fDNSRespZDO, fDNSRespZRes,
		fDNSA, fDNSAAAA, fDNSCNAME, fDNSNS, fDNSPTR, fDNSDName, fDNSSOAMName, fDNSSOARName, fDNSSOASer,
		fDNSSOARef, fDNSSOARetry, fDNSSOAExp, fDNSSOAMin, fDNSMXPref, fDNSMXName, fDNSTXTLen, fDNSTXT,
		fDNSHInfoCPU, fDNSHInfoOS, fDNSSrvSvc, fDNSSrvProto, fDNSSrvName, fDNSSrvInst, fDNSSrvPrio, fDNSSrvWt,
		fDNSSrvPort, fDNSSrvTgt, fDNSNSECNext, fDNSBitmap, fDNSData, fDNSOpt, fDNSOptCode, fDNSOptLen,
		fDNSOptData, fDNSKeyFlags, fDNSKeyZone, fDNSKeyRevoked, fDNSKeySEP, fDNSKeyReserved, fDNSKeyProto,
		fDNSKeyAlgo, fDNSKeyID, fDNSKeyPub, fDNSSigCovered, fDNSSigAlgo, fDNSSigLabels, fDNSSigOrigTTL,
		fDNSSigExp, fDNSSigInc, fDNSSigKeyTag, fDNSSigSigner, fDNSSigSig, fDNSDSKeyID, fDNSDSAlgo,
		fDNSDSDigType, fDNSDSDigest, fDNSResponseIn, fDNSResponseTo, fDNSTime, fDNSUnsolicit)
	udpPorts[53] = func(c *Ctx, t tvb) int { return dissectDNS(c, t, dnsPlain, false) }
	udpPorts[5353] = func(c *Ctx, t tvb) int { return dissectDNS(c, t, dnsMulticast, false) }
	udpPorts[5355] = func(c *Ctx, t tvb) int { return dissectDNS(c, t, dnsLLMNR, false) }
	tcpPorts[53] = &tcpApp{pduLen: dnsTCPPDULen, dissect: func(c *Ctx, t tvb) int { return dissectDNS(c, t, dnsPlain, true) }}
}

// dnsTCPPDULen returns the length of the DNS-over-TCP message starting at b:
// a two-byte length prefix and the message.
func dnsTCPPDULen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	return 2 + (int(b[0])<<8 | int(b[1]))
}

// dnsKind says which of the DNS-based protocols a message belongs to.
type dnsKind uint8

const (
	dnsPlain dnsKind = iota
	dnsMulticast
	dnsLLMNR
)

// dnsMaxName is Wireshark's MAX_DNAME_LEN: longer names show as
// "<Name too long>".
const dnsMaxName = 255

// dnsName is a decoded domain name.
type dnsName struct {
	text   []byte // as displayed (non-printable bytes escaped); scratch or static
	rawLen int    // length of the expanded name (Wireshark's name_len)
	used   int    // bytes the encoded name occupies where it starts
	labels int    // dns.count.labels: the expanded name's dots plus one
}

// countLabels counts labels as Wireshark's qname_labels_count does.
func countLabels(name []byte) int {
	if len(name) <= 1 {
		return 0
	}
	return bytes.Count(name, []byte{'.'}) + 1
}

// dnsGetName expands the (possibly compressed) name at offset off of the DNS
// message m, following Wireshark's expand_dns_name and get_dns_name: names
// over 255 bytes become "<Name too long>", pointer loops "<Name contains a
// pointer that loops>", and impossible encodings raise [Malformed Packet].
// raw is the caller's buffer for the expanded bytes (kept on its stack).
func (c *Ctx) dnsGetName(m tvb, off int, raw *[dnsMaxName]byte) dnsName {
	n, maxname, length, pointers, p := 0, dnsMaxName, -1, 0, off
	special := ""
	put := func(s string) {
		// snprintf(np, maxname, s) semantics, as the bitstring label code uses it.
		if maxname <= 0 {
			return
		}
		if len(s) > maxname {
			maxname = 0
			return
		}
		k := min(len(s), maxname-1)
		n += copy(raw[n:], s[:k])
		if len(s) == maxname {
			raw[n] = 0
			n++
		}
		maxname -= len(s)
	}
loop:
	for {
		cl := int(c.u8(m, p))
		p++
		if cl == 0 {
			break
		}
		switch cl & 0xc0 {
		case 0x00:
			if n > 0 {
				if maxname > 0 {
					raw[n] = '.'
					n++
					maxname--
				}
			} else {
				maxname--
			}
			for ; cl > 0; cl-- {
				if maxname > 0 {
					raw[n] = c.u8(m, p)
					n++
					maxname--
				}
				p++
			}
		case 0x40:
			if cl&0x3f != 1 {
				special = "<Unknown extended label>"
				length = p - off
				break loop
			}
			bitCount := int(c.u8(m, p))
			p++
			labelLen := (bitCount-1)/8 + 1
			put("\\[x")
			for ; labelLen > 0; labelLen-- {
				b := c.u8(m, p)
				put(string([]byte{hexDigits[b>>4], hexDigits[b&15]}))
				p++
			}
			put(fmt.Sprintf("/%d]", bitCount))
		case 0x80:
			panic(boundsErr{})
		case 0xc0:
			indir := (cl&0x3f)<<8 | int(c.u8(m, p))
			p++
			pointers++
			if length < 0 {
				length = p - off
			}
			if indir == p+2 || pointers > dnsMaxName {
				special = "<Name contains a pointer that loops>"
				break loop
			}
			p = indir
		}
	}
	if special == "" && maxname <= 0 {
		special = "<Name too long>"
	}
	if length < 0 {
		length = p - off
	}
	name := dnsName{used: length}
	if special != "" {
		name.text, name.rawLen = c.stashString(special), len(special)
		if length < 1 {
			panic(boundsErr{})
		}
		name.labels = countLabels(name.text)
		return name
	}
	if n == 0 && length <= 1 {
		name.text = c.stashString("<Root>")
		name.rawLen = len(name.text)
		name.labels = 1
		return name
	}
	if length < 1 || (length > 1 && n == 0) {
		panic(boundsErr{})
	}
	name.rawLen = n
	name.text = c.formatText(raw[:n])
	name.labels = countLabels(raw[:n])
	return name
}

// stashString copies s into scratch space (no allocation once warm).
func (c *Ctx) stashString(s string) []byte {
	i := len(c.scratch)
	c.scratch = append(c.scratch, s...)
	return c.scratch[i:len(c.scratch):len(c.scratch)]
}

// formatText returns b as Wireshark's format_text shows it, in scratch
// space: printable ASCII as is, other ASCII as C escapes, valid UTF-8 kept
// and invalid bytes as U+FFFD. It returns b itself when nothing changes.
func (c *Ctx) formatText(b []byte) []byte {
	clean := true
	for _, x := range b {
		if x < 0x20 || x >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return c.stash(b)
	}
	s := len(c.scratch)
	for i := 0; i < len(b); {
		x := b[i]
		switch {
		case x >= 0x20 && x < 0x7f:
			c.scratch = append(c.scratch, x)
			i++
		case x < 0x80:
			c.scratch = append(c.scratch, '\\')
			switch x {
			case '\a':
				c.scratch = append(c.scratch, 'a')
			case '\b':
				c.scratch = append(c.scratch, 'b')
			case '\f':
				c.scratch = append(c.scratch, 'f')
			case '\n':
				c.scratch = append(c.scratch, 'n')
			case '\r':
				c.scratch = append(c.scratch, 'r')
			case '\t':
				c.scratch = append(c.scratch, 't')
			case '\v':
				c.scratch = append(c.scratch, 'v')
			default:
				c.scratch = append(c.scratch, '0'+x>>6, '0'+x>>3&7, '0'+x&7)
			}
			i++
		default:
			r, sz := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && sz <= 1 || !unicode.IsPrint(r) {
				r = utf8.RuneError
			}
			c.scratch = utf8.AppendRune(c.scratch, r)
			i += max(sz, 1)
		}
	}
	return c.scratch[s:len(c.scratch):len(c.scratch)]
}

// appendDNSType appends the short name of an RR type (Info column form).
func appendDNSType(dst []byte, t uint16) []byte {
	if s, ok := dnsTypeShort[uint64(t)]; ok {
		return append(dst, s...)
	}
	dst = append(dst, "Unknown ("...)
	dst = appendUint(dst, uint64(t))
	return append(dst, ')')
}

func dnsTypeShortName(t uint16) string { return string(appendDNSType(nil, t)) }

func dnsClassName(cl uint16) string {
	if s, ok := dnsClassNames[uint64(cl)]; ok {
		return s
	}
	return "Unknown"
}

// dnsSecs formats a duration in seconds as Wireshark's
// unsigned_time_secs_to_str: "1 day, 2 hours, 3 minutes, 4 seconds".
func dnsSecs(v uint32) string {
	if v == 0 {
		return "0 seconds"
	}
	var parts []string
	unit := func(n uint32, name string) {
		if n == 0 {
			return
		}
		if n == 1 {
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		} else {
			parts = append(parts, fmt.Sprintf("%d %ss", n, name))
		}
	}
	unit(v/86400, "day")
	unit(v/3600%24, "hour")
	unit(v/60%60, "minute")
	unit(v%60, "second")
	return strings.Join(parts, ", ")
}

// dnsTxKey identifies the transactions of one DNS id in one conversation.
type dnsTxKey struct {
	conv udpKey
	tcp  bool
	id   uint16
}

// dnsTx is one request and the response that answered it (frame numbers,
// 0 when missing).
type dnsTx struct {
	req, rep uint32
	reqTS    int64
}

// dnsTable matches DNS requests and responses across a capture; it is
// written on the first pass and read afterwards.
type dnsTable struct {
	tx map[dnsTxKey]dnsTxList
	// udp is tx for messages over UDP, keyed by UDP conversation index
	// and DNS id (udpTxKey): a conversation's index stands for its
	// endpoints, and an integer key is much cheaper to look up.
	udp map[uint64]dnsTxList
	// nodes holds every list's transactions: a capture makes one per
	// query, and a slice each would be an allocation per query.
	nodes bigSlice[dnsTxNode]
}

// dnsTxList is a list of transactions in dnsTable.nodes, in frame order:
// the indexes+1 of its first and last nodes (0: empty).
type dnsTxList struct{ head, tail uint32 }

type dnsTxNode struct {
	tx   dnsTx
	next uint32 // index+1 of the next node of the list, 0 at the end
}

func udpTxKey(conv uint32, id uint16) uint64 { return uint64(conv)<<16 | uint64(id) }

// match records (first pass) and looks up the transaction of this message.
func (d *dnsTable) match(c *Ctx, k dnsTxKey, response bool) (tx dnsTx, found, unsolicited bool) {
	l := d.tx[k]
	if c.first {
		if d.tx == nil {
			d.tx = make(map[dnsTxKey]dnsTxList)
		}
		if d.record(c, &l, response) {
			d.tx[k] = l
		}
	}
	return d.find(l, uint32(c.pkt.Num), response)
}

// matchUDP is match for a message over UDP conversation conv (its
// index+1 in State.udp).
func (d *dnsTable) matchUDP(c *Ctx, conv uint32, id uint16, response bool) (tx dnsTx, found, unsolicited bool) {
	k := udpTxKey(conv, id)
	l := d.udp[k]
	if c.first {
		if d.udp == nil {
			d.udp = make(map[uint64]dnsTxList)
		}
		if d.record(c, &l, response) {
			d.udp[k] = l
		}
	}
	return d.find(l, uint32(c.pkt.Num), response)
}

// record adds this message to l on the first pass: a request appends a
// transaction, a response completes the last one. It reports whether l
// changed (and must be stored back).
func (d *dnsTable) record(c *Ctx, l *dnsTxList, response bool) bool {
	num := uint32(c.pkt.Num)
	if response {
		if l.tail != 0 {
			if last := &d.nodes.at(int(l.tail - 1)).tx; last.rep == 0 {
				last.rep = num
			}
		}
		return false
	}
	d.nodes.push(dnsTxNode{tx: dnsTx{req: num, reqTS: c.pkt.TS}})
	n := uint32(d.nodes.len())
	if l.tail != 0 {
		d.nodes.at(int(l.tail - 1)).next = n
	} else {
		l.head = n
	}
	l.tail = n
	return true
}

// find finds this message (frame num) among the transactions of l.
func (d *dnsTable) find(l dnsTxList, num uint32, response bool) (tx dnsTx, found, unsolicited bool) {
	for i := l.head; i != 0; {
		nd := d.nodes.at(int(i - 1))
		if t := nd.tx; (!response && t.req == num) || (response && t.rep == num) {
			return t, true, false
		}
		i = nd.next
	}
	if response {
		// Unsolicited: no request before this frame (requests are in
		// frame order, so the first one tells).
		return dnsTx{}, false, l.head == 0 || d.nodes.at(int(l.head-1)).tx.req >= num
	}
	return dnsTx{}, false, false
}

// dissectDNS dissects a DNS, MDNS or LLMNR message (over TCP, t starts with
// the two-byte length). It returns the bytes used.
func dissectDNS(c *Ctx, t tvb, kind dnsKind, tcp bool) int {
	proto := fDNS
	switch kind {
	case dnsMulticast:
		c.setProto("MDNS")
		proto = fMDNS
	case dnsLLMNR:
		c.setProto("LLMNR")
		proto = fLLMNR
	default:
		c.setProto("DNS")
	}
	mdns := kind == dnsMulticast
	c.clearInfo()
	pt := c.push(proto, t.off, t.len())
	defer c.pop(pt)
	m := t
	if tcp {
		c.addU(fDNSLength, t.off, 2, uint64(c.u16(t, 0)))
		m = t.sub(2)
	}
	id := c.u16(m, 0)
	flags := c.u16(m, 2)
	opcode := flags >> 11 & 0xf
	rcode := flags & 0xf
	response := flags&0x8000 != 0
	if !c.noCols {
		dnsHeaderInfo(c, opcode, id, rcode, response)
	}
	if c.tree {
		what := "query"
		if response {
			what = "response"
		}
		c.labelf(pt, "%s (%s)", proto.Name, what)
	}
	c.addU(fDNSID, m.off, 2, uint64(id))
	dnsFlagsTree(c, m, flags, kind)
	update := opcode == 5
	quest, ans, auth, add := c.u16(m, 4), c.u16(m, 6), c.u16(m, 8), c.u16(m, 10)
	if update {
		c.addU(fDNSCountZones, m.off+4, 2, uint64(quest))
		c.addU(fDNSCountPrereq, m.off+6, 2, uint64(ans))
		c.addU(fDNSCountUpdates, m.off+8, 2, uint64(auth))
	} else {
		c.addU(fDNSCountQueries, m.off+4, 2, uint64(quest))
		c.addU(fDNSCountAnswers, m.off+6, 2, uint64(ans))
		c.addU(fDNSCountAuth, m.off+8, 2, uint64(auth))
	}
	c.addU(fDNSCountAdd, m.off+10, 2, uint64(add))
	off := 12
	if quest > 0 {
		name := "Queries"
		if update {
			name = "Zone"
		}
		st := c.pushLabel(m.off+off, 0, name)
		start := off
		for i := 0; i < int(quest); i++ {
			off += dnsQuery(c, m, off, mdns)
		}
		c.setLen(st, off-start)
		c.pop(st)
	}
	sections := [3]struct {
		n    uint16
		name string
	}{{ans, "Answers"}, {auth, "Authoritative nameservers"}, {add, "Additional records"}}
	if update {
		sections[0].name, sections[1].name = "Prerequisites", "Updates"
	}
	for _, s := range sections {
		if s.n == 0 {
			continue
		}
		st := c.pushLabel(m.off+off, 0, s.name)
		start := off
		for i := 0; i < int(s.n); i++ {
			off += dnsAnswer(c, m, off, mdns)
		}
		c.setLen(st, off-start)
		c.pop(st)
	}
	if c.tree || c.wants(fDNSResponseIn) || c.wants(fDNSResponseTo) || c.wants(fDNSTime) || c.first {
		dnsTransaction(c, tcp, id, response)
	}
	return t.len()
}

// dnsHeaderInfo appends the start of Info: "Standard query response
// 0x1234 No such name".
func dnsHeaderInfo(c *Ctx, opcode, id, rcode uint16, response bool) {
	if s, ok := dnsOpcodeNames[uint64(opcode)]; ok {
		c.info = append(c.info, s...)
	} else {
		c.info = append(c.info, "Unknown operation ("...)
		c.info = appendUint(c.info, uint64(opcode))
		c.info = append(c.info, ')')
	}
	if response {
		c.info = append(c.info, " response"...)
	}
	c.info = append(c.info, ' ')
	c.info = appendHexN(c.info, uint64(id), 4)
	if response && rcode != 0 {
		c.info = append(c.info, ' ')
		c.info = appendRcode(c.info, rcode)
	}
}

func appendRcode(dst []byte, rcode uint16) []byte {
	if s, ok := dnsRcodeNames[uint64(rcode)]; ok {
		return append(dst, s...)
	}
	dst = append(dst, "Unknown error ("...)
	dst = appendUint(dst, uint64(rcode))
	return append(dst, ')')
}

// dnsTransaction matches requests and responses and shows the link.
func dnsTransaction(c *Ctx, tcp bool, id uint16, response bool) {
	var (
		tx                 dnsTx
		found, unsolicited bool
	)
	if !tcp && c.udpConv != 0 {
		tx, found, unsolicited = c.st.dns.matchUDP(c, c.udpConv, id, response)
	} else {
		k := dnsTxKey{conv: makeUDPKey(&c.ip, c.sport, c.dport), tcp: tcp, id: id}
		tx, found, unsolicited = c.st.dns.match(c, k, response)
	}
	switch {
	case !response && found && tx.rep != 0:
		c.addGen(fDNSResponseIn, Value{U: uint64(tx.rep)})
	case response && found:
		c.addGen(fDNSResponseTo, Value{U: uint64(tx.req)})
		c.addGen(fDNSTime, Value{U: uint64(c.pkt.TS - tx.reqTS)})
	case response && unsolicited:
		c.addGen(fDNSUnsolicit, Value{U: 1})
	}
}

// dnsFlagsTree adds the flags word and the bits that apply to this kind of
// message, as Wireshark lists them.
func dnsFlagsTree(c *Ctx, m tvb, flags uint16, kind dnsKind) {
	o := m.off + 2
	fi := c.addU(fDNSFlags, o, 2, uint64(flags))
	if !c.tree && c.want == nil {
		return
	}
	response := flags&0x8000 != 0
	if c.tree {
		opcode := flags >> 11 & 0xf
		desc := dnsOpcodeNames[uint64(opcode)]
		if desc == "" {
			desc = fmt.Sprintf("Unknown operation (%d)", opcode)
		}
		if response {
			desc += " response, " + string(appendRcode(nil, flags&0xf))
		}
		c.labelf(fi, "Flags: 0x%04x %s", flags, desc)
	}
	// The bits are recorded for filters too (dns.flags.rcode == 3), under
	// the flags item when there is one.
	saved := c.parent
	if fi >= 0 {
		c.parent = fi
	}
	defer func() { c.parent = saved }()
	bit := func(f *Field) int { return c.addU(f, o, 2, uint64(flags)&f.Mask>>maskShift(f.Mask)) }
	bit(fDNSFlagResponse)
	bit(fDNSFlagOpcode)
	if kind == dnsLLMNR {
		ci := bit(fDNSFlagConflict)
		if response && c.tree {
			v := "The name is considered unique"
			if flags&0x400 != 0 {
				v = "The name is not considered unique"
			}
			c.label(ci, string(appendBitPattern(nil, 0x400, uint64(flags>>10&1), 16))+"Conflict: "+v)
		}
		bit(fDNSFlagTrunc)
		bit(fDNSFlagTentative)
		if response {
			bit(fDNSFlagRcode)
		}
		return
	}
	if response {
		bit(fDNSFlagAuth)
	}
	bit(fDNSFlagTrunc)
	bit(fDNSFlagRD)
	if response {
		bit(fDNSFlagRA)
	}
	bit(fDNSFlagZ)
	if response {
		bit(fDNSFlagAD)
	} else if flags&0x20 != 0 {
		ai := bit(fDNSFlagAD)
		if c.tree {
			c.label(ai, string(appendBitPattern(nil, 0x20, 1, 16))+"AD bit: Set")
		}
	}
	bit(fDNSFlagCD)
	if response {
		bit(fDNSFlagRcode)
	}
}

// dnsQuery dissects one question at off and returns its length.
func dnsQuery(c *Ctx, m tvb, off int, mdns bool) int {
	var raw [dnsMaxName]byte
	name := c.dnsGetName(m, off, &raw)
	typ := c.u16(m, off+name.used)
	class := c.u16(m, off+name.used+2)
	qu := false
	if mdns {
		qu = class&0x8000 != 0
		class &= 0x7fff
	}
	if !c.noCols {
		c.info = append(c.info, ' ')
		c.info = appendDNSType(c.info, typ)
		c.info = append(c.info, ' ')
		c.info = append(c.info, name.text...)
		if mdns {
			if qu {
				c.info = append(c.info, ", \"QU\" question"...)
			} else {
				c.info = append(c.info, ", \"QM\" question"...)
			}
		}
	}
	used := name.used + 4
	if !c.tree && c.want == nil {
		return used
	}
	o := m.off + off
	q := -1
	if c.tree {
		label := fmt.Sprintf("%s: type %s, class %s", name.text, dnsTypeShortName(typ), dnsClassName(class))
		if mdns {
			if qu {
				label += ", \"QU\" question"
			} else {
				label += ", \"QM\" question"
			}
		}
		q = c.pushLabel(o, used, label)
	}
	c.add(fDNSQryName, o, name.used, Value{B: name.text})
	nl := name.rawLen
	if nl <= 1 {
		nl = 0
	}
	c.addGen(fDNSQryNameLen, Value{U: uint64(nl)})
	c.addGen(fDNSLabels, Value{U: uint64(name.labels)})
	c.addU(fDNSQryType, o+name.used, 2, uint64(typ))
	ci := c.addU(fDNSQryClass, o+name.used+2, 2, uint64(class))
	if mdns {
		if c.tree {
			c.label(ci, string(appendBitPattern(nil, 0x7fff, uint64(class), 16))+"Class: "+dnsClassName(class)+fmt.Sprintf(" (0x%04x)", class))
		}
		var b uint64
		if qu {
			b = 1
		}
		c.addU(fDNSQryQU, o+name.used+2, 2, b)
	}
	if q >= 0 {
		c.pop(q)
	}
	return used
}

// dnsAnswer dissects one resource record at off and returns its length.
func dnsAnswer(c *Ctx, m tvb, off int, mdns bool) int {
	var raw [dnsMaxName]byte
	name := c.dnsGetName(m, off, &raw)
	typ := c.u16(m, off+name.used)
	class := c.u16(m, off+name.used+2)
	flush := false
	if mdns {
		flush = class&0x8000 != 0
		class &= 0x7fff
	}
	dlen := int(c.u16(m, off+name.used+8))
	if !c.noCols {
		c.info = append(c.info, ' ')
		c.info = appendDNSType(c.info, typ)
		if flush {
			c.info = append(c.info, ", cache flush"...)
		}
	}
	o := m.off + off
	total := name.used + 10 + dlen
	rr := -1
	label, extra := "", "" // tree only: the record's summary line and its data part
	if c.tree {
		if typ == dnsTOPT {
			label = fmt.Sprintf("%s: type %s", name.text, dnsTypeShortName(typ))
		} else {
			label = fmt.Sprintf("%s: type %s, class %s", name.text, dnsTypeShortName(typ), dnsClassName(class))
		}
		if flush {
			label += ", cache flush"
		}
		rr = c.pushLabel(o, c.clampLen(o, total), label)
	}
	dnsRRHeader(c, m, off, name, typ, class, flush, mdns)
	if dlen == 0 {
		c.pop(rr)
		return total
	}
	d := off + name.used + 10 // rdata offset in m
	do := m.off + d
	switch typ {
	case dnsTA:
		switch class {
		case 1:
			a := c.u32(m, d)
			if !c.noCols {
				c.info = append(c.info, ' ')
				c.info = appendIPv4(c.info, a)
			}
			c.addU(fDNSA, do, 4, uint64(a))
			if c.tree {
				extra = fmt.Sprintf(", addr %s", appendIPv4(nil, a))
			}
		case 3:
			var raw2 [dnsMaxName]byte
			dn := c.dnsGetName(m, d, &raw2)
			ch := c.u16(m, d+dn.used)
			c.info = append(c.info, ' ')
			c.info = append(c.info, dn.text...)
			c.info = append(c.info, "/0"...)
			c.info = appendOctal(c.info, uint64(ch))
			if c.tree {
				extra = fmt.Sprintf(", domain/addr %s/0%o", dn.text, ch)
			}
		default:
			c.addB(fDNSData, do, c.clampLen(do, dlen))
		}
	case dnsTAAAA:
		a := c.bytes(m, d, 16)
		if !c.noCols {
			c.info = append(c.info, ' ')
			c.info = appendIPv6(c.info, a)
		}
		c.add(fDNSAAAA, do, 16, Value{B: a})
		if c.tree {
			extra = fmt.Sprintf(", addr %s", appendIPv6(nil, a))
		}
	case dnsTNS, dnsTCNAME, dnsTPTR, dnsTDNAME, dnsTNSEC:
		var raw2 [dnsMaxName]byte
		dn := c.dnsGetName(m, d, &raw2)
		c.info = append(c.info, ' ')
		c.info = append(c.info, dn.text...)
		f, what := fDNSNS, ", ns "
		switch typ {
		case dnsTCNAME:
			f, what = fDNSCNAME, ", cname "
		case dnsTPTR:
			f, what = fDNSPTR, ", "
		case dnsTDNAME:
			f, what = fDNSDName, ", dname "
		case dnsTNSEC:
			f, what = fDNSNSECNext, ", next domain name "
		}
		c.add(f, do, dn.used, Value{B: dn.text})
		if c.tree {
			extra = what + string(dn.text)
		}
		if typ == dnsTNSEC {
			dnsTypeBitmap(c, m, d+dn.used, dlen-dn.used)
		}
	case dnsTSOA:
		var raw2 [dnsMaxName]byte
		mn := c.dnsGetName(m, d, &raw2)
		c.info = append(c.info, ' ')
		c.info = append(c.info, mn.text...)
		c.add(fDNSSOAMName, do, mn.used, Value{B: mn.text})
		if c.tree {
			extra = ", mname " + string(mn.text)
		}
		p := d + mn.used
		rn := c.dnsGetName(m, p, &raw2)
		c.add(fDNSSOARName, m.off+p, rn.used, Value{B: rn.text})
		p += rn.used
		c.addU(fDNSSOASer, m.off+p, 4, uint64(c.u32(m, p)))
		for _, f := range []*Field{fDNSSOARef, fDNSSOARetry, fDNSSOAExp, fDNSSOAMin} {
			p += 4
			v := c.u32(m, p)
			i := c.addU(f, m.off+p, 4, uint64(v))
			if c.tree {
				c.labelf(i, "%s: %d (%s)", f.Name, v, dnsSecs(v))
			}
		}
	case dnsTMX, dnsTKX:
		pref := c.u16(m, d)
		var raw2 [dnsMaxName]byte
		mx := c.dnsGetName(m, d+2, &raw2)
		c.info = append(c.info, ' ')
		c.info = appendUint(c.info, uint64(pref))
		c.info = append(c.info, ' ')
		c.info = append(c.info, mx.text...)
		c.addU(fDNSMXPref, do, 2, uint64(pref))
		c.add(fDNSMXName, do+2, mx.used, Value{B: mx.text})
		if c.tree {
			kind := "mx"
			if typ == dnsTKX {
				kind = "kx"
			}
			extra = fmt.Sprintf(", preference %d, %s %s", pref, kind, mx.text)
		}
	case dnsTHINFO:
		cpuLen := int(c.u8(m, d))
		cpu := c.formatText(c.bytes(m, d+1, cpuLen))
		osLen := int(c.u8(m, d+1+cpuLen))
		os := c.formatText(c.bytes(m, d+2+cpuLen, osLen))
		c.info = append(c.info, ' ')
		c.info = append(c.info, cpu...)
		c.info = append(c.info, ' ')
		c.info = append(c.info, os...)
		c.add(fDNSHInfoCPU, do+1, cpuLen, Value{B: cpu})
		c.add(fDNSHInfoOS, do+2+cpuLen, osLen, Value{B: os})
		if c.tree {
			extra = fmt.Sprintf(", CPU %s, OS %s", cpu, os)
		}
	case dnsTTXT, dnsTSPF:
		p, rest := d, dlen
		for rest > 0 {
			n := int(c.u8(m, p))
			c.addU(fDNSTXTLen, m.off+p, 1, uint64(n))
			p++
			rest--
			if c.wants(fDNSTXT) {
				end := min(m.off+p+n, m.end)
				c.add(fDNSTXT, m.off+p, c.clampLen(m.off+p, n), Value{B: c.formatText(c.data[min(m.off+p, end):end])})
			}
			p += n
			rest -= n
		}
	case dnsTSRV:
		prio, wt, port := c.u16(m, d), c.u16(m, d+2), c.u16(m, d+4)
		var raw2 [dnsMaxName]byte
		tg := c.dnsGetName(m, d+6, &raw2)
		c.addU(fDNSSrvPrio, do, 2, uint64(prio))
		c.addU(fDNSSrvWt, do+2, 2, uint64(wt))
		c.addU(fDNSSrvPort, do+4, 2, uint64(port))
		c.add(fDNSSrvTgt, do+6, tg.used, Value{B: tg.text})
		c.info = append(c.info, ' ')
		c.info = appendUint(c.info, uint64(prio))
		c.info = append(c.info, ' ')
		c.info = appendUint(c.info, uint64(wt))
		c.info = append(c.info, ' ')
		c.info = appendUint(c.info, uint64(port))
		c.info = append(c.info, ' ')
		c.info = append(c.info, tg.text...)
		if c.tree {
			extra = fmt.Sprintf(", priority %d, weight %d, port %d, target %s", prio, wt, port, tg.text)
		}
	case dnsTOPT:
		p, rest := d, dlen
		for rest > 0 {
			code := c.u16(m, p)
			olen := int(c.u16(m, p+2))
			oi := -1
			if c.tree {
				oi = c.pushLabel(m.off+p, c.clampLen(m.off+p, 4+olen), "Option: "+dnsOptName(code))
			}
			c.addU(fDNSOptCode, m.off+p, 2, uint64(code))
			c.addU(fDNSOptLen, m.off+p+2, 2, uint64(olen))
			c.addB(fDNSOptData, m.off+p+4, c.clampLen(m.off+p+4, olen))
			if oi >= 0 {
				c.pop(oi)
			}
			p += 4 + olen
			rest -= 4 + olen
		}
	case dnsTDNSKEY:
		fl := c.u16(m, d)
		fi := c.addU(fDNSKeyFlags, do, 2, uint64(fl))
		if c.tree {
			saved := c.parent
			c.parent = fi
			for _, f := range []*Field{fDNSKeyZone, fDNSKeyRevoked, fDNSKeySEP, fDNSKeyReserved} {
				c.addU(f, do, 2, uint64(fl)&f.Mask>>maskShift(f.Mask))
			}
			c.parent = saved
		}
		c.addU(fDNSKeyProto, do+2, 1, uint64(c.u8(m, d+2)))
		algo := c.u8(m, d+3)
		c.addU(fDNSKeyAlgo, do+3, 1, uint64(algo))
		if c.tree && dlen >= 4 && c.has(m, d, dlen) {
			id := dnsKeyID(c.data[do:do+dlen], algo)
			c.addGen(fDNSKeyID, Value{U: uint64(id)})
		}
		if dlen > 4 {
			c.addB(fDNSKeyPub, do+4, c.clampLen(do+4, dlen-4))
		}
	case dnsTRRSIG:
		c.addU(fDNSSigCovered, do, 2, uint64(c.u16(m, d)))
		c.addU(fDNSSigAlgo, do+2, 1, uint64(c.u8(m, d+2)))
		c.addU(fDNSSigLabels, do+3, 1, uint64(c.u8(m, d+3)))
		ttl := c.u32(m, d+4)
		ti := c.addU(fDNSSigOrigTTL, do+4, 4, uint64(ttl))
		if c.tree {
			c.labelf(ti, "Original TTL: %d (%s)", ttl, dnsSecs(ttl))
		}
		c.addU(fDNSSigExp, do+8, 4, uint64(c.u32(m, d+8))*1e9)
		c.addU(fDNSSigInc, do+12, 4, uint64(c.u32(m, d+12))*1e9)
		c.addU(fDNSSigKeyTag, do+16, 2, uint64(c.u16(m, d+16)))
		var raw2 [dnsMaxName]byte
		sn := c.dnsGetName(m, d+18, &raw2)
		c.add(fDNSSigSigner, do+18, sn.used, Value{B: sn.text})
		if rest := dlen - 18 - sn.used; rest > 0 {
			c.addB(fDNSSigSig, do+18+sn.used, c.clampLen(do+18+sn.used, rest))
		}
	case dnsTDS, 59, 32769:
		c.addU(fDNSDSKeyID, do, 2, uint64(c.u16(m, d)))
		c.addU(fDNSDSAlgo, do+2, 1, uint64(c.u8(m, d+2)))
		c.addU(fDNSDSDigType, do+3, 1, uint64(c.u8(m, d+3)))
		if dlen > 4 {
			c.addB(fDNSDSDigest, do+4, c.clampLen(do+4, dlen-4))
		}
	default:
		if dnsOwnerInInfo[typ] {
			c.info = append(c.info, ' ')
			c.info = append(c.info, name.text...)
		}
		c.addB(fDNSData, do, c.clampLen(do, dlen))
	}
	if rr >= 0 {
		c.label(rr, label+extra)
		c.pop(rr)
	}
	return total
}

// dnsRRHeader adds the fixed part of a resource record to the tree.
func dnsRRHeader(c *Ctx, m tvb, off int, name dnsName, typ, class uint16, flush, mdns bool) {
	o := m.off + off
	p := o + name.used
	if typ == dnsTSRV && len(name.text) > 0 && (c.tree || c.want != nil) {
		parts := strings.SplitN(string(name.text), ".", 4)
		str := func(f *Field, s string) { c.add(f, o, name.used, Value{B: []byte(s)}) }
		if len(parts) >= 3 && strings.HasPrefix(parts[2], "_") {
			str(fDNSSrvInst, parts[0])
			str(fDNSSrvSvc, parts[1])
			str(fDNSSrvProto, parts[2])
			if len(parts) > 3 {
				str(fDNSSrvName, parts[3])
			}
		} else {
			str(fDNSSrvSvc, parts[0])
			if len(parts) > 1 {
				str(fDNSSrvProto, parts[1])
				if len(parts) > 2 {
					str(fDNSSrvName, strings.Join(parts[2:], "."))
				}
			}
		}
	} else {
		c.add(fDNSRespName, o, name.used, Value{B: name.text})
	}
	c.addU(fDNSRespType, p, 2, uint64(typ))
	cl := c.u16(m, off+name.used+2)
	if typ == dnsTOPT {
		ui := c.addU(fDNSUDPPayload, p+2, 2, uint64(class))
		if mdns {
			if c.tree {
				c.labelf(ui, "%sUDP payload size: 0x%04x", appendBitPattern(nil, 0x7fff, uint64(class), 16), class)
			}
			dnsFlush(c, p+2, cl)
		}
		c.addU(fDNSExtRcode, p+4, 1, uint64(c.u8(m, off+name.used+4)))
		c.addU(fDNSEDNSVersion, p+5, 1, uint64(c.u8(m, off+name.used+5)))
		z := c.u16(m, off+name.used+6)
		zi := c.addU(fDNSRespZ, p+6, 2, uint64(z))
		if c.tree {
			saved := c.parent
			c.parent = zi
			c.addU(fDNSRespZDO, p+6, 2, uint64(z>>15))
			c.addU(fDNSRespZRes, p+6, 2, uint64(z&0x7fff))
			c.parent = saved
		}
	} else {
		ci := c.addU(fDNSRespClass, p+2, 2, uint64(class))
		if mdns {
			if c.tree {
				c.labelf(ci, "%sClass: %s (0x%04x)", appendBitPattern(nil, 0x7fff, uint64(class), 16), dnsClassName(class), class)
			}
			dnsFlush(c, p+2, cl)
		}
		ttl := c.u32(m, off+name.used+4)
		ti := c.addU(fDNSRespTTL, p+4, 4, uint64(ttl))
		if c.tree {
			c.labelf(ti, "Time to live: %d (%s)", ttl, dnsSecs(ttl))
		}
	}
	c.addU(fDNSRespLen, p+8, 2, uint64(c.u16(m, off+name.used+8)))
}

func dnsFlush(c *Ctx, off int, class uint16) {
	c.addU(fDNSCacheFlush, off, 2, uint64(class>>15))
}

func dnsOptName(code uint16) string {
	if s, ok := dnsOptNames[uint64(code)]; ok {
		return s
	}
	return fmt.Sprintf("Unknown (%d)", code)
}

// dnsTypeBitmap shows an NSEC type bitmap (RFC 4034 section 4.1.2).
func dnsTypeBitmap(c *Ctx, m tvb, p, n int) {
	for n > 0 {
		block := int(c.u8(m, p))
		size := int(c.u8(m, p+1))
		p += 2
		n -= 2
		base := block * 256
		for ; size > 0; size-- {
			bits := c.u8(m, p)
			for i := 0; i < 8; i++ {
				if bits&(0x80>>i) != 0 {
					t := uint64(base + i)
					bi := c.addU(fDNSBitmap, m.off+p, 1, t)
					if c.tree {
						d, ok := dnsTypeDesc[t]
						if !ok {
							d = fmt.Sprintf("Unknown (%d)", t)
						}
						c.labelf(bi, "RR type in bit map: %s", d)
					}
				}
			}
			base += 8
			p++
			n--
		}
	}
}

// dnsKeyID computes a DNSKEY's key tag (RFC 4034 appendix B).
func dnsKeyID(rdata []byte, algo uint8) uint16 {
	if algo == 1 {
		n := len(rdata)
		return uint16(rdata[n-3])<<8 | uint16(rdata[n-2])
	}
	var ac uint32
	for i, b := range rdata {
		if i&1 == 0 {
			ac += uint32(b) << 8
		} else {
			ac += uint32(b)
		}
	}
	ac += ac >> 16 & 0xffff
	return uint16(ac)
}

// clampLen limits an item of n bytes at frame offset off to the captured
// frame, so that a record claiming more data than arrived still gets a tree
// node inside the packet.
func (c *Ctx) clampLen(off, n int) int {
	return max(0, min(n, len(c.data)-off))
}

// appendOctal appends u in octal.
func appendOctal(dst []byte, u uint64) []byte {
	var buf [22]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u&7)
		u >>= 3
		if u == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}
