/* range_parse and the multipart framing against RFC 9110 14: the three
 * range forms, clamping, coalescing in the order asked, the RANGE_MAX cap,
 * unsatisfiable sets, and every malformed value ignored. Each input ends
 * with its NUL as the last byte before an unmapped page; a fault is a
 * failed case. */
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "guard.h"
#include "range.h"
#include "tap.h"

#define NONE RANGE_NONE
#define PART RANGE_PARTIAL
#define UNSAT RANGE_UNSATISFIABLE
#define BIG_NUMBER "99999999999999999999999999999999999999"

static const struct {
	const char *value;     /* NULL: no Range header */
	long long size;
	enum range_result result;
	const char *ranges;    /* PART: "first-last,..." as set->r holds them */
	const char *name;
} cases[] = {
	/* Friendly. */
	{ "bytes=0-9", 100, PART, "0-9", "first ten bytes" },
	{ "bytes=10-", 100, PART, "10-99", "open end" },
	{ "bytes=-10", 100, PART, "90-99", "suffix" },
	{ "bytes=0-0", 100, PART, "0-0", "one byte" },
	{ "bytes=99-99", 100, PART, "99-99", "last byte" },
	{ "bytes=0-", 100, PART, "0-99", "everything as a range" },
	{ "bytes=0-9,20-29", 100, PART, "0-9,20-29", "two ranges" },
	{ "bytes=20-29,0-9", 100, PART, "20-29,0-9", "two, kept in the order asked" },
	{ "BYTES=0-9", 100, PART, "0-9", "unit case-insensitive" },
	{ "bytes=0-9 , 20-29", 100, PART, "0-9,20-29", "spaces around the comma" },
	{ "bytes=0-9,\t20-29", 100, PART, "0-9,20-29", "tab after the comma" },
	{ "bytes=0-9,,20-29", 100, PART, "0-9,20-29", "empty list element" },
	{ "bytes=,0-9", 100, PART, "0-9", "leading empty element" },
	{ "bytes=0-9,", 100, PART, "0-9", "trailing comma" },
	{ NULL, 100, NONE, "", "no Range header" },

	/* Clamping and overflow: well-formed numbers past any file. */
	{ "bytes=0-1000", 100, PART, "0-99", "last past the end clamped" },
	{ "bytes=-1000", 100, PART, "0-99", "suffix longer than the file" },
	{ "bytes=0-" BIG_NUMBER, 100, PART, "0-99", "last overflows off_t, clamped" },
	{ "bytes=-" BIG_NUMBER, 100, PART, "0-99", "suffix overflows off_t" },
	{ "bytes=" BIG_NUMBER "-", 100, UNSAT, "", "first overflows off_t: unsatisfiable" },
	{ "bytes=9223372036854775807-", 100, UNSAT, "", "first = INT64_MAX" },
	{ "bytes=9223372036854775808-9223372036854775809", 100, UNSAT, "",
	  "INT64_MAX + 1 both ends" },
	{ "bytes=0-18446744073709551616", 100, PART, "0-99", "last = 2^64" },
	{ "bytes=000000000000000000000000000005-9", 100, PART, "5-9",
	  "leading zeros" },

	/* Coalescing: no byte twice, never more than the file. */
	{ "bytes=0-9,5-14", 100, PART, "0-14", "overlap merged" },
	{ "bytes=0-9,10-19", 100, PART, "0-19", "adjacent merged" },
	{ "bytes=0-9,0-9,0-9", 100, PART, "0-9", "same range thrice" },
	{ "bytes=0-,0-,0-,0-", 100, PART, "0-99", "whole file four times" },
	{ "bytes=50-59,0-9,5-55", 100, PART, "0-59",
	  "a later range bridges two" },
	{ "bytes=-10,90-99", 100, PART, "90-99", "suffix and range the same" },
	{ "bytes=0-0,2-2,1-1", 100, PART, "0-2", "three single bytes merge" },
	{ "bytes=0-1,4-5,8-9,2-7", 100, PART, "0-9", "one range joins three" },
	{ "bytes=0-0,1-1,2-2,3-3,4-4,5-5,6-6,7-7,8-8,9-9,10-10,11-11,12-12,"
	  "13-13,14-14,15-15", 100, PART, "0-15", "sixteen specs, one range" },
	{ "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,"
	  "22-22,24-24,26-26,28-28,30-30", 100, PART,
	  "0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,22-22,"
	  "24-24,26-26,28-28,30-30", "sixteen separate ranges: the cap" },
	{ "bytes=0-0,2-2,4-4,6-6,8-8,10-10,12-12,14-14,16-16,18-18,20-20,"
	  "22-22,24-24,26-26,28-28,30-30,32-32", 100, NONE, "",
	  "seventeen specs: whole file" },
	{ "bytes=0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-", 100,
	  NONE, "", "seventeen overlapping (CVE-2011-3192): whole file" },
	{ "bytes=200-,0-9", 100, PART, "0-9", "unsatisfiable one dropped" },
	{ "bytes=-0,0-9", 100, PART, "0-9", "-0 dropped beside a good one" },

	/* Unsatisfiable: 416. */
	{ "bytes=100-", 100, UNSAT, "", "first = size" },
	{ "bytes=100-200", 100, UNSAT, "", "wholly past the end" },
	{ "bytes=-0", 100, UNSAT, "", "bytes=-0 asks for nothing" },
	{ "bytes=-0,-0", 100, UNSAT, "", "two empty suffixes" },
	{ "bytes=100-,200-", 100, UNSAT, "", "all past the end" },
	{ "bytes=0-", 0, UNSAT, "", "empty file, 0-" },
	{ "bytes=0-0", 0, UNSAT, "", "empty file, 0-0" },
	{ "bytes=-0", 0, UNSAT, "", "empty file, -0" },
	{ "bytes=-5", 0, NONE, "", "empty file, -5: all of nothing, 200" },

	/* Invalid: ignored, 200 with the whole file. */
	{ "", 100, NONE, "", "empty value" },
	{ "bytes=", 100, NONE, "", "no range-spec" },
	{ "bytes=,", 100, NONE, "", "only a comma" },
	{ "bytes= ", 100, NONE, "", "only a space" },
	{ "bytes", 100, NONE, "", "no '='" },
	{ "bytes 0-9", 100, NONE, "", "space for '='" },
	{ "bytes =0-9", 100, NONE, "", "space before '='" },
	{ "items=0-9", 100, NONE, "", "unknown unit" },
	{ "bytesx=0-9", 100, NONE, "", "unit with a suffix" },
	{ "bytes=9-0", 100, NONE, "", "last before first" },
	{ "bytes=5-4,0-1", 100, NONE, "", "one invalid spec spoils the set" },
	{ "bytes=0-1,5-4", 100, NONE, "", "invalid spec after a good one" },
	{ "bytes=-", 100, NONE, "", "lone '-'" },
	{ "bytes=--5", 100, NONE, "", "double minus" },
	{ "bytes=-5-", 100, NONE, "", "suffix with a trailing minus" },
	{ "bytes=0-1-2", 100, NONE, "", "three numbers" },
	{ "bytes=+5-9", 100, NONE, "", "plus sign (strtoll would take it)" },
	{ "bytes=5-+9", 100, NONE, "", "plus sign on last" },
	{ "bytes=-+5", 100, NONE, "", "plus sign on suffix" },
	{ "bytes= 0x10-20", 100, NONE, "", "hex" },
	{ "bytes=1e3-", 100, NONE, "", "exponent" },
	{ "bytes=0-9;x", 100, NONE, "", "parameter" },
	{ "bytes=0-9 20-29", 100, NONE, "", "no comma between" },
	{ "bytes=0 -9", 100, NONE, "", "space inside a spec" },
	{ "bytes=0- 9", 100, NONE, "", "space after '-'" },
	{ "bytes=5", 100, NONE, "", "no '-'" },
	{ "bytes=a-b", 100, NONE, "", "letters" },
	{ "bytes=0-9\r\n", 100, NONE, "", "CRLF inside the value" },
	{ "bytes=\xef\xbc\x90-9", 100, NONE, "", "fullwidth digit zero" },
	{ "bytes=0-9,\x01", 100, NONE, "", "control character" },
	{ "bytes=0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,0-,x", 100,
	  NONE, "", "garbage after sixteen" },
};

static void format_ranges(const struct range_set *set, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < set->n && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%lld-%lld", i ? "," : "",
				      (long long)set->r[i].first,
				      (long long)set->r[i].last);
}

static void check(size_t i)
{
	struct guarded g = { 0 };
	const char *volatile value = NULL;
	if (cases[i].value &&
	    (value = guard_copy(&g, cases[i].value, strlen(cases[i].value) + 1)) == NULL) {
		tap_ok(0, "%s: no memory", cases[i].name);
		return;
	}
	struct range_set set;
	char got[512] = "";
	int sig = sigsetjmp(fault_env, 1);
	volatile enum range_result r = NONE;
	if (sig == 0) {
		armed = 1;
		r = range_parse(value, (off_t)cases[i].size, &set);
		armed = 0;
		if (r == PART)
			format_ranges(&set, got, sizeof got);
	}
	bool ok = sig == 0 && r == cases[i].result && strcmp(got, cases[i].ranges) == 0 &&
		  (r == PART || set.n == 0);
	tap_ok(ok, "range %s", cases[i].name);
	if (!ok) {
		printf("# value '");
		if (cases[i].value)
			print_escaped(cases[i].value, strlen(cases[i].value));
		printf("' size %lld: got %d '%s'%s, want %d '%s'\n", cases[i].size,
		       r, got, sig ? " (fault)" : "", cases[i].result,
		       cases[i].ranges);
	}
	if (cases[i].value)
		guard_free(&g);
}

/* A thousand ranges, as an attacker sends them: ignored, never a fault. */
static void check_thousand(void)
{
	static char value[16 * 1000 + 16];
	size_t n = (size_t)snprintf(value, sizeof value, "bytes=");
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(value + n, sizeof value - n, "%s%d-%d",
				      i ? "," : "", i, i + 1000);
	struct guarded g;
	struct range_set set;
	const char *v = guard_copy(&g, value, n + 1);
	tap_ok(v && range_parse(v, 1 << 20, &set) == NONE && set.n == 0,
	       "range: 1000 overlapping ranges -> whole file");
	guard_free(&g);
}

/* The framing: its length is what range_multipart_length says, and every
 * part says which bytes it holds. */
static void check_multipart(void)
{
	struct range_set set;
	range_parse("bytes=0-9,20-29,-5", 100, &set);
	const char *b = "0123456789abcdef0123456789abcdef";
	const char *first = "--0123456789abcdef0123456789abcdef\r\n"
			    "Content-Type: text/plain\r\n"
			    "Content-Range: bytes 0-9/100\r\n\r\n";
	char head[256], tail[128];
	size_t total = 0;
	for (unsigned i = 0; i < set.n; i++) {
		size_t n = range_part_head(head, sizeof head, b, "text/plain",
					   &set.r[i], 100, i);
		total += n + (size_t)(set.r[i].last - set.r[i].first + 1);
		if (i == 0)
			tap_ok(strcmp(head, first) == 0,
			       "multipart: first part head, no leading CRLF");
		if (i == 2)
			tap_ok(strcmp(head, "\r\n--0123456789abcdef0123456789abcdef\r\n"
				      "Content-Type: text/plain\r\n"
				      "Content-Range: bytes 95-99/100\r\n\r\n") == 0,
			       "multipart: later part head ends the previous part");
	}
	total += range_part_tail(tail, sizeof tail, b);
	tap_ok(strcmp(tail, "\r\n--0123456789abcdef0123456789abcdef--\r\n") == 0,
	       "multipart: closing delimiter");
	tap_ok((off_t)total == range_multipart_length(&set, b, "text/plain", 100),
	       "multipart: length known before sending (%zu)", total);
	char tiny[8];
	tap_ok(range_part_head(tiny, sizeof tiny, b, "text/plain", &set.r[0], 100, 0) ==
	       strlen(first) && tiny[7] == '\0',
	       "multipart: a short buffer is cut, length still told");
}

static void check_content_range(void)
{
	char buf[RANGE_CONTENT_RANGE_MAX];
	struct byte_range r = { 0, 0 };
	range_content_range(buf, &r, 1);
	tap_ok(strcmp(buf, "bytes 0-0/1") == 0, "Content-Range: %s", buf);
	r = (struct byte_range){ 100, 1023 };
	range_content_range(buf, &r, 1024);
	tap_ok(strcmp(buf, "bytes 100-1023/1024") == 0, "Content-Range: %s", buf);
	range_content_range(buf, NULL, 0);
	tap_ok(strcmp(buf, "bytes */0") == 0, "Content-Range: %s", buf);
	off_t max = (off_t)0x7fffffffffffffffLL;
	r = (struct byte_range){ max - 1, max - 1 };
	range_content_range(buf, &r, max);
	tap_ok(strcmp(buf, "bytes 9223372036854775806-9223372036854775806/"
		       "9223372036854775807") == 0 && strlen(buf) < sizeof buf,
	       "Content-Range: largest values fit");
}

int main(void)
{
	catch_faults();
	check_content_range();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(i);
	check_thousand();
	check_multipart();
	return tap_done();
}
