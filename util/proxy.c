#include "proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "bounds.h"
#include "text.h"

static const unsigned char v2_signature[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};
static const char v1_prefix[] = "PROXY ";

/* The TLV types and SSL sub-types we read; the rest are skipped. */
enum {
	PP2_TYPE_AUTHORITY = 0x02,
	PP2_TYPE_SSL = 0x20,
	PP2_SUBTYPE_SSL_VERSION = 0x21,
	PP2_SUBTYPE_SSL_CIPHER = 0x23,
	PP2_CLIENT_SSL = 0x01,
};

/* A value for the script's environment: printable ASCII without spaces,
 * shorter than cap, else nothing at all (a front end that sends odd bytes
 * tells the script nothing rather than something garbled). */
static void copy_clean(char *dst, size_t cap, const unsigned char *src,
		       size_t len)
{
	dst[0] = '\0';
	if (len == 0 || len >= cap)
		return;
	for (size_t i = 0; i < len; i++)
		if (src[i] <= 0x20 || src[i] >= 0x7f)
			return;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* A decimal port: "0", or 1-5 digits without a leading zero, <= 65535. */
static bool v1_port(const char *s, size_t len, char out[PROXY_PORT_MAX])
{
	if (len == 0 || len > 5 || (len > 1 && s[0] == '0'))
		return false;
	unsigned long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

/* An address of the family, as inet_pton takes it, re-formatted by
 * inet_ntop so that what the script sees is canonical. */
static bool v1_address(int family, const char *s, size_t len,
		       char out[PROXY_ADDR_MAX])
{
	char text[PROXY_ADDR_MAX];
	unsigned char bin[16];
	if (len == 0 || len >= sizeof text || memchr(s, '\0', len) != NULL)
		return false;
	memcpy(text, s, len);
	text[len] = '\0';
	return inet_pton(family, text, bin) == 1 &&
		inet_ntop(family, bin, out, PROXY_ADDR_MAX) != NULL;
}

/* "PROXY TCP4 SRC DST SPORT DPORT\r\n": single spaces, nothing else. */
static enum proxy_verdict parse_v1(const unsigned char *buf, size_t len,
				   struct proxy_result *r, size_t *n,
				   const char **why)
{
	const char *s = (const char *)buf;
	size_t end = 0;
	while (end < len && end < PROXY_V1_MAX && buf[end] != '\n')
		end++;
	if (end == len && len < PROXY_V1_MAX) {
		*n = 1; /* the line's end may be the next byte */
		return PROXY_NEED_MORE;
	}
	if (end >= PROXY_V1_MAX) {
		*why = "PROXY v1 header too long";
		return PROXY_INVALID;
	}
	if (end == 0 || buf[end - 1] != '\r') {
		*why = "PROXY v1 header without CRLF";
		return PROXY_INVALID;
	}
	*n = end + 1;
	r->version = 1;
	/* Fields between single spaces, up to the CR. */
	const char *field[6];
	size_t flen[6], nf = 0, line = end - 1;
	for (size_t i = 0, start = 0; i <= line; i++) {
		if (i < line && s[i] != ' ')
			continue;
		if (nf == 6) {
			nf = 7;
			break;
		}
		field[nf] = s + start;
		flen[nf++] = i - start;
		start = i + 1;
	}
	if (nf >= 2 && flen[1] == 7 && memcmp(field[1], "UNKNOWN", 7) == 0) {
		/* The spec: whatever follows UNKNOWN is ignored. */
		r->addresses = false;
		return PROXY_DONE;
	}
	int family;
	if (nf >= 2 && flen[1] == 4 && memcmp(field[1], "TCP4", 4) == 0) {
		family = AF_INET;
	} else if (nf >= 2 && flen[1] == 4 && memcmp(field[1], "TCP6", 4) == 0) {
		family = AF_INET6;
	} else {
		*why = "PROXY v1 protocol not TCP4, TCP6 or UNKNOWN";
		return PROXY_INVALID;
	}
	if (nf != 6) {
		*why = "PROXY v1 header not six fields";
		return PROXY_INVALID;
	}
	if (!v1_address(family, field[2], flen[2], r->src_addr) ||
	    !v1_address(family, field[3], flen[3], r->dst_addr)) {
		*why = "PROXY v1 address invalid for its family";
		return PROXY_INVALID;
	}
	if (!v1_port(field[4], flen[4], r->src_port) ||
	    !v1_port(field[5], flen[5], r->dst_port)) {
		*why = "PROXY v1 port invalid";
		return PROXY_INVALID;
	}
	r->addresses = true;
	return PROXY_DONE;
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* PP2_TYPE_SSL: client bits, a 32-bit verify result, sub-TLVs. */
static bool parse_ssl(const unsigned char *p, size_t len, struct proxy_result *r)
{
	if (len < 5)
		return false;
	bool client_tls = (p[0] & PP2_CLIENT_SSL) != 0;
	for (size_t i = 5; i < len;) {
		if (len - i < 3 || be16(p + i + 1) > len - i - 3)
			return false;
		unsigned type = p[i], vlen = be16(p + i + 1);
		const unsigned char *v = p + i + 3;
		if (type == PP2_SUBTYPE_SSL_VERSION)
			copy_clean(r->ssl_version, sizeof r->ssl_version, v, vlen);
		else if (type == PP2_SUBTYPE_SSL_CIPHER)
			copy_clean(r->ssl_cipher, sizeof r->ssl_cipher, v, vlen);
		i += 3 + vlen;
	}
	r->tls = client_tls;
	if (!client_tls)
		r->ssl_version[0] = r->ssl_cipher[0] = '\0';
	return true;
}

static bool parse_tlvs(const unsigned char *p, size_t len,
		       struct proxy_result *r)
{
	for (size_t i = 0; i < len;) {
		if (len - i < 3 || be16(p + i + 1) > len - i - 3)
			return false;
		unsigned type = p[i], vlen = be16(p + i + 1);
		const unsigned char *v = p + i + 3;
		if (type == PP2_TYPE_SSL && !parse_ssl(v, vlen, r))
			return false;
		if (type == PP2_TYPE_AUTHORITY)
			copy_clean(r->authority, sizeof r->authority, v, vlen);
		i += 3 + vlen;
	}
	return true;
}

static void v2_port(const unsigned char *p, char out[PROXY_PORT_MAX])
{
	char digits[TEXT_DECIMAL_MAX];
	text_decimal(digits, be16(p));
	text_copy(out, PROXY_PORT_MAX, digits);
}

static enum proxy_verdict parse_v2(const unsigned char *buf, size_t len,
				   struct proxy_result *r, size_t *n,
				   const char **why)
{
	if (len < PROXY_V2_FIXED) {
		*n = PROXY_V2_FIXED - len;
		return PROXY_NEED_MORE;
	}
	unsigned version = buf[12] >> 4, command = buf[12] & 0x0f;
	unsigned family = buf[13] >> 4, transport = buf[13] & 0x0f;
	size_t body = be16(buf + 14), total = PROXY_V2_FIXED + body;
	if (version != 2) {
		*why = "PROXY v2 header of another version";
		return PROXY_INVALID;
	}
	if (command > 1) {
		*why = "PROXY v2 command neither LOCAL nor PROXY";
		return PROXY_INVALID;
	}
	/* The spec: other values must be rejected as invalid. */
	if (family > 3 || transport > 2) {
		*why = "PROXY v2 unknown address family";
		return PROXY_INVALID;
	}
	if (total > PROXY_V2_MAX) {
		*why = "PROXY v2 header too large";
		return PROXY_INVALID;
	}
	if (len < total) {
		*n = total - len;
		return PROXY_NEED_MORE;
	}
	*n = total;
	r->version = 2;
	r->addresses = false;
	const unsigned char *p = buf + PROXY_V2_FIXED;
	/* LOCAL: the front end's own connection (a health check); the
	 * socket's endpoints are the truth, and the block is skipped. */
	if (command == 0)
		return PROXY_DONE;
	static const size_t block[] = { 0, 12, 36, 216 }; /* by family */
	if (body < block[family]) {
		*why = "PROXY v2 length too short for its address family";
		return PROXY_INVALID;
	}
	if (family == 0)
		return PROXY_DONE; /* UNSPEC: the spec says ignore the rest */
	if (!parse_tlvs(p + block[family], body - block[family], r)) {
		*why = "PROXY v2 TLV overruns the header";
		return PROXY_INVALID;
	}
	if (transport != 1 || family == 3)
		return PROXY_DONE; /* UNIX or DGRAM: not ours to report */
	int af = family == 1 ? AF_INET : AF_INET6;
	size_t alen = family == 1 ? 4 : 16;
	inet_ntop(af, p, r->src_addr, PROXY_ADDR_MAX);
	inet_ntop(af, p + alen, r->dst_addr, PROXY_ADDR_MAX);
	v2_port(p + 2 * alen, r->src_port);
	v2_port(p + 2 * alen + 2, r->dst_port);
	r->addresses = true;
	return PROXY_DONE;
}

enum proxy_verdict proxy_parse(const unsigned char *buf, size_t len,
			       struct proxy_result *r, size_t *n,
			       const char **why)
{
	memset(r, 0, sizeof *r);
	if (len == 0) {
		*n = 1;
		return PROXY_NEED_MORE;
	}
	/* Which version: the longest prefix of either that matches. */
	size_t v1 = sizeof v1_prefix - 1, v2 = sizeof v2_signature;
	size_t have1 = len < v1 ? len : v1, have2 = len < v2 ? len : v2;
	bool is_v1 = memcmp(buf, v1_prefix, have1) == 0;
	bool is_v2 = memcmp(buf, v2_signature, have2) == 0;
	if ((is_v1 && len < v1) || (is_v2 && len < v2)) {
		*n = is_v1 ? v1 - len : v2 - len;
		return PROXY_NEED_MORE;
	}
	if (is_v1)
		return parse_v1(buf, len, r, n, why);
	if (is_v2)
		return parse_v2(buf, len, r, n, why);
	*why = "no PROXY protocol header";
	return PROXY_INVALID;
}

int proxy_net_parse(const char *text, struct proxy_net *net)
{
	char addr[PROXY_ADDR_MAX];
	const char *slash = strchr(text, '/');
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	if (alen == 0 || alen >= sizeof addr)
		return -1;
	memcpy(addr, text, alen);
	addr[alen] = '\0';
	memset(net, 0, sizeof *net);
	if (inet_pton(AF_INET, addr, net->addr) == 1)
		net->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, net->addr) == 1)
		net->family = AF_INET6;
	else
		return -1;
	unsigned bits = net->family == AF_INET ? 32 : 128;
	net->prefix = bits;
	if (slash) {
		const char *d = slash + 1;
		size_t dl = strlen(d);
		if (dl == 0 || dl > 3 || (dl > 1 && d[0] == '0'))
			return -1;
		unsigned v = 0;
		for (size_t i = 0; i < dl; i++) {
			if (d[i] < '0' || d[i] > '9')
				return -1;
			v = v * 10 + (unsigned)(d[i] - '0');
		}
		if (v > bits)
			return -1;
		net->prefix = v;
	}
	/* Host bits set beyond the prefix are most likely a typo: refused. */
	for (unsigned b = net->prefix; b < bits; b++)
		if (net->addr[b / 8] & (0x80 >> (b % 8)))
			return -1;
	return 0;
}

static bool inside(const struct proxy_net *net, const unsigned char *a)
{
	unsigned whole = net->prefix / 8, rest = net->prefix % 8;
	if (memcmp(net->addr, a, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (net->addr[whole] & mask) == (a[whole] & mask);
}

bool proxy_net_match(const struct proxy_net *nets, size_t n, const char *addr)
{
	unsigned char a4[4];
	struct in6_addr in6;
	const unsigned char *a6 = in6.s6_addr;
	bool v4 = inet_pton(AF_INET, addr, a4) == 1;
	bool v6 = !v4 && inet_pton(AF_INET6, addr, &in6) == 1;
	if (v6 && IN6_IS_ADDR_V4MAPPED(&in6)) {
		memcpy(a4, a6 + 12, 4);
		v4 = true;
	}
	for (size_t i = 0; i < n; i++) {
		if (v4 && nets[i].family == AF_INET && inside(&nets[i], a4))
			return true;
		if (v6 && nets[i].family == AF_INET6 && inside(&nets[i], a6))
			return true;
	}
	return false;
}
