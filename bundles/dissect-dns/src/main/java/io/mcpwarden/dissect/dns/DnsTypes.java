package io.mcpwarden.dissect.dns;

/** Mnemonics for RR types (IANA "Resource Record (RR) TYPEs") and RCODEs (RFC 1035 §4.1.1). */
final class DnsTypes {
    static final int A = 1;
    static final int NS = 2;
    static final int CNAME = 5;
    static final int SOA = 6;
    static final int PTR = 12;
    static final int MX = 15;
    static final int TXT = 16;
    static final int AAAA = 28;
    static final int SRV = 33;
    static final int SVCB = 64;
    static final int HTTPS = 65;

    private DnsTypes() {
    }

    /** @return the mnemonic, or {@code TYPEnnn} (RFC 3597 §5) for types without one here */
    static String typeName(int type) {
        switch (type) {
            case 1: return "A";
            case 2: return "NS";
            case 5: return "CNAME";
            case 6: return "SOA";
            case 10: return "NULL";
            case 12: return "PTR";
            case 13: return "HINFO";
            case 15: return "MX";
            case 16: return "TXT";
            case 17: return "RP";
            case 18: return "AFSDB";
            case 24: return "SIG";
            case 25: return "KEY";
            case 28: return "AAAA";
            case 29: return "LOC";
            case 33: return "SRV";
            case 35: return "NAPTR";
            case 36: return "KX";
            case 37: return "CERT";
            case 39: return "DNAME";
            case 41: return "OPT";
            case 42: return "APL";
            case 43: return "DS";
            case 44: return "SSHFP";
            case 45: return "IPSECKEY";
            case 46: return "RRSIG";
            case 47: return "NSEC";
            case 48: return "DNSKEY";
            case 49: return "DHCID";
            case 50: return "NSEC3";
            case 51: return "NSEC3PARAM";
            case 52: return "TLSA";
            case 53: return "SMIMEA";
            case 55: return "HIP";
            case 59: return "CDS";
            case 60: return "CDNSKEY";
            case 61: return "OPENPGPKEY";
            case 62: return "CSYNC";
            case 63: return "ZONEMD";
            case 64: return "SVCB";
            case 65: return "HTTPS";
            case 99: return "SPF";
            case 108: return "EUI48";
            case 109: return "EUI64";
            case 249: return "TKEY";
            case 250: return "TSIG";
            case 251: return "IXFR";
            case 252: return "AXFR";
            case 253: return "MAILB";
            case 254: return "MAILA";
            case 255: return "ANY";
            case 256: return "URI";
            case 257: return "CAA";
            default: return "TYPE" + type;
        }
    }

    /** @return NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED (RFC 1035 §4.1.1), else {@code RCODEn} */
    static String rcodeName(int rcode) {
        switch (rcode) {
            case 0: return "NOERROR";
            case 1: return "FORMERR";
            case 2: return "SERVFAIL";
            case 3: return "NXDOMAIN";
            case 4: return "NOTIMP";
            case 5: return "REFUSED";
            default: return "RCODE" + rcode;
        }
    }
}
