#include "httpdate.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char weekdays[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void httpdate_format(time_t t, char buf[HTTPDATE_LEN])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, HTTPDATE_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 weekdays[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		 (tm.tm_year + 1900) % 10000, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void httpdate_format_log(time_t t, char *buf, size_t cap)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, cap, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday,
		 months[tm.tm_mon % 12], (tm.tm_year + 1900) % 10000,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int month_index(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, months[i], 3) == 0)
			return i;
	return -1;
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

static int utc_zone(const char *z)
{
	return strcmp(z, "GMT") == 0 || strcmp(z, "UTC") == 0 ||
		strcmp(z, "UT") == 0 || strcmp(z, "Z") == 0 ||
		strcmp(z, "+0000") == 0 || strcmp(z, "-0000") == 0;
}

int httpdate_parse(const char *s, time_t *t)
{
	char wday[16], mon[4], zone[8] = "GMT";
	int day, year, hh, mm, ss, n = 0;
	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (sscanf(s, "%15[A-Za-z], %2d %3s %4d %2d:%2d:%2d %7s%n", wday, &day,
		   mon, &year, &hh, &mm, &ss, zone, &n) == 8 && s[n] == '\0') {
	/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
	} else if (sscanf(s, "%15[A-Za-z], %2d-%3s-%4d %2d:%2d:%2d %7s%n", wday,
			  &day, mon, &year, &hh, &mm, &ss, zone, &n) == 8 &&
		   s[n] == '\0') {
		year += year < 70 ? 2000 : year < 100 ? 1900 : 0;
	/* asctime: Sun Nov  6 08:49:37 1994 */
	} else if (sscanf(s, "%15[A-Za-z] %3s %2d %2d:%2d:%2d %4d%n", wday, mon,
			  &day, &hh, &mm, &ss, &year, &n) == 7 && s[n] == '\0') {
	} else {
		return -1;
	}
	int m = month_index(mon);
	if (m < 0 || !utc_zone(zone) || day < 1 || day > 31 || hh > 23 ||
	    mm > 59 || ss > 60 || year < 1970 || year > 9999 || hh < 0 ||
	    mm < 0 || ss < 0)
		return -1;
	long long days = days_from_civil(year, m + 1, day);
	*t = (time_t)(days * 86400 + hh * 3600 + mm * 60 + ss);
	return 0;
}
