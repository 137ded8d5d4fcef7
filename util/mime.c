#include "mime.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mime-table.h"

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The name as Python's loops see it: a prefix of the caller's bytes, then
 * what suffix_map substitutions appended. The generator bounds both how
 * often the loop substitutes and how long a value is, so the tail is small
 * and nothing is allocated whatever the name.
 */
struct name {
	const char *head;
	size_t head_len;
	char tail[MIME_SUFFIX_DEPTH * MIME_SUFFIX_VALUE_MAX + 1];
	size_t tail_len;
};

static size_t name_len(const struct name *n)
{
	return n->head_len + n->tail_len;
}

static char name_at(const struct name *n, size_t i)
{
	return i < n->head_len ? n->head[i] : n->tail[i - n->head_len];
}

/* Keeps n[0..len): Python's "base". */
static void name_cut(struct name *n, size_t len)
{
	if (len >= n->head_len) {
		n->tail_len = len - n->head_len;
	} else {
		n->head_len = len;
		n->tail_len = 0;
	}
}

static bool name_append(struct name *n, const char *s)
{
	size_t len = strlen(s);

	/* Cannot fail: the generator sized the tail for the longest chain. */
	if (len > sizeof(n->tail) - n->tail_len)
		return false;
	memcpy(n->tail + n->tail_len, s, len);
	n->tail_len += len;
	return true;
}

/*
 * posixpath.splitext: where the extension starts, or the length if there is
 * none. It starts at the last '.', unless that '.' lies in a directory
 * ("a.d/b") or only dots precede it in the last component (".profile",
 * "..."); "a." has the extension ".".
 */
static size_t splitext(const struct name *n)
{
	size_t len = name_len(n), dot, i;

	for (dot = len; dot > 0; dot--) {
		char c = name_at(n, dot - 1);
		if (c == '/')
			return len;
		if (c == '.')
			break;
	}
	if (dot == 0)
		return len;
	dot--;
	for (i = dot; i > 0 && name_at(n, i - 1) != '/'; i--)
		if (name_at(n, i - 1) != '.')
			return dot;
	return len;
}

/*
 * The letter at n[i] that str.lower() turns from outside ASCII into ASCII
 * (the Kelvin sign lowers to 'k', so "x.\u212aSH" is a ".ksh"), as that
 * ASCII, with its length in *used; NULL if there is none.
 */
static const char *lower_to_ascii(const struct name *n, size_t i,
				  size_t *used)
{
	size_t len = name_len(n);

	for (size_t e = 0; e < NITEMS(mime_lower_map); e++) {
		const char *seq = mime_pool + mime_lower_map[e].key;
		size_t j = 0;

		while (seq[j] != '\0' && i + j < len &&
		       name_at(n, i + j) == seq[j])
			j++;
		if (seq[j] == '\0') {
			*used = j;
			return mime_pool + mime_lower_map[e].value;
		}
	}
	return NULL;
}

/*
 * Copies n[from..) into key, through str.lower() if lower: ASCII letters
 * and lower_to_ascii()'s are lowered, other bytes kept as they are, which
 * is exact while no key leaves ASCII (the generator warns if one does).
 * Returns false if the key is too long to match any.
 */
static bool make_key(char key[static MIME_KEY_MAX + 1],
		     const struct name *n, size_t from, bool lower)
{
	size_t len = name_len(n), k = 0, i = from;

	while (i < len) {
		char one[2] = { name_at(n, i), '\0' };
		const char *out = one, *ascii;
		size_t used = 1;

		if (lower && one[0] >= 'A' && one[0] <= 'Z')
			one[0] = (char)(one[0] - 'A' + 'a');
		else if (lower && (unsigned char)one[0] >= 0x80 &&
			 (ascii = lower_to_ascii(n, i, &used)) != NULL)
			out = ascii;
		for (; *out != '\0'; out++) {
			if (k == MIME_KEY_MAX)
				return false;
			key[k++] = *out;
		}
		i += used;
	}
	key[k] = '\0';
	return true;
}

static int compare(const void *key, const void *entry)
{
	const struct mime_entry *e = entry;

	return strcmp(key, mime_pool + e->key);
}

/* The extension n[from..) as the tables are looked up with: as it is,
 * and through str.lower(); a key too long for any table is NULL. Made
 * once for each extension, not once for each table. */
struct keys {
	char exact_key[MIME_KEY_MAX + 1], lower_key[MIME_KEY_MAX + 1];
	const char *exact, *lower;
};

static void make_keys(struct keys *k, const struct name *n, size_t from)
{
	k->exact = make_key(k->exact_key, n, from, false) ? k->exact_key : NULL;
	k->lower = make_key(k->lower_key, n, from, true) ? k->lower_key : NULL;
}

/* key in a table; NULL if it is not there. */
static const char *lookup(const struct mime_entry *table, size_t count,
			  const char *key)
{
	if (key == NULL)
		return NULL;
	const struct mime_entry *e =
		bsearch(key, table, count, sizeof(*table), compare);
	return e == NULL ? NULL : mime_pool + e->value;
}

#define LOOKUP(table, key) lookup(table, NITEMS(table), key)

/*
 * SimpleHTTPRequestHandler.guess_type, then mimetypes.guess_type, then the
 * default. Each step is one line of Python; the comments quote it.
 * Deliberately differs: no URL scheme is split off ("a:b.html"); Python's
 * handler passes an absolute path, where none can match, and ours a name.
 */
const char *guess_type(const char *path)
{
	struct name n = { .head = path, .head_len = strlen(path) };
	size_t ext = splitext(&n);
	struct keys k;
	const char *type, *suffix;

	make_keys(&k, &n, ext);
	/* if ext in self.extensions_map (as is, then ext.lower()) */
	if ((type = LOOKUP(mime_extensions_map, k.exact)) != NULL ||
	    (type = LOOKUP(mime_extensions_map, k.lower)) != NULL)
		return type;

	/* while ext.lower() in suffix_map: ".tgz" is ".tar.gz" */
	for (int i = 0; i < MIME_SUFFIX_DEPTH &&
	     (suffix = LOOKUP(mime_suffix_map, k.lower)) != NULL; i++) {
		name_cut(&n, ext);
		if (!name_append(&n, suffix))
			break;
		ext = splitext(&n);
		make_keys(&k, &n, ext);
	}

	/* encodings_map is case sensitive: ".gz" is stripped, ".GZ" not */
	if (LOOKUP(mime_encodings_map, k.exact) != NULL) {
		name_cut(&n, ext);
		ext = splitext(&n);
		make_keys(&k, &n, ext);
	}

	/* ext.lower() in types_map (strict) */
	if ((type = LOOKUP(mime_types_map, k.lower)) != NULL)
		return type;
	return "application/octet-stream";
}
