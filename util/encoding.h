/* Content codings for precompressed variants: which of FILE.br, FILE.zst
 * and FILE.gz a request's Accept-Encoding (RFC 9110 12.5.3) allows, and
 * which of those found to send. Pure: no I/O. Nothing is ever compressed
 * here: the variants are files an operator made. */
#ifndef CGIHANDLERD_ENCODING_H
#define CGIHANDLERD_ENCODING_H

/* In the server's order of preference, for codings of equal weight. */
enum coding { CODING_BR, CODING_ZSTD, CODING_GZIP, CODING_COUNT };

#define CODING_IDENTITY (-1)

struct coding_name {
	const char *name;    /* as in Content-Encoding */
	const char *suffix;  /* of the variant beside the file */
};
extern const struct coding_name coding_names[CODING_COUNT];

/* Weights 0..1000 (q=1 is 1000) from an Accept-Encoding value. */
struct accept_encoding {
	int q[CODING_COUNT];  /* 0: not acceptable */
	int identity_q;       /* -1 when the header does not rule on it */
};

/* NULL (no header) accepts no coding: identity is what every client takes.
 * An element whose weight does not parse is ignored. */
void encoding_parse(const char *value, struct accept_encoding *ae);

/* Of the codings in available (bit 1 << coding: a variant exists), the one
 * to send, or CODING_IDENTITY. The highest weight wins, ties in the order
 * of enum coding; identity wins only with a higher weight of its own. When
 * nothing is acceptable, not even identity, identity is sent anyway. */
int encoding_choose(const struct accept_encoding *ae, unsigned available);

#endif
