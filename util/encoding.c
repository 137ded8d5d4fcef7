#include "encoding.h"

#include <stdbool.h>
#include <string.h>

#include "ascii.h"

const struct coding_name coding_names[CODING_COUNT] = {
	[CODING_BR] = { "br", ".br" },
	[CODING_ZSTD] = { "zstd", ".zst" },
	[CODING_GZIP] = { "gzip", ".gz" },
};

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in
 * thousandths; returns the end, or NULL. */
static const char *parse_q(const char *p, int *q)
{
	if (*p != '0' && *p != '1')
		return NULL;
	int whole = *p++ - '0', frac = 0, digits = 0;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (++digits > 3 || (whole == 1 && *p != '0'))
				return NULL;
			frac = frac * 10 + (*p - '0');
		}
	for (; digits < 3; digits++)
		frac *= 10;
	*q = whole * 1000 + frac;
	return p;
}

/* One element "coding [ OWS ; OWS q=qvalue ]" from *p up to ',' or NUL:
 * sets its name and weight and returns where it ends, or NULL (the
 * element is to be ignored, the end is then found by the caller). */
static const char *parse_element(const char *p, const char **name,
				 size_t *len, int *q)
{
	*name = p;
	while (ascii_is_tchar((unsigned char)*p))
		p++;
	*len = (size_t)(p - *name);
	*q = 1000;
	if (*len == 0)
		return NULL;
	p = skip_ows(p);
	if (*p != ';')
		return p;
	p = skip_ows(p + 1);
	if ((p[0] != 'q' && p[0] != 'Q') || p[1] != '=' ||
	    (p = parse_q(p + 2, q)) == NULL)
		return NULL;
	return skip_ows(p);
}

static bool named(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && ascii_ncasecmp(name, want, len) == 0;
}

void encoding_parse(const char *value, struct accept_encoding *ae)
{
	int given[CODING_COUNT + 1], star = -1;
	for (int i = 0; i <= CODING_COUNT; i++)
		given[i] = -1; /* [CODING_COUNT] is identity */
	for (const char *p = value; p && *p;) {
		const char *name;
		size_t len;
		int q;
		const char *end = parse_element(skip_ows(p), &name, &len, &q);
		if (end && (*end == ',' || *end == '\0')) {
			int which = -2;
			for (int i = 0; i < CODING_COUNT; i++)
				if (named(name, len, coding_names[i].name))
					which = i;
			if (named(name, len, "x-gzip"))
				which = CODING_GZIP;
			if (named(name, len, "identity"))
				which = CODING_COUNT;
			/* The first mention of a coding is the one that counts. */
			if (which >= 0 && given[which] < 0)
				given[which] = q;
			if (named(name, len, "*") && star < 0)
				star = q;
		}
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	/* A coding not named takes the weight of "*", if any. */
	for (int i = 0; i < CODING_COUNT; i++)
		ae->q[i] = given[i] >= 0 ? given[i] : star > 0 ? star : 0;
	ae->identity_q = given[CODING_COUNT] >= 0 ? given[CODING_COUNT] : star;
}

int encoding_choose(const struct accept_encoding *ae, unsigned available)
{
	int best = CODING_IDENTITY;
	for (int i = 0; i < CODING_COUNT; i++)
		if ((available & (1u << i)) && ae->q[i] > 0 &&
		    (best == CODING_IDENTITY || ae->q[i] > ae->q[best]))
			best = i;
	if (best != CODING_IDENTITY && ae->identity_q > ae->q[best])
		return CODING_IDENTITY;
	return best;
}
