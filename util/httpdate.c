#include "httpdate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"

static const char weekdays[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Days since 1970-01-01 -> civil date (proleptic Gregorian). */
static void civil_from_days(long long z, int *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* t as whole days since 1970-01-01 and *secs into the last, rounded
 * down for a time before 1970 too. */
static long long days_and_seconds(long long t, long long *secs)
{
	long long days = t / 86400;
	*secs = t % 86400;
	if (*secs < 0) {
		*secs += 86400;
		days--;
	}
	return days;
}

/* gmtime_r, by hand: glibc's reads /etc/localtime on first use (seven
 * system calls), although every date we write is UTC. */
static void utc(time_t t, struct tm *tm)
{
	long long secs, days = days_and_seconds((long long)t, &secs);
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	tm->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

/* A file may carry any mtime; a date header holds years 1970 to 9999. */
static time_t clamp(time_t t)
{
	const time_t last = (time_t)253402300799LL; /* 9999-12-31 23:59:59 */
	return t < 0 ? 0 : t > last ? last : t;
}

/* n as exactly width digits (n < 10^width), at p; returns past them.
 * Every request writes two or three dates: printf would be a third of
 * the instructions of a static build's request. */
static char *digits(char *p, int n, int width)
{
	for (int i = width - 1; i >= 0; i--, n /= 10)
		p[i] = (char)('0' + n % 10);
	return p + width;
}

static char *word(char *p, const char *w)
{
	size_t n = strlen(w);
	memcpy(p, w, n);
	return p + n;
}

/* "YYYY SEP HH:MM:SS", the tail both forms share. */
static char *year_and_time(char *p, const struct tm *tm, char sep)
{
	p = digits(p, (tm->tm_year + 1900) % 10000, 4);
	*p++ = sep;
	p = digits(p, tm->tm_hour, 2);
	*p++ = ':';
	p = digits(p, tm->tm_min, 2);
	*p++ = ':';
	return digits(p, tm->tm_sec, 2);
}

void httpdate_format(time_t t, char buf[HTTPDATE_LEN])
{
	struct tm tm;
	utc(clamp(t), &tm);
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	char *p = word(buf, weekdays[tm.tm_wday % 7]);
	p = word(p, ", ");
	p = digits(p, tm.tm_mday, 2);
	*p++ = ' ';
	p = word(p, months[tm.tm_mon % 12]);
	*p++ = ' ';
	p = year_and_time(p, &tm, ' ');
	memcpy(p, " GMT", 5);
}

void httpdate_format_log(time_t t, char *buf, size_t cap)
{
	struct tm tm;
	char line[32];
	utc(clamp(t), &tm);
	/* "06/Nov/1994:08:49:37 +0000" */
	char *p = digits(line, tm.tm_mday, 2);
	*p++ = '/';
	p = word(p, months[tm.tm_mon % 12]);
	*p++ = '/';
	p = year_and_time(p, &tm, ':');
	memcpy(p, " +0000", 7);
	size_t n = (size_t)(p - line) + 6;
	if (cap == 0)
		return;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
}

/* The year always in four digits, as ISO 8601 wants; glibc's %Y would
 * write year 999 as "999". */
bool httpdate_format_iso(struct httpdate_day *last, time_t t,
			 char buf[HTTPDATE_ISO_LEN])
{
	const long long first = -62135596800LL;   /* 0001-01-01T00:00:00Z */
	const long long end = 253402300799LL;     /* 9999-12-31T23:59:59Z */
	if ((long long)t < first || (long long)t > end)
		return false;
	long long secs, days = days_and_seconds((long long)t, &secs);
	struct httpdate_day here = { 0 };
	if (last == NULL)
		last = &here;
	if (!last->known || last->day != days) {
		int y, m, d;
		civil_from_days(days, &y, &m, &d);
		char *p = digits(last->date, y, 4);
		*p++ = '-';
		p = digits(p, m, 2);
		*p++ = '-';
		digits(p, d, 2);
		last->day = days;
		last->known = true;
	}
	memcpy(buf, last->date, sizeof last->date);
	char *p = buf + sizeof last->date;
	*p++ = 'T';
	p = digits(p, (int)(secs / 3600), 2);
	*p++ = ':';
	p = digits(p, (int)(secs / 60 % 60), 2);
	*p++ = ':';
	p = digits(p, (int)(secs % 60), 2);
	memcpy(p, "Z", 2);
	return true;
}

/* A cursor over the date text; each step consumes exactly what it names
 * or fails, so no sign, blank or extra digit slips through as sscanf's
 * conversions would let it. */
static bool take_char(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static bool take_digits(const char **p, int min, int max, int *value)
{
	int n = 0, v = 0;
	while (n < max && (*p)[n] >= '0' && (*p)[n] <= '9') {
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n < min)
		return false;
	*p += n;
	*value = v;
	return true;
}

/* "Nov" (any case) -> 0..11. */
static bool take_month(const char **p, int *month)
{
	for (int i = 0; i < 12; i++)
		if (ascii_ncasecmp(*p, months[i], 3) == 0) {
			*p += 3;
			*month = i;
			return true;
		}
	return false;
}

/* A day name: three letters ("Sun") or the full one ("Sunday"). */
static bool take_weekday(const char **p, bool full)
{
	static const char *const names[7] = { "Sunday", "Monday", "Tuesday",
		"Wednesday", "Thursday", "Friday", "Saturday" };
	for (int i = 0; i < 7; i++) {
		size_t n = full ? strlen(names[i]) : 3;
		if (ascii_ncasecmp(*p, names[i], n) == 0) {
			*p += n;
			return true;
		}
	}
	return false;
}

static bool take_time(const char **p, int *hh, int *mm, int *ss)
{
	return take_digits(p, 2, 2, hh) && take_char(p, ':') &&
		take_digits(p, 2, 2, mm) && take_char(p, ':') &&
		take_digits(p, 2, 2, ss);
}

/* Python ignores an If-Modified-Since that is not in UTC; so do we. */
static bool take_utc_zone(const char **p)
{
	static const char *const zones[] = { "GMT", "UTC", "UT", "+0000", "-0000" };
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (strcmp(*p, zones[i]) == 0) {
			*p += strlen(zones[i]);
			return true;
		}
	return false;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 1 && leap ? 29 : days[month];
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int httpdate_parse(const char *s, time_t *t)
{
	int day, month, year, hh, mm, ss;
	const char *p = s;
	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	bool ok = take_weekday(&p, false) && take_char(&p, ',') &&
		take_char(&p, ' ') && take_digits(&p, 2, 2, &day) &&
		take_char(&p, ' ') && take_month(&p, &month) &&
		take_char(&p, ' ') && take_digits(&p, 4, 4, &year) &&
		take_char(&p, ' ') && take_time(&p, &hh, &mm, &ss) &&
		take_char(&p, ' ') && take_utc_zone(&p);
	if (!ok) {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
		p = s;
		ok = take_weekday(&p, true) && take_char(&p, ',') &&
			take_char(&p, ' ') && take_digits(&p, 2, 2, &day) &&
			take_char(&p, '-') && take_month(&p, &month) &&
			take_char(&p, '-') && take_digits(&p, 2, 2, &year) &&
			take_char(&p, ' ') && take_time(&p, &hh, &mm, &ss) &&
			take_char(&p, ' ') && take_utc_zone(&p);
		if (ok)
			year += year < 70 ? 2000 : 1900;
	}
	if (!ok) {
		/* asctime: "Sun Nov  6 08:49:37 1994" */
		p = s;
		ok = take_weekday(&p, false) && take_char(&p, ' ') &&
			take_month(&p, &month) && take_char(&p, ' ') &&
			(take_char(&p, ' ') ? take_digits(&p, 1, 1, &day)
					    : take_digits(&p, 2, 2, &day)) &&
			take_char(&p, ' ') && take_time(&p, &hh, &mm, &ss) &&
			take_char(&p, ' ') && take_digits(&p, 4, 4, &year);
	}
	if (!ok || *p != '\0' || year < 1970 || day < 1 ||
	    day > days_in_month(year, month) || hh > 23 || mm > 59 || ss > 59)
		return -1;
	long long days = days_from_civil(year, month + 1, day);
	*t = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}
