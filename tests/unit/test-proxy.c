/* proxy_parse against HAProxy's doc/proxy-protocol.txt, case by case:
 * each header fed at once, then the way conn_read_proxy reads a pipe
 * (only the bytes the parser asks for), and again with a request behind
 * it that must not be counted; each at the very end of a page so that
 * reading one byte too far faults. Then --proxy-from's networks. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bounds.h"
#include "guard.h"
#include "proxy.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1
#define SIG "\r\n\r\n\0\r\nQUIT\n"
/* 192.0.2.1:12345 -> 198.51.100.2:443 */
#define INET4 "\xc0\x00\x02\x01\xc6\x33\x64\x02\x30\x39\x01\xbb"
/* 2001:db8::1:12345 -> 2001:db8::2:443 */
#define INET6 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01" \
	"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02\x30\x39\x01\xbb"
/* PP2_TYPE_SSL: client SSL, verified, TLSv1.3, a cipher: 43 bytes. */
#define SSL_TLV "\x20\x00\x28\x01\0\0\0\0\x21\x00\x07TLSv1.3" \
	"\x23\x00\x16TLS_AES_128_GCM_SHA256"

enum { MORE = -1, BAD = -2 };

static const struct {
	const char *input;
	size_t len;
	int consumed;          /* the header's length, MORE, or BAD */
	const char *src;       /* NULL: the socket's own peer is kept */
	const char *sport, *dst, *dport;
	const char *ssl_version, *ssl_cipher; /* NULL: not TLS */
	const char *name;
} cases[] = {
	/* v1, friendly. */
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 12345 443\r\n"), 45,
	  "192.0.2.1", "12345", "198.51.100.2", "443", NULL, NULL, "v1 TCP4" },
	{ S("PROXY TCP6 2001:db8::1 2001:db8::2 12345 443\r\n"), 46,
	  "2001:db8::1", "12345", "2001:db8::2", "443", NULL, NULL, "v1 TCP6" },
	{ S("PROXY TCP6 2001:DB8:0::1 ::1 0 65535\r\n"), 38,
	  "2001:db8::1", "0", "::1", "65535", NULL, NULL,
	  "v1 TCP6 written long, made canonical; ports 0 and 65535" },
	{ S("PROXY UNKNOWN\r\n"), 15, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v1 UNKNOWN" },
	{ S("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"), 59,
	  NULL, NULL, NULL, NULL, NULL, NULL, "v1 UNKNOWN, the rest ignored" },
	{ S("PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n"), 104,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "65535",
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "65535", NULL, NULL,
	  "v1 the longest TCP6 line" },

	/* v1, not done yet. */
	{ S("P"), MORE, NULL, NULL, NULL, NULL, NULL, NULL, "v1 one byte" },
	{ S("PROXY"), MORE, NULL, NULL, NULL, NULL, NULL, NULL, "v1 the word" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 12345 443\r"), MORE, NULL, NULL,
	  NULL, NULL, NULL, NULL, "v1 cut before LF" },

	/* v1, hostile. */
	{ S("GET / HTTP/1.0\r\n\r\n"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "a plain request" },
	{ S("PROXI TCP4"), BAD, NULL, NULL, NULL, NULL, NULL, NULL, "PROXI" },
	{ S("proxy TCP4 192.0.2.1 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "lower-case proxy" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "bare LF" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2\r\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "CR CR LF" },
	{ S("PROXY TCP4  192.0.2.1 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "two spaces" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2 \r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "trailing space" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "five fields" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 2 3\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "seven fields" },
	{ S("PROXY TCP5 192.0.2.1 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "TCP5" },
	{ S("PROXY UDP4 192.0.2.1 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "UDP4" },
	{ S("PROXY UNKNOWNX\r\n"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "UNKNOWNX" },
	{ S("PROXY \r\n"), BAD, NULL, NULL, NULL, NULL, NULL, NULL, "no protocol" },
	{ S("PROXY TCP4 2001:db8::1 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "TCP4 with an IPv6 address" },
	{ S("PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "TCP6 with an IPv4 address" },
	{ S("PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "octet 256" },
	{ S("PROXY TCP4 192.0.2 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "three octets" },
	{ S("PROXY TCP4 192.0.2.01 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "octet with a leading zero" },
	{ S("PROXY TCP4 192.0.2.1\0 198.51.100.2 1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "NUL after an address" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n"), BAD, NULL, NULL,
	  NULL, NULL, NULL, NULL, "port 65536" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 01 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "port with a leading zero" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 +1 2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "port with a sign" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 0x2\r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "port in hex" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 100000\r\n"), BAD, NULL, NULL,
	  NULL, NULL, NULL, NULL, "port of six digits" },
	{ S("PROXY TCP4 192.0.2.1 198.51.100.2 1 \r\n"), BAD, NULL, NULL, NULL,
	  NULL, NULL, NULL, "empty port" },
	{ S("PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"), BAD, NULL, NULL,
	  NULL, NULL, NULL, NULL, "v1 of 108 bytes" },
	{ S("PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), BAD, NULL, NULL,
	  NULL, NULL, NULL, NULL, "v1 of 120 bytes without a line end" },

	/* v2, friendly. */
	{ S(SIG "\x21\x11\x00\x0c" INET4), 28, "192.0.2.1", "12345",
	  "198.51.100.2", "443", NULL, NULL, "v2 PROXY TCP4" },
	{ S(SIG "\x21\x21\x00\x24" INET6), 52, "2001:db8::1", "12345",
	  "2001:db8::2", "443", NULL, NULL, "v2 PROXY TCP6" },
	{ S(SIG "\x20\x00\x00\x00"), 16, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 LOCAL (a health check)" },
	{ S(SIG "\x20\x11\x00\x0c" INET4), 28, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 LOCAL with addresses: ignored" },
	{ S(SIG "\x20\x00\x00\x03\x20\x00\x00"), 19, NULL, NULL, NULL, NULL, NULL,
	  NULL, "v2 LOCAL: its TLVs are not looked at" },
	{ S(SIG "\x21\x00\x00\x00"), 16, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 PROXY UNSPEC" },
	{ S(SIG "\x21\x12\x00\x0c" INET4), 28, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 PROXY UDP4: not ours, socket kept" },
	{ S(SIG "\x21\x11\x00\x37" INET4 SSL_TLV), 71, "192.0.2.1", "12345",
	  "198.51.100.2", "443", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
	  "v2 with SSL TLV" },
	{ S(SIG "\x21\x11\x00\x37" INET4 "\x20\x00\x28\x00\0\0\0\0\x21\x00\x07"
	    "TLSv1.3\x23\x00\x16TLS_AES_128_GCM_SHA256"), 71, "192.0.2.1",
	  "12345", "198.51.100.2", "443", NULL, NULL,
	  "v2 SSL TLV without the client bit: not TLS" },
	{ S(SIG "\x21\x11\x00\x14" INET4 "\x20\x00\x05\x01\0\0\0\0"), 36,
	  "192.0.2.1", "12345", "198.51.100.2", "443", "", "",
	  "v2 SSL TLV without sub-TLVs" },
	{ S(SIG "\x21\x11\x00\x1f" INET4 "\x20\x00\x10\x01\0\0\0\0\x21\x00\x08"
	    "TLS\x01v1.3"), 47, "192.0.2.1", "12345", "198.51.100.2", "443", "",
	  "", "v2 SSL version with a control byte: dropped" },
	{ S(SIG "\x21\x11\x00\x23" INET4 "\x04\x00\x00\x05\x00\x03uid\x02\x00"
	    "\x0b" "example.org"), 51, "192.0.2.1", "12345", "198.51.100.2",
	  "443", NULL, NULL, "v2 NOOP, UNIQUE_ID, AUTHORITY skipped or kept" },
	{ S(SIG "\x21\x31\x00\xd8" "/run/a" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), 232, NULL, NULL, NULL, NULL,
	  NULL, NULL, "v2 PROXY UNIX stream: socket kept" },

	/* v2, not done yet. */
	{ S("\r\n\r\n\0"), MORE, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 part of the signature" },
	{ S(SIG "\x21\x11\x00"), MORE, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 cut in the fixed part" },
	{ S(SIG "\x21\x11\x00\x0c\xc0\x00\x02"), MORE, NULL, NULL, NULL, NULL,
	  NULL, NULL, "v2 cut in the addresses" },
	{ S(SIG "\x21\x11\x00\x40" INET4), MORE, NULL, NULL, NULL, NULL, NULL,
	  NULL, "v2 length longer than sent (lying, or still coming)" },

	/* v2, hostile. */
	{ S("\r\n\r\n\0\r\nQUIT\r"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 signature wrong in its last byte" },
	{ S("\r\nGET"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "CRLF then a request" },
	{ S(SIG "\x11\x11\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 signature, version 1" },
	{ S(SIG "\x31\x11\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 signature, version 3" },
	{ S(SIG "\x22\x11\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 command 2" },
	{ S(SIG "\x21\x41\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 family 4" },
	{ S(SIG "\x21\x13\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 transport 3" },
	{ S(SIG "\x21\x11\x00\x0b" "\xc0\x00\x02\x01\xc6\x33\x64\x02\x30\x39\x01"),
	  BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 TCP4 with 11 bytes (too short for its family)" },
	{ S(SIG "\x21\x21\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 TCP6 with an IPv4 block's length" },
	{ S(SIG "\x21\x31\x00\x0c" INET4), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 UNIX with 12 bytes" },
	{ S(SIG "\x21\x11\x0f\xf1"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 announcing 4097 bytes in all" },
	{ S(SIG "\x21\x11\xff\xff"), BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 announcing 65551 bytes in all" },
	{ S(SIG "\x21\x11\x00\x0e" INET4 "\x04\x00"), BAD, NULL, NULL, NULL, NULL,
	  NULL, NULL, "v2 TLV header cut" },
	{ S(SIG "\x21\x11\x00\x10" INET4 "\x04\x00\x05\x00"), BAD, NULL, NULL,
	  NULL, NULL, NULL, NULL, "v2 TLV longer than the header" },
	{ S(SIG "\x21\x11\x00\x13" INET4 "\x20\x00\x04\x01\0\0\0"), BAD, NULL,
	  NULL, NULL, NULL, NULL, NULL, "v2 SSL TLV of 4 bytes" },
	{ S(SIG "\x21\x11\x00\x17" INET4 "\x20\x00\x08\x01\0\0\0\0\x21\x00\x05"),
	  BAD, NULL, NULL, NULL, NULL, NULL, NULL,
	  "v2 SSL sub-TLV longer than the SSL TLV" },
	{ S(SIG "\x21\x11\x00\x16" INET4 "\x20\x00\x07\x01\0\0\0\0\x21\x00"), BAD,
	  NULL, NULL, NULL, NULL, NULL, NULL, "v2 SSL sub-TLV header cut" },
};

static bool same(const char *want, const char *got)
{
	return strcmp(want ? want : "", got) == 0;
}

/* The way conn_read_proxy reads a pipe: at first one byte, then only as
 * many as the parser asks for (or fewer, all there is). Returns the
 * verdict; *fed is what was read. */
static enum proxy_verdict feed_asked(const unsigned char *in, size_t len,
				     struct proxy_result *r, size_t *n,
				     size_t *fed, const char **why)
{
	size_t have = 1 <= len ? 1 : len;
	for (;;) {
		*fed = have;
		enum proxy_verdict v = proxy_parse(in, have, r, n, why);
		if (v != PROXY_NEED_MORE || have == len)
			return v;
		have = *n > len - have ? len : have + *n;
	}
}

static void check_case(size_t i)
{
	const char *name = cases[i].name;
	size_t len = cases[i].len;
	struct guarded g;
	const unsigned char *in = (const unsigned char *)guard_copy(&g, cases[i].input, len);
	struct proxy_result r;
	size_t n = 0;
	const char *why = NULL;
	int sig;
	armed = 1;
	if ((sig = sigsetjmp(fault_env, 1)) != 0) {
		tap_ok(0, "%s: fault %d (read past the input)", name, sig);
		guard_free(&g);
		return;
	}
	enum proxy_verdict v = proxy_parse(in, len, &r, &n, &why);
	int want = cases[i].consumed;
	bool ok = want == MORE ? v == PROXY_NEED_MORE :
		want == BAD ? v == PROXY_INVALID && why != NULL :
		v == PROXY_DONE && n == (size_t)want;
	if (ok && want >= 0) {
		bool tls = cases[i].ssl_version != NULL;
		ok = r.addresses == (cases[i].src != NULL) && r.tls == tls;
		if (ok && r.addresses)
			ok = same(cases[i].src, r.src_addr) &&
				same(cases[i].sport, r.src_port) &&
				same(cases[i].dst, r.dst_addr) &&
				same(cases[i].dport, r.dst_port);
		if (ok && tls)
			ok = same(cases[i].ssl_version, r.ssl_version) &&
				same(cases[i].ssl_cipher, r.ssl_cipher);
	}
	/* Fed as a pipe is read: the same verdict, never a byte past it. */
	struct proxy_result r2;
	size_t n2 = 0, fed;
	enum proxy_verdict v2 = feed_asked(in, len, &r2, &n2, &fed, &why);
	bool ok2 = v2 == v && (v != PROXY_DONE || n2 == n);
	armed = 0;
	guard_free(&g);
	if (!tap_ok(ok && ok2, "%s", name))
		printf("# verdict %d n %zu src '%s' '%s' dst '%s' '%s' tls %d '%s' '%s' "
		       "(pipe-wise %d n %zu) why %s\n", (int)v, n, r.src_addr,
		       r.src_port, r.dst_addr, r.dst_port, r.tls, r.ssl_version,
		       r.ssl_cipher, (int)v2, n2, why ? why : "-");
}

/* A request right behind the header: counted out, verdict the same. */
static void check_with_request(size_t i)
{
	if (cases[i].consumed < 0)
		return;
	static const char request[] = "POST /cgi-bin/x HTTP/1.1\r\n\r\nbody";
	unsigned char buf[PROXY_V2_MAX + sizeof request];
	size_t len = cases[i].len;
	memcpy(buf, cases[i].input, len);
	memcpy(buf + len, request, sizeof request - 1);
	struct proxy_result r;
	size_t n = 0;
	const char *why = NULL;
	enum proxy_verdict v = proxy_parse(buf, len + sizeof request - 1, &r, &n, &why);
	size_t n2 = 0, fed = 0;
	enum proxy_verdict v2 = feed_asked(buf, len + sizeof request - 1, &r, &n2,
					   &fed, &why);
	tap_ok(v == PROXY_DONE && n == (size_t)cases[i].consumed &&
	       v2 == PROXY_DONE && n2 == n && fed == n,
	       "%s, a request behind it: %zu bytes header, %zu read pipe-wise",
	       cases[i].name, n, fed);
}

static const struct {
	const char *text;
	bool valid;
} nets[] = {
	{ "127.0.0.1", true }, { "10.0.0.0/8", true }, { "0.0.0.0/0", true },
	{ "2001:db8::/32", true }, { "::1", true }, { "::/0", true },
	{ "192.0.2.1/32", true }, { "2001:db8::1/128", true },
	{ "", false }, { "/8", false }, { "10.0.0.0/", false },
	{ "10.0.0.0/33", false }, { "2001:db8::/129", false },
	{ "10.0.0.1/8", false }, { "10.0.0.0/08", false }, { "10.0.0.0/8x", false },
	{ "10.0.0.0/-8", false }, { "10.0.0.0/ 8", false }, { "10.0.0", false },
	{ "example.org", false }, { "10.0.0.0/8/8", false },
	{ "[::1]", false }, { "2001:db8::1/64", false },
};

static const struct {
	const char *list[3];
	const char *addr;
	bool inside;
} matches[] = {
	{ { "127.0.0.1" }, "127.0.0.1", true },
	{ { "127.0.0.1" }, "127.0.0.2", false },
	{ { "10.0.0.0/8" }, "10.255.1.2", true },
	{ { "10.0.0.0/8" }, "11.0.0.1", false },
	{ { "192.168.4.0/22" }, "192.168.7.255", true },
	{ { "192.168.4.0/22" }, "192.168.8.0", false },
	{ { "127.0.0.1" }, "::ffff:127.0.0.1", true },
	{ { "::1" }, "::1", true },
	{ { "::1" }, "127.0.0.1", false },
	{ { "2001:db8::/32" }, "2001:db8:ffff::1", true },
	{ { "2001:db8::/33" }, "2001:db8:8000::1", false },
	{ { "10.0.0.0/8", "::1" }, "::1", true },
	{ { "0.0.0.0/0" }, "203.0.113.9", true },
	{ { "0.0.0.0/0" }, "::2", false },
	{ { "127.0.0.1" }, "", false },
	{ { "127.0.0.1" }, "garbage", false },
};

int main(void)
{
	catch_faults();
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_case(i);
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_with_request(i);
	for (size_t i = 0; i < sizeof nets / sizeof *nets; i++) {
		struct proxy_net net;
		tap_ok((proxy_net_parse(nets[i].text, &net) == 0) == nets[i].valid,
		       "--proxy-from '%s' %s", nets[i].text,
		       nets[i].valid ? "taken" : "refused");
	}
	for (size_t i = 0; i < sizeof matches / sizeof *matches; i++) {
		struct proxy_net list[3];
		size_t n = 0;
		for (; n < 3 && matches[i].list[n]; n++)
			proxy_net_parse(matches[i].list[n], &list[n]);
		tap_ok(proxy_net_match(list, n, matches[i].addr) == matches[i].inside,
		       "%s %s %s", matches[i].addr,
		       matches[i].inside ? "inside" : "outside", matches[i].list[0]);
	}
	return tap_done();
}
