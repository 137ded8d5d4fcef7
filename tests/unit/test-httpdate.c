/* httpdate_format, httpdate_format_log and httpdate_parse against their
 * contract: known epochs, the three forms RFC 9110 5.6.7 names, UTC zones
 * only, and no date that does not exist. Parser inputs end with their NUL
 * as the last byte before an unmapped page, output buffers end at a page
 * end; a fault is reported as a failed case. */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "guard.h"
#include "httpdate.h"
#include "tap.h"

/* An output buffer of exactly cap writable bytes, ending at a page end. */
static char *guard_out(struct guarded *g, size_t cap)
{
	static char fill[256];
	memset(fill, '#', sizeof fill);
	return cap <= sizeof fill ? guard_copy(g, fill, cap) : NULL;
}

/* s with bytes outside printable ASCII as \xNN, for a TAP line. */
static const char *escaped(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; *s && n + 5 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
	}
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------------ */
/* Formatting known times */

static const struct {
	time_t t;
	const char *imf;
	const char *log;
	const char *name;
} format_cases[] = {
	{ 0, "Thu, 01 Jan 1970 00:00:00 GMT", "01/Jan/1970:00:00:00 +0000",
	  "the epoch" },
	{ 784111777, "Sun, 06 Nov 1994 08:49:37 GMT",
	  "06/Nov/1994:08:49:37 +0000", "RFC 9110's example" },
	{ 86399, "Thu, 01 Jan 1970 23:59:59 GMT", "01/Jan/1970:23:59:59 +0000",
	  "last second of the first day" },
	{ 946684799, "Fri, 31 Dec 1999 23:59:59 GMT",
	  "31/Dec/1999:23:59:59 +0000", "last second of 1999" },
	{ 951782400, "Tue, 29 Feb 2000 00:00:00 GMT",
	  "29/Feb/2000:00:00:00 +0000", "leap day 2000" },
	{ 951868800, "Wed, 01 Mar 2000 00:00:00 GMT",
	  "01/Mar/2000:00:00:00 +0000", "day after leap day 2000" },
	{ 1700000000, "Tue, 14 Nov 2023 22:13:20 GMT",
	  "14/Nov/2023:22:13:20 +0000", "1.7e9" },
	{ 1709164800, "Thu, 29 Feb 2024 00:00:00 GMT",
	  "29/Feb/2024:00:00:00 +0000", "leap day 2024" },
	{ 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT",
	  "19/Jan/2038:03:14:07 +0000", "last 32-bit second" },
	{ 2147483648, "Tue, 19 Jan 2038 03:14:08 GMT",
	  "19/Jan/2038:03:14:08 +0000", "first second past 32 bits" },
	{ 4107542399, "Sun, 28 Feb 2100 23:59:59 GMT",
	  "28/Feb/2100:23:59:59 +0000", "2100 has no leap day" },
	{ 253402300799, "Fri, 31 Dec 9999 23:59:59 GMT",
	  "31/Dec/9999:23:59:59 +0000", "last second of 9999" },
};

static void check_format(size_t i)
{
	struct guarded g1, g2;
	char *imf = guard_out(&g1, HTTPDATE_LEN);
	size_t log_cap = strlen(format_cases[i].log) + 1;
	char *log = guard_out(&g2, log_cap);
	const char *name = format_cases[i].name;

	if (imf == NULL || log == NULL) {
		tap_ok(0, "httpdate_format: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "httpdate_format: %s: memory fault past the buffer",
		       name);
		goto done;
	}
	armed = 1;
	httpdate_format(format_cases[i].t, imf);
	httpdate_format_log(format_cases[i].t, log, log_cap);
	armed = 0;
	if (!tap_ok(strcmp(imf, format_cases[i].imf) == 0,
		    "httpdate_format: %s", name))
		printf("# got \"%.*s\", expected \"%s\"\n", HTTPDATE_LEN, imf,
		       format_cases[i].imf);
	if (!tap_ok(strcmp(log, format_cases[i].log) == 0,
		    "httpdate_format_log: %s", name))
		printf("# got \"%.*s\", expected \"%s\"\n", (int)log_cap, log,
		       format_cases[i].log);
done:
	guard_free(&g1);
	guard_free(&g2);
}

/* The log form into buffers too small for it: cut, terminated, and not a
 * byte written past cap. */
static void check_log_cap(size_t cap)
{
	static const char full[] = "06/Nov/1994:08:49:37 +0000";
	struct guarded g;
	char *buf = guard_out(&g, cap);

	if (buf == NULL) {
		tap_ok(0, "httpdate_format_log cap %zu: mmap failed", cap);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "httpdate_format_log cap %zu: memory fault", cap);
		guard_free(&g);
		return;
	}
	armed = 1;
	httpdate_format_log(784111777, buf, cap);
	armed = 0;
	bool ok = cap == 0 || (strlen(buf) == cap - 1 &&
			       memcmp(buf, full, cap - 1) == 0);
	tap_ok(ok, "httpdate_format_log into %zu bytes: cut, terminated", cap);
	guard_free(&g);
}

/* ------------------------------------------------------------------ */
/* Parsing */

#define BAD ((time_t)-1) /* must be refused */

static const struct {
	const char *input;
	time_t t;
	const char *name;
} parse_cases[] = {
	/* Friendly: the three forms and the UTC zones. */
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 784111777, "IMF-fixdate" },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 784111777, "RFC 850" },
	{ "Sun Nov  6 08:49:37 1994", 784111777, "asctime" },
	{ "Sun, 06 Nov 1994 08:49:37 UTC", 784111777, "UTC zone" },
	{ "Sun, 06 Nov 1994 08:49:37 +0000", 784111777, "+0000 zone" },
	{ "Sun, 06 Nov 1994 08:49:37 -0000", 784111777, "-0000 zone" },
	{ "Thu, 01 Jan 1970 00:00:00 GMT", 0, "the epoch" },
	{ "Thursday, 01-Jan-70 00:00:00 GMT", 0, "the epoch, RFC 850" },
	{ "Thu Jan  1 00:00:00 1970", 0, "the epoch, asctime" },
	{ "Tue, 29 Feb 2000 12:00:00 GMT", 951825600, "leap day 2000" },
	{ "Thu Feb 29 23:59:59 2024", 1709251199, "leap day 2024, asctime" },
	{ "Fri, 31 Dec 9999 23:59:59 GMT", 253402300799, "year 9999" },

	/* Garbage. */
	{ "", BAD, "empty" },
	{ " ", BAD, "one space" },
	{ "garbage", BAD, "a word" },
	{ "0", BAD, "a number" },
	{ "784111777", BAD, "epoch seconds" },
	{ "1994-11-06T08:49:37Z", BAD, "ISO 8601" },
	{ "Sun, 06 Nov 1994", BAD, "date only" },
	{ "Sun, 06 Nov 1994 08:49 GMT", BAD, "no seconds" },
	{ "Sun, 06 Nov 1994 08:49:37:00 GMT", BAD, "four time fields" },
	{ "Sun, 06 Nov 1994 08.49.37 GMT", BAD, "dots in the time" },
	{ "Sun 06 Nov 1994 08:49:37 GMT", BAD, "IMF without the comma" },
	{ "Sun, 06-Nov-1994 08:49:37", BAD, "RFC 850 without a zone" },
	{ "Sun, 06 Nov 1994 08:49:37 GMT junk", BAD, "trailing word" },
	{ "Sun, 06 Nov 1994 08:49:37 GMTx", BAD, "zone with a suffix" },
	{ "Sun, 06 Nov 1994 08:49:37 GMT\n", BAD, "trailing LF" },
	{ "Sun, 06 Nov 1994 08:49:37 GMT\r\nX: y", BAD, "trailing header" },
	{ "Sun Nov  6 08:49:37 1994 GMT", BAD, "asctime with a zone" },
	{ "Sun Nov  6 08:49:37 1994x", BAD, "asctime with junk" },
	{ "Sun Nov  6 08:49:37 19945", BAD, "asctime with a 5-digit year" },
	{ "Sun, 06 Nov 19945 08:49:37 GMT", BAD, "5-digit year" },
	{ "Sundayyyyyyyyyyyyyyyyyyy, 06 Nov 1994 08:49:37 GMT", BAD,
	  "overlong day name" },
	{ "Sun, 06 November 1994 08:49:37 GMT", BAD, "full month name" },
	{ "Sun, +6 Nov 1994 08:49:37 GMT", BAD, "signed day" },
	{ "Sun, 06 Nov 1994 08:49:+7 GMT", BAD, "signed second" },
	{ "Sun, 06 Nov 1994 08: 49:37 GMT", BAD, "space inside the time" },
	{ "Sun, 06 Nov +994 08:49:37 GMT", BAD, "signed year" },

	/* Zones other than UTC. */
	{ "Sun, 06 Nov 1994 08:49:37 +0200", BAD, "+0200" },
	{ "Sun, 06 Nov 1994 08:49:37 -0100", BAD, "-0100" },
	{ "Sun, 06 Nov 1994 08:49:37 +0001", BAD, "+0001" },
	{ "Sun, 06 Nov 1994 08:49:37 PST", BAD, "PST" },
	{ "Sun, 06 Nov 1994 08:49:37 CET", BAD, "CET" },
	{ "Sun, 06 Nov 1994 08:49:37 +00000", BAD, "+00000" },
	{ "Sunday, 06-Nov-94 08:49:37 EST", BAD, "RFC 850 in EST" },

	/* Fields out of range. */
	{ "Sun, 06 Foo 1994 08:49:37 GMT", BAD, "month Foo" },
	{ "Sun, 06 No 1994 08:49:37 GMT", BAD, "month cut short" },
	{ "Sun, 32 Nov 1994 08:49:37 GMT", BAD, "day 32" },
	{ "Sun, 00 Nov 1994 08:49:37 GMT", BAD, "day 0" },
	{ "Sun, 31 Nov 1994 08:49:37 GMT", BAD, "31 November" },
	{ "Thu, 30 Feb 2000 00:00:00 GMT", BAD, "30 February" },
	{ "Thu, 29 Feb 2001 00:00:00 GMT", BAD, "29 February, not a leap year" },
	{ "Mon, 29 Feb 2100 00:00:00 GMT", BAD, "29 February 2100" },
	{ "Sun, 06 Nov 1994 24:00:00 GMT", BAD, "hour 24" },
	{ "Sun, 06 Nov 1994 08:60:37 GMT", BAD, "minute 60" },
	{ "Sun, 06 Nov 1994 08:49:61 GMT", BAD, "second 61" },
	{ "Sun, 06 Nov 1994 -8:49:37 GMT", BAD, "negative hour" },
	{ "Sun, -6 Nov 1994 08:49:37 GMT", BAD, "negative day" },
	{ "Sunday, 32-Nov-94 08:49:37 GMT", BAD, "RFC 850 day 32" },
	{ "Sun Nov 32 08:49:37 1994", BAD, "asctime day 32" },
	{ "Sun Nov  6 24:49:37 1994", BAD, "asctime hour 24" },
	{ "Sun Foo  6 08:49:37 1994", BAD, "asctime month Foo" },

	/* Before 1970. */
	{ "Wed, 31 Dec 1969 23:59:59 GMT", BAD, "last second of 1969" },
	{ "Mon, 01 Jan 1900 00:00:00 GMT", BAD, "1900" },
	{ "Sat, 01 Jan 0000 00:00:00 GMT", BAD, "year 0" },
	{ "Wed Dec 31 23:59:59 1969", BAD, "asctime 1969" },
};

static void check_parse(const char *input, time_t expected, const char *name)
{
	struct guarded g;
	size_t len = strlen(input);
	const char *s = guard_copy(&g, input, len + 1); /* NUL last */
	time_t t = (time_t)-12345;
	char shown[128];
	int got;

	if (s == NULL) {
		tap_ok(0, "httpdate_parse: %s: mmap failed", name);
		return;
	}
	if (sigsetjmp(fault_env, 1)) {
		tap_ok(0, "httpdate_parse: %s: memory fault past the input",
		       name);
		guard_free(&g);
		return;
	}
	armed = 1;
	got = httpdate_parse(s, &t);
	armed = 0;
	bool ok = expected == BAD ? got == -1 : got == 0 && t == expected;
	if (!tap_ok(ok, "httpdate_parse: %s: \"%s\"", name,
		    escaped(input, shown, sizeof shown))) {
		if (got == 0)
			printf("# got %lld, expected %s%lld\n", (long long)t,
			       expected == BAD ? "refusal, not " : "",
			       (long long)(expected == BAD ? t : expected));
		else
			printf("# refused, expected %lld\n",
			       (long long)expected);
	}
	guard_free(&g);
}

/* ------------------------------------------------------------------ */
/* Round trips */

/* Parses s (guarded); returns 0 and sets *t, -1, or -2 on a fault. */
static int parse_guarded(const char *s, time_t *t)
{
	struct guarded g;
	size_t len = strlen(s);
	const char *in = guard_copy(&g, s, len + 1);
	int got;
	if (in == NULL)
		return -2;
	if (sigsetjmp(fault_env, 1)) {
		guard_free(&g);
		return -2;
	}
	armed = 1;
	got = httpdate_parse(in, t);
	armed = 0;
	guard_free(&g);
	return got;
}

/* t formatted three ways (IMF by httpdate_format, RFC 850 and asctime by
 * strftime on the same UTC time) must each parse back to t. RFC 850 only
 * where its two-digit year is unambiguous (1970-2069). Returns the form
 * that failed, or NULL. */
static const char *round_trip(time_t t, char *failed, size_t cap)
{
	char imf[HTTPDATE_LEN], other[64];
	struct tm tm;
	time_t back;

	httpdate_format(t, imf);
	if (parse_guarded(imf, &back) != 0 || back != t) {
		snprintf(failed, cap, "%s", imf);
		return failed;
	}
	gmtime_r(&t, &tm);
	strftime(other, sizeof other, "%a %b %e %H:%M:%S %Y", &tm);
	if (parse_guarded(other, &back) != 0 || back != t) {
		snprintf(failed, cap, "%s", other);
		return failed;
	}
	if (tm.tm_year + 1900 < 2070) {
		/* %y, by hand: the two-digit year is the point here. */
		size_t n = strftime(other, sizeof other, "%A, %d-%b-", &tm);
		n += (size_t)snprintf(other + n, sizeof other - n, "%02d",
				      (tm.tm_year + 1900) % 100);
		strftime(other + n, sizeof other - n, " %H:%M:%S GMT", &tm);
		if (parse_guarded(other, &back) != 0 || back != t) {
			snprintf(failed, cap, "%s", other);
			return failed;
		}
	}
	return NULL;
}

static const struct {
	time_t t;
	const char *name;
} trip_cases[] = {
	{ 0, "the epoch" },
	{ 784111777, "1994-11-06 08:49:37" },
	{ 951782399, "2000-02-28 23:59:59" },
	{ 951782400, "2000-02-29 00:00:00" },
	{ 951868799, "2000-02-29 23:59:59" },
	{ 951868800, "2000-03-01 00:00:00" },
	{ 978307199, "2000-12-31 23:59:59 (leap year's last)" },
	{ 1709164800, "2024-02-29 00:00:00" },
	{ 1709251199, "2024-02-29 23:59:59" },
	{ 2147483647, "2038-01-19 03:14:07" },
	{ 2147483648, "2038-01-19 03:14:08" },
	{ 3155759999, "2069-12-31 23:59:59" },
	{ 3155760000, "2070-01-01 00:00:00" },
	{ 4107542399, "2100-02-28 23:59:59" },
	{ 4107542400, "2100-03-01 00:00:00" },
	{ 253402300799, "9999-12-31 23:59:59" },
};

/* Every 37th hour plus a drifting second from 1970 to 2110, and one time
 * a day through the leap years 1996-2032: one TAP line each sweep. */
static void sweep(const char *name, time_t from, time_t to, time_t step)
{
	char failed[64];
	unsigned long n = 0, bad = 0;
	const char *first = NULL;
	char first_buf[128];

	for (time_t t = from; t <= to; t += step, n++) {
		time_t u = t + (time_t)(n % 3600);
		if (round_trip(u, failed, sizeof failed) != NULL) {
			if (bad++ == 0) {
				snprintf(first_buf, sizeof first_buf, "%s (%lld)",
					 failed, (long long)u);
				first = first_buf;
			}
		}
	}
	if (!tap_ok(bad == 0 && n > 0, "round trip sweep: %s (%lu times)", name,
		    n))
		printf("# %lu failed, first: %s\n", bad, first ? first : "-");
}

/* httpdate_format_iso against gmtime_r's fields printed with fixed
 * widths, over years 1 to 9999 (negative times included), and refusing
 * the times beyond them.  Not strftime: glibc's %Y does not pad years
 * below 1000, musl's does. */
static void check_iso(void)
{
	unsigned long n = 0, bad = 0;
	long long first_bad = 0;
	const long long from = -62135596800LL, to = 253402300799LL;
	const long long step = 86400LL * 97 + 3671;
	for (long long t = from; t <= to; t += step, n++) {
		char mine[HTTPDATE_ISO_LEN], theirs[64];
		struct tm tm;
		time_t tt = (time_t)t;
		gmtime_r(&tt, &tm);
		snprintf(theirs, sizeof theirs, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (!httpdate_format_iso(NULL, tt, mine) || strcmp(mine, theirs) != 0) {
			if (bad++ == 0)
				first_bad = t;
		}
	}
	if (!tap_ok(bad == 0 && n > 30000, "httpdate_format_iso = gmtime_r, "
		    "years 1-9999 (%lu times)", n))
		printf("# %lu differ, first at %lld\n", bad, first_bad);
	char buf[HTTPDATE_ISO_LEN];
	tap_ok(httpdate_format_iso(NULL, 0, buf) && strcmp(buf, "1970-01-01T00:00:00Z") == 0,
	       "httpdate_format_iso: the epoch");
	tap_ok(!httpdate_format_iso(NULL, (time_t)(to + 1), buf),
	       "httpdate_format_iso: year 10000 refused");
	tap_ok(!httpdate_format_iso(NULL, (time_t)(from - 1), buf),
	       "httpdate_format_iso: year 0 refused");
}

/* The day kept between calls changes nothing: times that go back and
 * forth by less and more than a day, across 1970 and the range's ends,
 * formatted with one struct httpdate_day and without. */
static void check_iso_day(void)
{
	static const long long starts[] = {
		-62135596800LL, -86401, -1, 0, 86399, 1764806400LL,
		253402300799LL - 200000 };
	static const long long steps[] = { 1, 59, 3600, -7200, 86399, 86400,
					   -86401, 40000, -3 };
	unsigned long n = 0, bad = 0;
	struct httpdate_day last = { 0 };
	for (size_t s = 0; s < sizeof starts / sizeof starts[0]; s++) {
		long long t = starts[s];
		for (int i = 0; i < 500; i++, n++) {
			t += steps[(size_t)i % (sizeof steps / sizeof steps[0])];
			char kept[HTTPDATE_ISO_LEN] = "", fresh[HTTPDATE_ISO_LEN] = "";
			bool a = httpdate_format_iso(&last, (time_t)t, kept);
			bool b = httpdate_format_iso(NULL, (time_t)t, fresh);
			if (a != b || strcmp(kept, fresh) != 0)
				bad++;
		}
	}
	tap_ok(bad == 0 && n == 3500,
	       "httpdate_format_iso: the kept day gives the same text (%lu times, %lu differ)",
	       n, bad);
}

int main(void)
{
	char failed[64];

	check_iso();
	check_iso_day();

	catch_faults();
	for (size_t i = 0; i < sizeof format_cases / sizeof format_cases[0]; i++)
		check_format(i);
	check_log_cap(1);
	check_log_cap(10);
	check_log_cap(26);
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++)
		check_parse(parse_cases[i].input, parse_cases[i].t,
			    parse_cases[i].name);
	for (size_t i = 0; i < sizeof trip_cases / sizeof trip_cases[0]; i++) {
		const char *f = round_trip(trip_cases[i].t, failed,
					   sizeof failed);
		if (!tap_ok(f == NULL, "round trip: %s", trip_cases[i].name))
			printf("# \"%s\" did not parse back to %lld\n", f,
			       (long long)trip_cases[i].t);
	}
	sweep("1970-2110, every 37 hours", 0, 4417977600, 37 * 3600);
	sweep("1996-2032, daily", 820454400, 1988150400, 86400);
	return tap_done();
}
