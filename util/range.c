#include "range.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"

#define OFF_MAX ((off_t)(((uintmax_t)1 << (sizeof(off_t) * 8 - 1)) - 1))

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* 1*DIGIT, saturating at OFF_MAX: a position past any file is still a
 * well-formed position (unsatisfiable, or clamped), never an overflow.
 * Returns the end, or NULL without a digit. No sign, unlike strtoll. */
static const char *parse_pos(const char *p, off_t *v)
{
	if (*p < '0' || *p > '9')
		return NULL;
	off_t n = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		int d = *p - '0';
		n = n > (OFF_MAX - d) / 10 ? OFF_MAX : n * 10 + d;
	}
	*v = n;
	return p;
}

static bool touches(const struct byte_range *a, const struct byte_range *b)
{
	return a->first <= b->last + 1 && b->first <= a->last + 1;
}

/* Appends r, then merges until no two ranges overlap or touch; a merged
 * range keeps the place of the earlier one. */
static void add_range(struct range_set *set, struct byte_range r)
{
	set->r[set->n++] = r;
	for (bool merged = true; merged;) {
		merged = false;
		for (unsigned i = 0; i < set->n && !merged; i++)
			for (unsigned j = i + 1; j < set->n && !merged; j++) {
				struct byte_range *a = &set->r[i], *b = &set->r[j];
				if (!touches(a, b))
					continue;
				if (b->first < a->first)
					a->first = b->first;
				if (b->last > a->last)
					a->last = b->last;
				for (unsigned k = j; k + 1 < set->n; k++)
					set->r[k] = set->r[k + 1];
				set->n--;
				merged = true;
			}
	}
}

/* A header to ignore: nothing of what was parsed so far counts. */
static enum range_result ignore(struct range_set *set)
{
	set->n = 0;
	return RANGE_NONE;
}

enum range_result range_parse(const char *value, off_t size,
			      struct range_set *set)
{
	set->n = 0;
	if (value == NULL || ascii_ncasecmp(value, "bytes=", 6) != 0)
		return RANGE_NONE;
	const char *p = value + 6;
	unsigned specs = 0;
	bool empty_suffix_ok = false; /* "-N" on an empty file */
	for (;;) {
		p = skip_ows(p);
		if (*p == ',') { /* RFC 9110 5.6.1: empty list elements */
			p++;
			continue;
		}
		if (*p == '\0')
			break;
		struct byte_range r;
		bool satisfiable;
		if (*p == '-') {
			off_t suffix;
			if ((p = parse_pos(p + 1, &suffix)) == NULL)
				return ignore(set);
			/* "-0" asks for no byte at all: never satisfiable. */
			satisfiable = suffix > 0 && size > 0;
			empty_suffix_ok |= suffix > 0 && size == 0;
			r.first = suffix >= size ? 0 : size - suffix;
			r.last = size - 1;
		} else {
			if ((p = parse_pos(p, &r.first)) == NULL || *p++ != '-')
				return ignore(set);
			r.last = OFF_MAX;
			if (*p >= '0' && *p <= '9') {
				p = parse_pos(p, &r.last);
				if (r.last < r.first)
					return ignore(set); /* "5-1" is invalid */
			}
			satisfiable = r.first < size;
			if (r.last > size - 1)
				r.last = size - 1;
		}
		if (++specs > RANGE_MAX)
			return ignore(set);
		if (satisfiable)
			add_range(set, r);
		p = skip_ows(p);
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return ignore(set);
	}
	if (specs == 0)
		return RANGE_NONE;
	if (set->n == 0)
		/* An empty file has no range to cut, but "-N" asked for "the
		 * last N bytes, or all": all of nothing, as 200. */
		return empty_suffix_ok ? RANGE_NONE : RANGE_UNSATISFIABLE;
	return RANGE_PARTIAL;
}

static char *put_dec(char *p, off_t v)
{
	char digits[24];
	int n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n)
		*p++ = digits[--n];
	return p;
}

void range_content_range(char buf[RANGE_CONTENT_RANGE_MAX],
			 const struct byte_range *r, off_t size)
{
	char *p = buf;
	memcpy(p, "bytes ", 6);
	p += 6;
	if (r) {
		p = put_dec(p, r->first);
		*p++ = '-';
		p = put_dec(p, r->last);
	} else {
		*p++ = '*';
	}
	*p++ = '/';
	p = put_dec(p, size);
	*p = '\0';
}

size_t range_part_head(char *buf, size_t cap, const char *boundary,
		       const char *type, const struct byte_range *r, off_t size,
		       unsigned i)
{
	int n = snprintf(buf, cap,
			 "%s--%s\r\nContent-Type: %s\r\n"
			 "Content-Range: bytes %lld-%lld/%lld\r\n\r\n",
			 i ? "\r\n" : "", boundary, type, (long long)r->first,
			 (long long)r->last, (long long)size);
	return n < 0 ? 0 : (size_t)n;
}

size_t range_part_tail(char *buf, size_t cap, const char *boundary)
{
	int n = snprintf(buf, cap, "\r\n--%s--\r\n", boundary);
	return n < 0 ? 0 : (size_t)n;
}

off_t range_multipart_length(const struct range_set *set, const char *boundary,
			     const char *type, off_t size)
{
	char scratch[1024]; /* the lengths are what counts; a cut is fine */
	off_t total = (off_t)range_part_tail(scratch, sizeof scratch, boundary);
	for (unsigned i = 0; i < set->n; i++)
		total += (off_t)range_part_head(scratch, sizeof scratch, boundary,
						type, &set->r[i], size, i) +
			 set->r[i].last - set->r[i].first + 1;
	return total;
}
