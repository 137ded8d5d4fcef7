/*
 * A CGI script for the end-to-end tests (tests/e2e/test_cgi.py): answers
 * with a JSON description of the process it finds itself in.  Every byte
 * string is hex-encoded, so nothing needs escaping:
 *
 *   {"lang": "c", "mode": "length" | "eof",
 *    "argv": [hex...], "environ": [hex "NAME=value"...],
 *    "fds": {"0": hex(readlink target), ...}   (the listing fd left out)
 *    "uid": n, "euid": n, "gid": n, "egid": n, "groups": [n...],
 *    "cwd": hex, "sigblk": "0000000000000000", "sigign": (as /proc shows),
 *    "stdin_len": n, "stdin_sha256": hex}
 *
 * stdin: CONTENT_LENGTH bytes ("length"), or everything up to EOF when the
 * program's name contains "eof".  Self-contained C17 (its own SHA-256).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* ---- SHA-256 (FIPS 180-4) */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t fill;
};

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(struct sha256 *s, const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
			((e & f) ^ (~e & g)) + K[i] + w[i];
		uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
			((a & b) ^ (a & c) ^ (b & c));
		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
	s->fill = 0;
}

static void sha256_update(struct sha256 *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n > 0) {
		size_t take = 64 - s->fill < n ? 64 - s->fill : n;
		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		n -= take;
		if (s->fill == 64) {
			sha256_block(s, s->buf);
			s->fill = 0;
		}
	}
}

static void sha256_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	sha256_update(s, &pad, 1);
	while (s->fill != 56)
		sha256_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(s, len, 8);
	for (int i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08x", s->h[i]);
}

/* ---- JSON output */
static void hex(const char *s, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++)
		printf("%02x", (unsigned char)s[i]);
	putchar('"');
}

static void hexs(const char *s)
{
	hex(s, strlen(s));
}

static void status_field(const char *name, const char *key)
{
	char line[256], value[128] = "";
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(name);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			sscanf(line + n + 1, "%127s", value);
	if (f)
		fclose(f);
	printf(", \"%s\": \"%s\"", key, value); /* hex digits already */
}

int main(int argc, char **argv)
{
	const char *name = argv[0] ? argv[0] : "";
	int eof_mode = strstr(name, "eof") != NULL;

	/* Read stdin first: the fd listing and the rest do not depend on it. */
	struct sha256 sha;
	sha256_init(&sha);
	unsigned long long want = ULLONG_MAX, got = 0;
	if (!eof_mode) {
		const char *cl = getenv("CONTENT_LENGTH");
		want = cl && *cl ? strtoull(cl, NULL, 10) : 0;
	}
	static unsigned char buf[1 << 16];
	while (got < want) {
		size_t room = want - got < sizeof buf ? (size_t)(want - got) : sizeof buf;
		ssize_t n = read(0, buf, room);
		if (n <= 0)
			break;
		sha256_update(&sha, buf, (size_t)n);
		got += (unsigned long long)n;
	}
	char digest[65];
	sha256_hex(&sha, digest);

	printf("Content-Type: application/json\r\n\r\n");
	printf("{\"lang\": \"c\", \"mode\": \"%s\", \"argv\": [", eof_mode ? "eof" : "length");
	for (int i = 0; i < argc; i++) {
		if (i)
			printf(", ");
		hexs(argv[i]);
	}
	printf("], \"environ\": [");
	for (char **e = environ; *e; e++) {
		if (e != environ)
			printf(", ");
		hexs(*e);
	}
	printf("], \"fds\": {");
	DIR *d = opendir("/proc/self/fd");
	int first = 1;
	struct dirent *de;
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		char path[300], target[PATH_MAX];
		snprintf(path, sizeof path, "/proc/self/fd/%s", de->d_name);
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n < 0)
			n = 0;
		printf("%s\"%s\": ", first ? "" : ", ", de->d_name);
		hex(target, (size_t)n);
		first = 0;
	}
	if (d)
		closedir(d);
	printf("}, \"uid\": %u, \"euid\": %u, \"gid\": %u, \"egid\": %u, \"groups\": [",
	       (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(),
	       (unsigned)getegid());
	gid_t groups[256];
	int ng = getgroups(256, groups);
	for (int i = 0; i < ng; i++)
		printf("%s%u", i ? ", " : "", (unsigned)groups[i]);
	char cwd[PATH_MAX];
	printf("], \"cwd\": ");
	hexs(getcwd(cwd, sizeof cwd) ? cwd : "");
	status_field("SigBlk", "sigblk");
	status_field("SigIgn", "sigign");
	printf(", \"stdin_len\": %llu, \"stdin_sha256\": \"%s\"}\n", got, digest);
	return fflush(stdout) == 0 ? 0 : 1;
}
