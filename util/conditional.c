#include "conditional.h"

#include <string.h>

#include "httpdate.h"
#include "status.h"

/* Hex digits of v at p, most significant first; returns the end. By
 * hand: the ETag is on every answer about a file, and printf's machinery
 * costs more than the rest of its making. */
static char *put_hex(char *p, unsigned long long v)
{
	char digits[16];
	int n = 0;
	do {
		digits[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

void conditional_etag(const struct stat *st, char etag[ETAG_MAX])
{
	char *p = etag;
	*p++ = '"';
	p = put_hex(p, (unsigned long long)st->st_ino);
	*p++ = '-';
	p = put_hex(p, (unsigned long long)st->st_size);
	*p++ = '-';
	p = put_hex(p, (unsigned long long)st->st_mtim.tv_sec);
	*p++ = '.';
	p = put_hex(p, (unsigned long long)st->st_mtim.tv_nsec);
	*p++ = '"';
	*p = '\0';
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* RFC 9110 8.8.3: etagc = %x21 / %x23-7E / obs-text */
static bool is_etagc(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* One entity-tag at *p: sets its opaque part (quotes included) and
 * whether it was weak; returns the end, or NULL if it is not one. */
static const char *parse_etag(const char *p, const char **opaque, size_t *len,
			      bool *weak)
{
	*weak = p[0] == 'W' && p[1] == '/';
	if (*weak)
		p += 2;
	if (*p != '"')
		return NULL;
	const char *start = p++;
	while (is_etagc((unsigned char)*p))
		p++;
	if (*p != '"')
		return NULL;
	*opaque = start;
	*len = (size_t)(p + 1 - start);
	return p + 1;
}

/* Whether the list (a 1#entity-tag, or "*") names etag. strong: RFC 9110
 * 8.8.3.2's strong comparison (If-Match, If-Range), else the weak one. A
 * list that does not parse names nothing, so If-Match fails closed and
 * If-None-Match falls through to a full answer. */
static bool list_matches(const char *list, const char *etag, bool strong)
{
	const char *p = skip_ows(list);
	if (*p == '*' && *skip_ows(p + 1) == '\0')
		return true;
	size_t etag_len = strlen(etag);
	bool found = false, any = false;
	for (;;) {
		p = skip_ows(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			break;
		const char *opaque;
		size_t len;
		bool weak;
		if ((p = parse_etag(p, &opaque, &len, &weak)) == NULL)
			return false;
		any = true;
		/* Ours are strong, so a weak tag matches only weakly. */
		if (!(strong && weak) && len == etag_len &&
		    memcmp(opaque, etag, len) == 0)
			found = true;
		p = skip_ows(p);
		if (*p != ',' && *p != '\0')
			return false;
	}
	return any && found;
}

int conditional_evaluate(const struct preconditions *pc, const char *etag,
			 time_t mtime)
{
	time_t date;
	/* 1, 2: the state the client last saw must still be the one here. */
	if (pc->if_match) {
		if (!list_matches(pc->if_match, etag, true))
			return STATUS_PRECONDITION_FAILED;
	} else if (pc->if_unmodified_since &&
		   httpdate_parse(pc->if_unmodified_since, &date) == 0 &&
		   mtime > date) {
		return STATUS_PRECONDITION_FAILED;
	}
	/* 3, 4: for a GET or HEAD, what the client has is still good. */
	if (pc->if_none_match)
		return list_matches(pc->if_none_match, etag, false) ?
			STATUS_NOT_MODIFIED : 0;
	if (pc->if_modified_since &&
	    httpdate_parse(pc->if_modified_since, &date) == 0 && mtime <= date)
		return STATUS_NOT_MODIFIED;
	return 0;
}

bool conditional_if_range(const struct preconditions *pc, const char *etag,
			  time_t mtime)
{
	if (pc->if_range == NULL)
		return true;
	const char *p = skip_ows(pc->if_range);
	if (*p == '"' || (p[0] == 'W' && p[1] == '/')) {
		const char *opaque;
		size_t len;
		bool weak;
		const char *end = parse_etag(p, &opaque, &len, &weak);
		return end && *skip_ows(end) == '\0' && !weak &&
		       len == strlen(etag) && memcmp(opaque, etag, len) == 0;
	}
	/* RFC 9110 13.1.5: a date matches only exactly; our Last-Modified
	 * has whole seconds, as the date does. */
	time_t date;
	return httpdate_parse(p, &date) == 0 && date == mtime;
}
