/* Fuzzes the PROXY protocol parser: a header that is DONE is DONE on its
 * own bytes too, with the same result (nothing past it was looked at);
 * fed as conn_read_proxy reads a pipe, only the bytes asked for, the
 * verdict is the same and never a byte past the header is read; what
 * goes to the environment is clean text; and --proxy-from's parser and
 * matcher take any text. */
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "bounds.h"
#include "fuzz.h"
#include "proxy.h"

static void check_text(const char *s, size_t cap, bool strict)
{
	size_t n = strnlen(s, cap);
	CHECK(n < cap, "unterminated");
	for (size_t i = 0; strict && i < n; i++)
		CHECK(s[i] > 0x20 && s[i] < 0x7f, "byte 0x%02x", (unsigned char)s[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_copy(data, size);
	const unsigned char *u = (const unsigned char *)in;
	struct proxy_result r, r2;
	size_t n = 0, n2 = 0;
	const char *why = NULL;
	enum proxy_verdict v = proxy_parse(u, size, &r, &n, &why);
	CHECK(v == PROXY_NEED_MORE || v == PROXY_INVALID || v == PROXY_DONE,
	      "verdict %d", (int)v);
	if (v == PROXY_INVALID)
		CHECK(why != NULL, "refused without a reason");
	if (v == PROXY_NEED_MORE)
		CHECK(n >= 1 && size + n <= PROXY_V2_MAX, "asks for %zu more", n);
	if (v == PROXY_DONE) {
		CHECK(n >= 1 && n <= size && n <= PROXY_V2_MAX, "%zu of %zu", n, size);
		CHECK(proxy_parse(u, n, &r2, &n2, &why) == PROXY_DONE && n2 == n,
		      "not done on its own %zu bytes", n);
		CHECK(memcmp(&r, &r2, sizeof r) == 0, "another result on its own bytes");
		check_text(r.src_addr, sizeof r.src_addr, true);
		check_text(r.dst_addr, sizeof r.dst_addr, true);
		check_text(r.src_port, sizeof r.src_port, true);
		check_text(r.dst_port, sizeof r.dst_port, true);
		check_text(r.ssl_version, sizeof r.ssl_version, true);
		check_text(r.ssl_cipher, sizeof r.ssl_cipher, true);
		check_text(r.authority, sizeof r.authority, true);
		CHECK(r.addresses == (r.src_addr[0] != '\0'), "addresses flag");
	}
	/* Pipe-wise: one byte, then what the parser asks for. */
	size_t have = size ? 1 : 0;
	enum proxy_verdict w = PROXY_NEED_MORE;
	while (have <= size) {
		w = proxy_parse(u, have, &r2, &n2, &why);
		if (w != PROXY_NEED_MORE || have == size)
			break;
		have = n2 > size - have ? size : have + n2;
	}
	CHECK(w == v, "verdict %d at once, %d pipe-wise", (int)v, (int)w);
	if (v == PROXY_DONE)
		CHECK(have == n && n2 == n, "read %zu for a header of %zu", have, n);
	free(in);

	/* The same bytes as a --proxy-from argument, and as a peer. */
	char *text = fuzz_string(data, size);
	struct proxy_net net;
	if (proxy_net_parse(text, &net) == 0) {
		CHECK(net.prefix <= (net.family == AF_INET ? 32u : 128u),
		      "prefix %u", net.prefix);
		/* The text's own address is inside its network. */
		const char *slash = strchr(text, '/');
		char addr[PROXY_ADDR_MAX];
		size_t alen = slash ? (size_t)(slash - text) : strlen(text);
		CHECK(alen < sizeof addr, "address of %zu bytes taken", alen);
		memcpy(addr, text, alen);
		addr[alen] = '\0';
		CHECK(proxy_net_match(&net, 1, addr), "'%s' outside its own network",
		      text);
	}
	proxy_net_match(&net, 0, text);
	free(text);
	return 0;
}
