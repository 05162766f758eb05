/* The cite layer's hot loops compiled: the citations (find_citations, _bracket_citations),
   the bibliography split (split_entries, _pieces, _fill) and the inference of lost entry
   numbers from titles (_by_title with _Keys, _Contexts, _best_named).

   Why C: issue 5 bounds the values + cite layers to 10 % of the text layer, and in Python the
   cite layer alone spends about 120 µs on the sample article, most of it lower-casing the
   text before citations (to find an unnumbered entry's title there) and running small regexes
   per bracket and per bibliography entry. citations.py and bibliography.py stay the reference
   and the fallback; tests/test_cite_fast.py runs both and requires the same spans.

   The regexes are matched by hand, one function per pattern, each saying why its
   backtracking can end only one way. Nothing language-specific is written here beyond what
   those regexes spell out: the letters that open an entry, the quote marks and the
   lower-case mapping are handed over by bibliography.py (configure()), with the Entry and
   Citation classes the results are made as. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define AVX2_PATH 1 /* compiled for any x86-64, used where the CPU has AVX2 (HAVE_AVX2) */
static int HAVE_AVX2;
#endif

/* ------------------------------------------------------------------ handed-over tables */

/* str.lower() of one code point below LOWER_N, when it is one code point whatever the
   context; LOWER_ASK: ask Python (a longer mapping, or Σ, whose lower case depends on the
   next letter); LOWER_DROP: lower-cased it is a quote mark, which the contexts drop. */
#define LOWER_ASK 0xFFFFFFFFu
#define LOWER_DROP 0xFFFFFFFEu
static Py_UCS4 *LOWER;
static Py_ssize_t LOWER_N;

static Py_UCS4 QUOTES[16]; /* bibliography._QUOTES */
static int N_QUOTES;

static uint8_t *INITIALS; /* bitmap of [UPPER«]: what opens an entry glued to the previous */
static Py_UCS4 INITIALS_N;

static PyObject *ENTRY;             /* bibliography.Entry */
static PyObject *CITATION;          /* citations.Citation */

static int CONFIGURED;

static PyObject *S_NUMBER, *S_TITLE, *S_SOURCE, *S_ISSUE, *S_PAGES, *S_YEAR, *S_ATTRS;
static PyObject *S_START, *S_REF, *S_BRACKET, *S_INFERRED, *S_BY_TITLE, *S_LOWER;

/* ------------------------------------------------------------------ character classes */

static inline int is_space(Py_UCS4 c) { return Py_UNICODE_ISSPACE(c); } /* \s, str.strip() */

static inline int is_digit(Py_UCS4 c) { /* \d; int() reads the same digits */
    return c < 128 ? (c >= '0' && c <= '9') : Py_UNICODE_ISDECIMAL(c);
}

static inline int is_quote(Py_UCS4 c) {
    for (int i = 0; i < N_QUOTES; i++)
        if (QUOTES[i] == c) return 1;
    return 0;
}

static inline int is_initial(Py_UCS4 c) {
    return c < INITIALS_N && (INITIALS[c >> 3] >> (c & 7)) & 1;
}

/* ------------------------------------------------------------------ text and buffers */

typedef struct {
    PyObject *str;
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

#define CH(t, i) PyUnicode_READ((t)->kind, (t)->data, (i))

static void text_of(Text *t, PyObject *s) {
    t->str = s;
    t->kind = PyUnicode_KIND(s);
    t->data = PyUnicode_DATA(s);
    t->len = PyUnicode_GET_LENGTH(s);
}

typedef struct {
    Py_UCS4 *v;
    Py_ssize_t n, cap;
} Buf;

static int buf_reserve(Buf *b, Py_ssize_t more) {
    if (b->n + more <= b->cap) return 0;
    Py_ssize_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more) cap *= 2;
    Py_UCS4 *v = PyMem_Realloc(b->v, (size_t)cap * sizeof *v);
    if (v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->v = v, b->cap = cap;
    return 0;
}

static PyObject *or_none(PyObject *o) { /* `x or None` for a new str */
    if (o != NULL && PyUnicode_GET_LENGTH(o) == 0) {
        Py_DECREF(o);
        Py_RETURN_NONE;
    }
    return o;
}

/* the digits text[a:b] as int() reads them (at most three of them here) */
static long digits_value(Text *t, Py_ssize_t a, Py_ssize_t b) {
    long v = 0;
    for (Py_ssize_t i = a; i < b; i++) v = 10 * v + Py_UNICODE_TODECIMAL(CH(t, i));
    return v;
}

static Py_ssize_t skip_space(Text *t, Py_ssize_t i, Py_ssize_t end) {
    while (i < end && is_space(CH(t, i))) i++;
    return i;
}

static Py_ssize_t skip_digits(Text *t, Py_ssize_t i, Py_ssize_t end) {
    while (i < end && is_digit(CH(t, i))) i++;
    return i;
}

static Py_ssize_t find2(Text *t, Py_ssize_t a, Py_ssize_t b, Py_UCS4 c0, Py_UCS4 c1) {
    for (Py_ssize_t i = a; i + 1 < b; i++)
        if (CH(t, i) == c0 && CH(t, i + 1) == c1) return i;
    return -1;
}

/* str.strip(chars) of text[*a:*b] for a few ASCII or dash characters */
static void strip_chars(Text *t, Py_ssize_t *a, Py_ssize_t *b, const Py_UCS4 *chars) {
#define IN(c) ((c) == chars[0] || (c) == chars[1] || (c) == chars[2] || (c) == chars[3])
    while (*a < *b && IN(CH(t, *a))) (*a)++;
    while (*b > *a && IN(CH(t, *b - 1))) (*b)--;
#undef IN
}

static const Py_UCS4 TITLE_STRIP[4] = {' ', '.', 0x2013, 0x2014}; /* title.strip(" .–—") */
static const Py_UCS4 SOURCE_STRIP[4] = {' ', '.', ' ', '.'};      /* source.strip(" .") */

/* ------------------------------------------------------------------ the entry split */

typedef struct {
    Py_ssize_t a, b;
} Piece;

typedef struct {
    Piece *v;
    Py_ssize_t n, cap;
} Pieces;

static int push(Pieces *p, Py_ssize_t a, Py_ssize_t b) {
    if (p->n == p->cap) {
        Py_ssize_t cap = p->cap ? 2 * p->cap : 32;
        Piece *v = PyMem_Realloc(p->v, (size_t)cap * sizeof *v);
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        p->v = v, p->cap = cap;
    }
    p->v[p->n].a = a, p->v[p->n].b = b, p->n++;
    return 0;
}

/* The look-ahead of _BREAK at i: (?=\d{1,3}\.?[^\S\n]+[UPPER«]), seeing nothing past end.
   One way only: giving back a digit, the dot or a space leaves a digit, dot or space where
   the next item needs something else. */
static int glued_entry_at(Text *t, Py_ssize_t i, Py_ssize_t end) {
    Py_ssize_t q = i;
    while (q < end && q - i < 3 && is_digit(CH(t, q))) q++;
    if (q == i) return 0;
    if (q < end && CH(t, q) == '.') q++;
    Py_ssize_t r = q;
    while (r < end && CH(t, r) != '\n' && is_space(CH(t, r))) r++;
    return r > q && r < end && is_initial(CH(t, r));
}

/* _pieces: the lines of text[start:end], cut again where an entry is glued after a dot.
   _BREAK = \n|\.([^\S\n]*)(?=...): the gap is taken whole (a shorter gap leaves a space
   where the look-ahead wants a digit); the piece keeps the dot, the next starts after the
   gap, where the scan goes on. */
static int _pieces(Text *t, Py_ssize_t start, Py_ssize_t end, Pieces *out) {
    Py_ssize_t cut = start, p = start;
    while (p < end) {
        Py_UCS4 c = CH(t, p);
        if (c == '\n') {
            if (push(out, cut, p) < 0) return -1;
            cut = ++p;
            continue;
        }
        if (c == '.') {
            Py_ssize_t g = p + 1;
            while (g < end && CH(t, g) != '\n' && is_space(CH(t, g))) g++;
            if (glued_entry_at(t, g, end)) {
                if (push(out, cut, p + 1) < 0) return -1;
                cut = p = g;
                continue;
            }
        }
        p++;
    }
    return push(out, cut, end);
}

/* _NUMBER.match at a: (\d{1,3})[.)]?\s+ ; the end of the match, or -1. One way only: a
   shorter number leaves a digit where [.)] or a space is wanted. */
static Py_ssize_t number_match(Text *t, Py_ssize_t a, Py_ssize_t end, Py_ssize_t *digits_end) {
    Py_ssize_t q = a;
    while (q < end && q - a < 3 && is_digit(CH(t, q))) q++;
    if (q == a) return -1;
    *digits_end = q;
    if (q < end && (CH(t, q) == '.' || CH(t, q) == ')')) q++;
    Py_ssize_t r = skip_space(t, q, end);
    return r > q ? r : -1;
}

/* _SOURCE_END.search(after): \.\s*[–—]|\.\s*$|,\s ; where it starts, or b. The spaces are
   taken whole: a dash or the end is what follows them, never a space. */
static Py_ssize_t source_end(Text *t, Py_ssize_t a, Py_ssize_t b) {
    for (Py_ssize_t q = a; q < b; q++) {
        Py_UCS4 c = CH(t, q);
        if (c == '.') {
            Py_ssize_t r = skip_space(t, q + 1, b);
            if (r == b || CH(t, r) == 0x2013 || CH(t, r) == 0x2014) return q;
        } else if (c == ',' && q + 1 < b && is_space(CH(t, q + 1))) {
            return q;
        }
    }
    return b;
}

/* _PUB_DASH.search: \s[–—]\s ; where it starts, or -1 */
static Py_ssize_t pub_dash(Text *t, Py_ssize_t a, Py_ssize_t b) {
    for (Py_ssize_t q = a; q + 2 < b; q++) {
        Py_UCS4 d = CH(t, q + 1);
        if ((d == 0x2013 || d == 0x2014) && is_space(CH(t, q)) && is_space(CH(t, q + 2))) return q;
    }
    return -1;
}

/* _ISSUE.search(rest).group().replace(" ", ""): №\s?\d+(?:[-–/]\d+)? ; None when absent.
   One way only: without the space a space stands where a digit is wanted; the digits are
   taken whole and the range after them when a digit follows its dash. */
static PyObject *issue_of(Text *t, Py_ssize_t a, Py_ssize_t b) {
    for (Py_ssize_t q = a; q < b; q++) {
        if (CH(t, q) != 0x2116) continue;
        Py_ssize_t r = q + 1, gap = -1;
        if (r + 1 < b && is_space(CH(t, r)) && is_digit(CH(t, r + 1))) gap = r++;
        if (!(r < b && is_digit(CH(t, r)))) continue;
        r = skip_digits(t, r, b);
        if (r + 1 < b) {
            Py_UCS4 d = CH(t, r);
            if ((d == '-' || d == 0x2013 || d == '/') && is_digit(CH(t, r + 1))) r = skip_digits(t, r + 1, b);
        }
        if (gap < 0 || CH(t, gap) != ' ') return PyUnicode_Substring(t->str, q, r);
        PyObject *head = PyUnicode_Substring(t->str, q, gap);
        PyObject *tail = head ? PyUnicode_Substring(t->str, gap + 1, r) : NULL;
        PyObject *out = tail ? PyUnicode_Concat(head, tail) : NULL;
        Py_XDECREF(head);
        Py_XDECREF(tail);
        return out;
    }
    Py_RETURN_NONE;
}

/* The page marks of _PAGES, (?:бб?|бет|с|сс|p|pp)\. : does one start at q? */
static int page_mark_at(Text *t, Py_ssize_t q, Py_ssize_t b) {
    static const Py_UCS4 marks[][4] = {
        {0x431, 0x431, '.', 0}, {0x431, '.', 0, 0}, {0x431, 0x435, 0x442, '.'},
        {0x441, '.', 0, 0}, {0x441, 0x441, '.', 0}, {'p', '.', 0, 0}, {'p', 'p', '.', 0},
    };
    for (size_t m = 0; m < sizeof marks / sizeof *marks; m++) {
        Py_ssize_t k = 0;
        while (k < 4 && marks[m][k] && q + k < b && CH(t, q + k) == marks[m][k]) k++;
        if (k == 4 || !marks[m][k]) return 1;
    }
    return 0;
}

/* _PAGES.search(body) with _RANGE_DASH.sub("-", group 1):
   [–—-]\s*(\d+(?:\s*[-–]\s*\d+)?)\s*(?:бб?|бет|с|сс|p|pp)\.
   One way only: every run of spaces or digits is followed by something that is neither, and
   when the range group has read a dash, dropping the group leaves that dash where a page mark
   is wanted. */
static PyObject *pages_of(Text *t, Py_ssize_t a, Py_ssize_t b) {
    for (Py_ssize_t q = a; q < b; q++) {
        Py_UCS4 c = CH(t, q);
        if (c != '-' && c != 0x2013 && c != 0x2014) continue;
        Py_ssize_t d1 = skip_space(t, q + 1, b);
        if (!(d1 < b && is_digit(CH(t, d1)))) continue;
        Py_ssize_t d1e = skip_digits(t, d1, b), d2 = -1, d2e = -1, r = d1e;
        Py_ssize_t g = skip_space(t, d1e, b);
        if (g < b && (CH(t, g) == '-' || CH(t, g) == 0x2013)) {
            Py_ssize_t h = skip_space(t, g + 1, b);
            if (h < b && is_digit(CH(t, h))) d2 = h, d2e = r = skip_digits(t, h, b);
        }
        if (!page_mark_at(t, skip_space(t, r, b), b)) continue;
        if (d2 < 0) return PyUnicode_Substring(t->str, d1, d1e);
        /* digits, "-", digits; made with its true widest character, as every str must be
           (strs of different widths never compare equal) */
        Py_UCS4 top = '-';
        for (Py_ssize_t i = d1; i < d2e; i++)
            if ((i < d1e || i >= d2) && CH(t, i) > top) top = CH(t, i);
        PyObject *out = PyUnicode_New(d1e - d1 + 1 + d2e - d2, top);
        if (out == NULL) return NULL;
        int kind = PyUnicode_KIND(out);
        void *data = PyUnicode_DATA(out);
        Py_ssize_t k = 0;
        for (Py_ssize_t i = d1; i < d1e; i++) PyUnicode_WRITE(kind, data, k++, CH(t, i));
        PyUnicode_WRITE(kind, data, k++, '-');
        for (Py_ssize_t i = d2; i < d2e; i++) PyUnicode_WRITE(kind, data, k++, CH(t, i));
        return out;
    }
    Py_RETURN_NONE;
}

/* _YEAR.search(rest): (?:1(?<!\d.)[6-9]\d|2(?<!\d.)0[0-4])\d(?!\d) in text[a:b] (a slice:
   nothing before a or after b is seen); int() of it, or None. */
static PyObject *year_of(Text *t, Py_ssize_t a, Py_ssize_t b) {
    for (Py_ssize_t q = a; q + 3 < b; q++) {
        Py_UCS4 c0 = CH(t, q), c1 = CH(t, q + 1), c2 = CH(t, q + 2), c3 = CH(t, q + 3);
        int head = (c0 == '1' && c1 >= '6' && c1 <= '9' && is_digit(c2))
                   || (c0 == '2' && c1 == '0' && c2 >= '0' && c2 <= '4');
        if (!head || !is_digit(c3)) continue;
        if (q > a && is_digit(CH(t, q - 1))) continue;
        if (q + 4 < b && is_digit(CH(t, q + 4))) continue;
        return PyLong_FromLong(1000 * (long)(c0 - '0') + 100 * (long)(c1 - '0')
                               + 10 * Py_UNICODE_TODECIMAL(c2) + Py_UNICODE_TODECIMAL(c3));
    }
    Py_RETURN_NONE;
}

/* _fill: the entry text[a:b] (stripped) -> its number (new ref) and attrs (new ref) */
static PyObject *_fill(Text *t, Py_ssize_t a, Py_ssize_t b, PyObject **number) {
    Py_ssize_t body = a, digits_end;
    Py_ssize_t m = number_match(t, a, b, &digits_end);
    *number = NULL;
    if (m >= 0) {
        *number = PyLong_FromLong(digits_value(t, a, digits_end));
        body = m;
    } else {
        *number = Py_NewRef(Py_None);
    }
    if (*number == NULL) return NULL;
    Py_ssize_t title_end, rest;
    PyObject *source = NULL;
    Py_ssize_t cut = find2(t, body, b, '/', '/');
    if (cut >= 0) { /* `Title // Source. – №7.` */
        title_end = cut, rest = cut + 2;
        Py_ssize_t sa = skip_space(t, rest, b), sb = b;
        while (sb > sa && is_space(CH(t, sb - 1))) sb--;
        sb = source_end(t, sa, sb);
        strip_chars(t, &sa, &sb, SOURCE_STRIP);
        source = or_none(PyUnicode_Substring(t->str, sa, sb));
    } else if ((cut = find2(t, body, b, ' ', '/')) >= 0) { /* `Title /Responsible body` */
        title_end = cut, rest = cut + 2;
        source = Py_NewRef(Py_None);
    } else { /* `Title. – 552 б.` */
        Py_ssize_t dash = pub_dash(t, body, b);
        title_end = dash >= 0 ? dash : b;
        rest = dash >= 0 ? dash + 3 : b;
        source = Py_NewRef(Py_None);
    }
    Py_ssize_t ta = body, tb = title_end;
    strip_chars(t, &ta, &tb, TITLE_STRIP);
    PyObject *title = source ? or_none(PyUnicode_Substring(t->str, ta, tb)) : NULL;
    PyObject *issue = title ? issue_of(t, rest, b) : NULL;
    PyObject *pages = issue ? pages_of(t, body, b) : NULL;
    PyObject *year = pages ? year_of(t, rest, b) : NULL;
    PyObject *attrs = year ? PyDict_New() : NULL;
    if (attrs != NULL
        && (PyDict_SetItem(attrs, S_NUMBER, *number) < 0 || PyDict_SetItem(attrs, S_TITLE, title) < 0
            || PyDict_SetItem(attrs, S_SOURCE, source) < 0 || PyDict_SetItem(attrs, S_ISSUE, issue) < 0
            || PyDict_SetItem(attrs, S_PAGES, pages) < 0 || PyDict_SetItem(attrs, S_YEAR, year) < 0))
        Py_CLEAR(attrs);
    Py_XDECREF(source);
    Py_XDECREF(title);
    Py_XDECREF(issue);
    Py_XDECREF(pages);
    Py_XDECREF(year);
    if (attrs == NULL) Py_CLEAR(*number);
    return attrs;
}

/* split_entries(text, start, end) -> [Entry]: one per line, a line opening with a dash, № or
   a lower-case letter continuing the previous entry. */
static PyObject *split_entries(PyObject *self, PyObject *args) {
    PyObject *str;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "Unn:split_entries", &str, &start, &end)) return NULL;
    if (!CONFIGURED) {
        PyErr_SetString(PyExc_RuntimeError, "_cite.configure() was not called");
        return NULL;
    }
    if (start < 0) {
        PyErr_SetString(PyExc_ValueError, "split_entries(): start must not be negative");
        return NULL;
    }
    Text t;
    text_of(&t, str);
    if (end > t.len) end = t.len;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    if (start >= end) return out;
    Pieces pieces = {0}, entries = {0};
    if (_pieces(&t, start, end, &pieces) < 0) goto fail;
    for (Py_ssize_t k = 0; k < pieces.n; k++) {
        Py_ssize_t a = skip_space(&t, pieces.v[k].a, pieces.v[k].b), b = pieces.v[k].b;
        while (b > a && is_space(CH(&t, b - 1))) b--;
        if (a == b) continue;
        Py_UCS4 c = CH(&t, a);
        if (entries.n && (c == 0x2013 || c == 0x2014 || c == '-' || c == 0x2116 || Py_UNICODE_ISLOWER(c))) {
            entries.v[entries.n - 1].b = b;
            continue;
        }
        if (push(&entries, a, b) < 0) goto fail;
    }
    for (Py_ssize_t k = 0; k < entries.n; k++) {
        Py_ssize_t a = entries.v[k].a, b = entries.v[k].b;
        PyObject *number, *attrs = _fill(&t, a, b, &number);
        if (attrs == NULL) goto fail;
        /* Entry(start, end, text[start:end], number, None, attrs) */
        PyObject *argv[6] = {PyLong_FromSsize_t(a), PyLong_FromSsize_t(b), PyUnicode_Substring(str, a, b), number,
                             Py_None, attrs};
        PyObject *entry = argv[0] && argv[1] && argv[2] ? PyObject_Vectorcall(ENTRY, argv, 6, NULL) : NULL;
        Py_XDECREF(argv[0]);
        Py_XDECREF(argv[1]);
        Py_XDECREF(argv[2]);
        Py_DECREF(number);
        Py_DECREF(attrs);
        if (entry == NULL || PyList_Append(out, entry) < 0) {
            Py_XDECREF(entry);
            goto fail;
        }
        Py_DECREF(entry);
    }
    PyMem_Free(pieces.v);
    PyMem_Free(entries.v);
    return out;
fail:
    PyMem_Free(pieces.v);
    PyMem_Free(entries.v);
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ lower case, no quotes */

/* Appends _unquoted(text[a:b].lower()) to out. Code points the table knows are mapped here;
   a stretch with any other (Greek Σ, İ, scripts past the table) is lower-cased by Python. */
static int append_lowered(Buf *out, Text *t, Py_ssize_t a, Py_ssize_t b) {
    if (a >= b) return 0;
    if (buf_reserve(out, b - a) < 0) return -1;
    Py_UCS4 *w = out->v + out->n;
#define LOWER_LOOP(type)                                  \
    {                                                     \
        const type *p = (const type *)t->data;            \
        for (Py_ssize_t i = a; i < b; i++) {              \
            Py_UCS4 c = p[i];                             \
            if (c >= (Py_UCS4)LOWER_N) goto ask;          \
            Py_UCS4 l = LOWER[c];                         \
            if (l < LOWER_DROP) *w++ = l;                 \
            else if (l == LOWER_ASK) goto ask;            \
        }                                                 \
    }
    switch (t->kind) {
    case PyUnicode_1BYTE_KIND: LOWER_LOOP(Py_UCS1) break;
    case PyUnicode_2BYTE_KIND: LOWER_LOOP(Py_UCS2) break;
    default: LOWER_LOOP(Py_UCS4) break;
    }
#undef LOWER_LOOP
    out->n = w - out->v;
    return 0;
ask:;
    PyObject *part = PyUnicode_Substring(t->str, a, b);
    PyObject *low = part ? PyObject_CallMethodNoArgs(part, S_LOWER) : NULL;
    Py_XDECREF(part);
    if (low == NULL) return -1;
    if (!PyUnicode_Check(low)) {
        Py_DECREF(low);
        PyErr_SetString(PyExc_TypeError, "lower() did not return a str");
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(low);
    if (buf_reserve(out, n) < 0) {
        Py_DECREF(low);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(low, i);
        if (!is_quote(c)) out->v[out->n++] = c;
    }
    Py_DECREF(low);
    return 0;
}

/* _flat(s): " ".join(_unquoted(s.lower()).split()), into out */
static int _flat(PyObject *s, Buf *out) {
    Text t;
    text_of(&t, s);
    if (append_lowered(out, &t, 0, t.len) < 0) return -1;
    Py_ssize_t n = 0; /* the words moved left in place, one space between them */
    int gap = 0;
    for (Py_ssize_t i = 0; i < out->n; i++) {
        if (is_space(out->v[i])) {
            gap = 1;
            continue;
        }
        if (gap && n) out->v[n++] = ' ';
        gap = 0;
        out->v[n++] = out->v[i];
    }
    out->n = n;
    return 0;
}

#ifdef AVX2_PATH
/* contains() eight starts at a time: i, where it stopped, or -1 when it found the needle */
__attribute__((target("avx2"))) static Py_ssize_t contains_avx2(const Py_UCS4 *h, Py_ssize_t last,
                                                                const Py_UCS4 *needle, Py_ssize_t m) {
    __m256i f = _mm256_set1_epi32((int)needle[0]), l = _mm256_set1_epi32((int)needle[m - 1]);
    size_t size = (size_t)m * sizeof *needle;
    Py_ssize_t i = 0;
    for (; i + 7 <= last; i += 8) {
        __m256i at = _mm256_loadu_si256((const __m256i *)(h + i));
        __m256i end = _mm256_loadu_si256((const __m256i *)(h + i + m - 1));
        __m256i both = _mm256_and_si256(_mm256_cmpeq_epi32(at, f), _mm256_cmpeq_epi32(end, l));
        for (int mask = _mm256_movemask_ps(_mm256_castsi256_ps(both)); mask; mask &= mask - 1)
            if (memcmp(h + i + __builtin_ctz((unsigned)mask), needle, size) == 0) return -1;
    }
    return i;
}
#endif

/* `needle in hay` for code point arrays, as Python's `in` for strs */
static int contains(const Buf *hay, const Py_UCS4 *needle, Py_ssize_t m) {
    const Py_UCS4 *h = hay->v;
    Py_ssize_t n = hay->n, i = 0, last = n - m; /* the last place the needle can start */
    if (m == 0) return 1;
    if (m > n) return 0;
    Py_UCS4 first = needle[0], final = needle[m - 1];
    size_t size = (size_t)m * sizeof *needle;
#ifdef AVX2_PATH
    if (HAVE_AVX2 && (i = contains_avx2(h, last, needle, m)) < 0) return 1;
#endif
#if defined(__SSE2__)
    /* Four starts at a time: the needle's first and last code points must both be there
       (Muła's SIMD-friendly substring scan); a candidate is then compared whole. About five
       times faster than CPython's `in` on the contexts, whose searches mostly fail. */
    __m128i f = _mm_set1_epi32((int)first), l = _mm_set1_epi32((int)final);
    for (; i + 3 <= last; i += 4) {
        __m128i at = _mm_loadu_si128((const __m128i *)(h + i));
        __m128i end = _mm_loadu_si128((const __m128i *)(h + i + m - 1));
        __m128i both = _mm_and_si128(_mm_cmpeq_epi32(at, f), _mm_cmpeq_epi32(end, l));
        for (int mask = _mm_movemask_ps(_mm_castsi128_ps(both)); mask; mask &= mask - 1)
            if (memcmp(h + i + __builtin_ctz((unsigned)mask), needle, size) == 0) return 1;
    }
#endif
    for (; i <= last; i++)
        if (h[i] == first && h[i + m - 1] == final && memcmp(h + i, needle, size) == 0) return 1;
    return 0;
}

/* _Keys: what of an unnumbered entry is looked for before a citation */
typedef struct {
    Buf title, source; /* flat, maybe empty */
    Pieces stems;      /* where in the title: the first five letters of its longer words */
    int tiers[3], n_tiers;
} Keys;

static void keys_clear(Keys *k) {
    PyMem_Free(k->title.v);
    PyMem_Free(k->source.v);
    PyMem_Free(k->stems.v);
    memset(k, 0, sizeof *k);
}

static int flat_field(PyObject *attrs, PyObject *key, Buf *out) { /* _flat(attrs.get(key) or "") */
    PyObject *v = PyDict_GetItemWithError(attrs, key);
    if (v == NULL && PyErr_Occurred()) return -1;
    if (v == NULL || v == Py_None) return 0;
    if (!PyUnicode_Check(v)) {
        PyErr_Format(PyExc_TypeError, "entry %R must be a str or None", key);
        return -1;
    }
    return _flat(v, out);
}

/* _Keys.of(entry) */
static int keys_of(Keys *k, PyObject *entry) {
    PyObject *attrs = PyObject_GetAttr(entry, S_ATTRS);
    if (attrs == NULL) return -1;
    if (!PyDict_Check(attrs)) {
        Py_DECREF(attrs);
        PyErr_SetString(PyExc_TypeError, "entry attrs must be a dict");
        return -1;
    }
    int r = flat_field(attrs, S_TITLE, &k->title) < 0 || flat_field(attrs, S_SOURCE, &k->source) < 0;
    Py_DECREF(attrs);
    if (r) return -1;
    /* stems: w[:5] for the words w of the title with len(w) >= 4 and w.isalpha() */
    const Py_UCS4 *w = k->title.v;
    Py_ssize_t n = k->title.n;
    for (Py_ssize_t i = 0; i < n;) {
        Py_ssize_t j = i;
        int alpha = 1;
        for (; j < n && w[j] != ' '; j++)
            if (!Py_UNICODE_ISALPHA(w[j])) alpha = 0;
        if (j - i >= 4 && alpha && push(&k->stems, i, i + 5 < j ? i + 5 : j) < 0) return -1;
        i = j + 1;
    }
    if (n) k->tiers[k->n_tiers++] = 3;
    if (k->stems.n >= 2) k->tiers[k->n_tiers++] = 2;
    if (k->source.n) k->tiers[k->n_tiers++] = 1;
    return 0;
}

/* _Keys.most_stems_in: at least 75 % of the stems are in ctx */
static int most_stems_in(Keys *k, const Buf *ctx) {
    Py_ssize_t missing = 0;
    for (Py_ssize_t i = 0; i < k->stems.n; i++) {
        const Piece *stem = &k->stems.v[i];
        if (!contains(ctx, k->title.v + stem->a, stem->b - stem->a) && 4 * ++missing > k->stems.n) return 0;
    }
    return 1;
}

/* _Contexts: per reference, the text its citations close, lower case, no quotes; made on
   first use */
typedef struct {
    Text *t;
    Py_ssize_t n_cites, n_refs;
    Py_ssize_t *start, *prev_end; /* per citation: its start, the previous one's bracket end */
    long *ref;                    /* per citation */
    long *refs;                   /* the distinct references, sorted */
    Buf *made;                    /* per distinct reference */
    char *is_made;
} Contexts;

static int cmp_long(const void *x, const void *y) {
    long a = *(const long *)x, b = *(const long *)y;
    return (a > b) - (a < b);
}

static long as_long(PyObject *o, const char *what) {
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int", what);
        return -1;
    }
    return PyLong_AsLong(o);
}

static Py_ssize_t as_index(PyObject *o, const char *what) {
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int", what);
        return -1;
    }
    return PyLong_AsSsize_t(o);
}

static int contexts_init(Contexts *c, Text *t, PyObject *cites) {
    Py_ssize_t m = PyList_GET_SIZE(cites);
    c->t = t, c->n_cites = m;
    c->start = PyMem_Calloc((size_t)m + 1, sizeof *c->start);
    c->prev_end = PyMem_Calloc((size_t)m + 1, sizeof *c->prev_end);
    c->ref = PyMem_Calloc((size_t)m + 1, sizeof *c->ref);
    c->refs = PyMem_Calloc((size_t)m + 1, sizeof *c->refs);
    c->made = PyMem_Calloc((size_t)m + 1, sizeof *c->made);
    c->is_made = PyMem_Calloc((size_t)m + 1, 1);
    if (!c->start || !c->prev_end || !c->ref || !c->refs || !c->made || !c->is_made) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t bracket_end = 0; /* the previous citation's */
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *cite = PyList_GET_ITEM(cites, k), *v;
        c->prev_end[k] = bracket_end;
        if ((v = PyObject_GetAttr(cite, S_START)) == NULL) return -1;
        c->start[k] = as_index(v, "Citation.start");
        Py_DECREF(v);
        if (c->start[k] == -1 && PyErr_Occurred()) return -1;
        if ((v = PyObject_GetAttr(cite, S_REF)) == NULL) return -1;
        c->ref[k] = as_long(v, "Citation.ref");
        Py_DECREF(v);
        if (c->ref[k] == -1 && PyErr_Occurred()) return -1;
        if ((v = PyObject_GetAttr(cite, S_BRACKET)) == NULL) return -1;
        PyObject *b = PySequence_GetItem(v, 1);
        Py_DECREF(v);
        if (b == NULL) return -1;
        bracket_end = as_index(b, "Citation.bracket[1]");
        Py_DECREF(b);
        if (bracket_end == -1 && PyErr_Occurred()) return -1;
        c->refs[k] = c->ref[k];
    }
    qsort(c->refs, (size_t)m, sizeof *c->refs, cmp_long);
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < m; k++)
        if (!n || c->refs[n - 1] != c->refs[k]) c->refs[n++] = c->refs[k];
    c->n_refs = n;
    return 0;
}

static void contexts_clear(Contexts *c) {
    if (c->made)
        for (Py_ssize_t i = 0; i < c->n_refs; i++) PyMem_Free(c->made[i].v);
    PyMem_Free(c->start);
    PyMem_Free(c->prev_end);
    PyMem_Free(c->ref);
    PyMem_Free(c->refs);
    PyMem_Free(c->made);
    PyMem_Free(c->is_made);
}

/* _Contexts.of(ref), ref given by its index among the distinct references */
static const Buf *context_of(Contexts *c, Py_ssize_t r) {
    Buf *b = &c->made[r];
    if (c->is_made[r]) return b;
    int first = 1;
    for (Py_ssize_t k = 0; k < c->n_cites; k++) {
        if (c->ref[k] != c->refs[r]) continue;
        if (!first) { /* " | ".join */
            if (buf_reserve(b, 3) < 0) return NULL;
            b->v[b->n++] = ' ', b->v[b->n++] = '|', b->v[b->n++] = ' ';
        }
        first = 0;
        /* _window: text[max(prev_end, start - 2000) : start], as a slice */
        Py_ssize_t hi = c->start[k], lo = c->prev_end[k] > hi - 2000 ? c->prev_end[k] : hi - 2000;
        if (hi > c->t->len) hi = c->t->len;
        if (hi < 0) hi += c->t->len, hi = hi < 0 ? 0 : hi;
        if (lo < 0) lo += c->t->len, lo = lo < 0 ? 0 : lo;
        if (append_lowered(b, c->t, lo, hi) < 0) return NULL;
    }
    c->is_made[r] = 1;
    return b;
}

/* _best_named: how many candidates (indexes among the distinct references) name the entry
   at the best tier any reaches, and the first of them. Counting stops at two: the caller
   only tells none, one and several apart (contexts are made lazily, so this changes no
   result). */
static int _best_named(Keys *k, Contexts *c, Py_ssize_t *cands, Py_ssize_t n, Py_ssize_t *hit) {
    for (int ti = 0; ti < k->n_tiers; ti++) {
        int hits = 0;
        for (Py_ssize_t i = 0; i < n && hits < 2; i++) {
            const Buf *ctx = context_of(c, cands[i]);
            if (ctx == NULL) return -1;
            int r;
            if (k->tiers[ti] == 3) r = contains(ctx, k->title.v, k->title.n);
            else if (k->tiers[ti] == 2) r = most_stems_in(k, ctx);
            else r = contains(ctx, k->source.v, k->source.n);
            if (r && !hits++) *hit = cands[i];
        }
        if (hits) return hits;
    }
    return 0;
}

#define NO_NUMBER LONG_MIN

/* _upper_bounds: for each entry, the smallest number after it (10**6 when there is none) */
static void _upper_bounds(const long *numbers, Py_ssize_t n, long *out) {
    long least = NO_NUMBER;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        out[i] = least == NO_NUMBER ? 1000000 : least;
        if (numbers[i] != NO_NUMBER && (least == NO_NUMBER || numbers[i] < least)) least = numbers[i];
    }
}

static int taken(const long *numbers, Py_ssize_t n, long r) {
    for (Py_ssize_t i = 0; i < n; i++)
        if (numbers[i] == r) return 1;
    return 0;
}

/* _by_title(entries, cites, text): passes over the unnumbered entries until a pass gives no
   number; an entry takes the candidate reference (between its numbered neighbours, not
   taken) whose context names it at the best tier, if no other does. Sets entry.number and
   entry.inferred = "title" as the Python one does. */
static PyObject *_by_title(PyObject *self, PyObject *args) {
    PyObject *entries, *cites, *str;
    if (!PyArg_ParseTuple(args, "O!O!U:_by_title", &PyList_Type, &entries, &PyList_Type, &cites, &str)) return NULL;
    if (!CONFIGURED) {
        PyErr_SetString(PyExc_RuntimeError, "_cite.configure() was not called");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(entries);
    if (PyList_GET_SIZE(cites) == 0 || n == 0) Py_RETURN_NONE;
    Text t;
    text_of(&t, str);
    PyObject *result = NULL;
    Contexts c = {0};
    long *numbers = PyMem_Calloc((size_t)n, sizeof *numbers);
    long *upper = PyMem_Calloc((size_t)n, sizeof *upper);
    Keys *keys = PyMem_Calloc((size_t)n, sizeof *keys);
    Py_ssize_t *cands = NULL;
    if (!numbers || !upper || !keys) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t active = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyObject_GetAttr(PyList_GET_ITEM(entries, i), S_NUMBER);
        if (v == NULL) goto done;
        numbers[i] = v == Py_None ? NO_NUMBER : as_long(v, "Entry.number");
        Py_DECREF(v);
        if (numbers[i] == -1 && PyErr_Occurred()) goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (numbers[i] != NO_NUMBER) continue;
        if (keys_of(&keys[i], PyList_GET_ITEM(entries, i)) < 0) goto done;
        active += keys[i].n_tiers > 0;
    }
    if (contexts_init(&c, &t, cites) < 0) goto done;
    cands = PyMem_Calloc((size_t)c.n_refs + 1, sizeof *cands);
    if (cands == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    while (active) {
        int changed = 0;
        _upper_bounds(numbers, n, upper);
        long lower = 0; /* the largest number before the entry, given in this pass or not */
        for (Py_ssize_t i = 0; i < n; i++) {
            if (keys[i].n_tiers) {
                Py_ssize_t nc = 0, hit = -1;
                for (Py_ssize_t r = 0; r < c.n_refs; r++)
                    if (lower < c.refs[r] && c.refs[r] < upper[i] && !taken(numbers, n, c.refs[r])) cands[nc++] = r;
                int hits = _best_named(&keys[i], &c, cands, nc, &hit);
                if (hits < 0) goto done;
                if (hits == 1) {
                    PyObject *e = PyList_GET_ITEM(entries, i), *num = PyLong_FromLong(c.refs[hit]);
                    int bad = num == NULL || PyObject_SetAttr(e, S_NUMBER, num) < 0
                              || PyObject_SetAttr(e, S_INFERRED, S_BY_TITLE) < 0;
                    Py_XDECREF(num);
                    if (bad) goto done;
                    numbers[i] = c.refs[hit];
                    changed = 1;
                }
                if (hits < 2) { /* numbered now, or named by no candidate */
                    keys_clear(&keys[i]);
                    active--;
                }
            }
            if (numbers[i] != NO_NUMBER && numbers[i] > lower) lower = numbers[i];
        }
        if (!changed) break;
    }
    result = Py_NewRef(Py_None);
done:
    if (keys)
        for (Py_ssize_t i = 0; i < n; i++) keys_clear(&keys[i]);
    contexts_clear(&c);
    PyMem_Free(keys);
    PyMem_Free(numbers);
    PyMem_Free(upper);
    PyMem_Free(cands);
    return result;
}

/* ------------------------------------------------------------------ citations */

/* PART_RE's page marks, _PAGE_MARK = (?:бб|б|бет|беттер|с|сс|p|pp|стр), in its order */
static const Py_UCS4 PART_MARKS[][7] = {
    {0x431, 0x431}, {0x431}, {0x431, 0x435, 0x442}, {0x431, 0x435, 0x442, 0x442, 0x435, 0x440},
    {0x441}, {0x441, 0x441}, {'p'}, {'p', 'p'}, {0x441, 0x442, 0x440},
};
#define N_PART_MARKS (sizeof PART_MARKS / sizeof *PART_MARKS)

static Py_ssize_t mark_len(const Py_UCS4 *mark) {
    Py_ssize_t n = 0;
    while (n < 7 && mark[n]) n++;
    return n;
}

static int starts_with(Text *t, Py_ssize_t q, Py_ssize_t b, const Py_UCS4 *s, Py_ssize_t n) {
    if (q + n > b) return 0;
    for (Py_ssize_t k = 0; k < n; k++)
        if (CH(t, q + k) != s[k]) return 0;
    return 1;
}

/* PART_RE.fullmatch(text[a:b]):
     \s*(\d{1,3})\s*(?:,\s*(?:(?:т|том)\.?\s*\d+\s*,\s*)?(?:PM\.\s*)?
     (\d+(?:\s*[-–]\s*\d+)?)\s*(?:-?\s*PM\.?)?)?\s*
   -> 1 with *ref and the pages group's bounds (d2 < 0: no range; d1 < 0: no pages), or 0.
   Up to the pages every choice can be made one way only: each run of spaces or digits is
   followed by something else, `т` fails where `том` is written, one page mark at most is
   followed by a dot, and giving back the volume, the page mark before the pages or the range
   leaves a letter or a dash where a digit is wanted (so the groups never change). After the
   pages, the regex only decides whether the rest can be read: every page mark is tried. */
static int part_match(Text *t, Py_ssize_t a, Py_ssize_t b, long *ref, Py_ssize_t pages[4]) {
    Py_ssize_t i = skip_space(t, a, b), j = skip_digits(t, i, b);
    if (j == i || j - i > 3) return 0;
    *ref = digits_value(t, i, j);
    pages[0] = pages[2] = -1;
    Py_ssize_t k = skip_space(t, j, b);
    if (k == b) return 1;
    if (CH(t, k) != ',') return 0;
    k = skip_space(t, k + 1, b);
    /* the volume, (?:т|том)\.?\s*\d+\s*,\s* */
    static const Py_UCS4 TOM[3] = {0x442, 0x43E, 0x43C};
    Py_ssize_t v = starts_with(t, k, b, TOM, 3) ? k + 3 : starts_with(t, k, b, TOM, 1) ? k + 1 : -1;
    if (v >= 0) {
        if (v < b && CH(t, v) == '.') v++;
        v = skip_space(t, v, b);
        Py_ssize_t w = skip_digits(t, v, b);
        if (w > v) {
            w = skip_space(t, w, b);
            if (w < b && CH(t, w) == ',') k = skip_space(t, w + 1, b);
        }
    }
    /* a page mark and its dot before the pages */
    for (size_t m = 0; m < N_PART_MARKS; m++) {
        Py_ssize_t n = mark_len(PART_MARKS[m]);
        if (starts_with(t, k, b, PART_MARKS[m], n) && k + n < b && CH(t, k + n) == '.') {
            k = skip_space(t, k + n + 1, b);
            break;
        }
    }
    /* the pages, \d+(?:\s*[-–]\s*\d+)? */
    Py_ssize_t d1e = skip_digits(t, k, b), after = d1e;
    if (d1e == k) return 0;
    pages[0] = k, pages[1] = d1e;
    Py_ssize_t g = skip_space(t, d1e, b);
    if (g < b && (CH(t, g) == '-' || CH(t, g) == 0x2013)) {
        Py_ssize_t h = skip_space(t, g + 1, b), he = skip_digits(t, h, b);
        if (he > h) pages[2] = h, pages[3] = after = he;
    }
    /* the rest, \s*(?:-?\s*PM\.?)?\s* to the end */
    Py_ssize_t u = skip_space(t, after, b);
    if (u == b) return 1;
    if (CH(t, u) == '-') u = skip_space(t, u + 1, b);
    for (size_t m = 0; m < N_PART_MARKS; m++) {
        Py_ssize_t n = mark_len(PART_MARKS[m]);
        if (!starts_with(t, u, b, PART_MARKS[m], n)) continue;
        Py_ssize_t z = u + n;
        if (z < b && CH(t, z) == '.') z++;
        if (skip_space(t, z, b) == b) return 1;
    }
    return 0;
}

/* pages[0:2] and, for a range, "-" and pages[2:4] (_RANGE_DASH.sub("-", group 2)) */
static PyObject *pages_str(Text *t, const Py_ssize_t pages[4]) {
    if (pages[0] < 0) Py_RETURN_NONE;
    if (pages[2] < 0) return PyUnicode_Substring(t->str, pages[0], pages[1]);
    Py_UCS4 top = '-';
    for (Py_ssize_t i = pages[0]; i < pages[1]; i++) top = CH(t, i) > top ? CH(t, i) : top;
    for (Py_ssize_t i = pages[2]; i < pages[3]; i++) top = CH(t, i) > top ? CH(t, i) : top;
    PyObject *out = PyUnicode_New(pages[1] - pages[0] + 1 + pages[3] - pages[2], top);
    if (out == NULL) return NULL;
    int kind = PyUnicode_KIND(out);
    void *data = PyUnicode_DATA(out);
    Py_ssize_t k = 0;
    for (Py_ssize_t i = pages[0]; i < pages[1]; i++) PyUnicode_WRITE(kind, data, k++, CH(t, i));
    PyUnicode_WRITE(kind, data, k++, '-');
    for (Py_ssize_t i = pages[2]; i < pages[3]; i++) PyUnicode_WRITE(kind, data, k++, CH(t, i));
    return out;
}

/* Citation(start, end, ref, pages, (bracket_start, bracket_end)) */
static PyObject *citation(Py_ssize_t start, Py_ssize_t end, long ref, PyObject *pages, PyObject *a, PyObject *b) {
    PyObject *argv[5] = {PyLong_FromSsize_t(start), PyLong_FromSsize_t(end), PyLong_FromLong(ref), pages,
                         PyTuple_Pack(2, a, b)};
    PyObject *out = argv[0] && argv[1] && argv[2] && argv[4] ? PyObject_Vectorcall(CITATION, argv, 5, NULL) : NULL;
    Py_XDECREF(argv[0]);
    Py_XDECREF(argv[1]);
    Py_XDECREF(argv[2]);
    Py_XDECREF(argv[4]);
    return out;
}

/* _bracket_citations(start, end, content): the references of one bracket, appended to out,
   or none when a part is not a reference after all */
static int bracket_citations(PyObject *out, PyObject *a, PyObject *b, PyObject *content) {
    Py_ssize_t start = as_index(a, "bracket start"), end = as_index(b, "bracket end");
    if ((start == -1 || end == -1) && PyErr_Occurred()) return -1;
    Text t;
    text_of(&t, content);
    /* the parts between `;` (_split), each read whole */
    Py_ssize_t n_parts = 1;
    for (Py_ssize_t i = 0; i < t.len; i++) n_parts += CH(&t, i) == ';';
    struct Part {
        Py_ssize_t a, b, pages[4];
        long ref;
    } *parts = PyMem_Calloc((size_t)n_parts, sizeof *parts);
    if (parts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t p = 0, from = 0;
    for (Py_ssize_t i = 0; i <= t.len; i++) {
        if (i < t.len && CH(&t, i) != ';') continue;
        struct Part *part = &parts[p++];
        part->a = from, part->b = i, from = i + 1;
        if (!part_match(&t, part->a, part->b, &part->ref, part->pages)) {
            PyMem_Free(parts);
            return 0;
        }
    }
    Py_ssize_t first = PyList_GET_SIZE(out);
    for (Py_ssize_t k = 0; k < n_parts; k++) {
        struct Part *part = &parts[k];
        /* a single reference spans the bracket, one of several its part, stripped */
        Py_ssize_t s = start, e = end;
        if (n_parts > 1) {
            Py_ssize_t x = skip_space(&t, part->a, part->b), y = part->b;
            while (y > x && is_space(CH(&t, y - 1))) y--;
            s = start + 1 + x, e = start + 1 + y;
        }
        PyObject *pages = pages_str(&t, part->pages);
        PyObject *cite = pages ? citation(s, e, part->ref, pages, a, b) : NULL;
        Py_XDECREF(pages);
        if (cite == NULL || PyList_Append(out, cite) < 0) {
            Py_XDECREF(cite);
            PyMem_Free(parts);
            PyList_SetSlice(out, first, PY_SSIZE_T_MAX, NULL);
            return -1;
        }
        Py_DECREF(cite);
    }
    PyMem_Free(parts);
    return 0;
}

static PyObject *_bracket_citations(PyObject *self, PyObject *args) { /* for the tests */
    PyObject *a, *b, *content;
    if (!PyArg_ParseTuple(args, "O!O!U:_bracket_citations", &PyLong_Type, &a, &PyLong_Type, &b, &content)) return NULL;
    if (!CONFIGURED) {
        PyErr_SetString(PyExc_RuntimeError, "_cite.configure() was not called");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out != NULL && bracket_citations(out, a, b, content) < 0) Py_CLEAR(out);
    return out;
}

/* brackets(text): citations._brackets, the matches of BRACKET_RE
   `\[(\d{1,3}(?:[^\[\]\n]{0,80}?))\]`. The content cannot hold `[`, `]` or a newline, so the
   only possible end of a bracket opened at p is the first of those three after it: a match iff
   that is `]`, the content opens with a digit, and it is at most 80 characters longer than its
   leading digits (up to three of them) take. Scanning resumes after a match, else after p. */
static PyObject *brackets(PyObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "brackets() takes a str");
        return NULL;
    }
    Text t;
    text_of(&t, arg);
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t p = 0;
    while (p < t.len) {
        p = PyUnicode_FindChar(arg, '[', p, t.len, 1); /* CPython's fast character search */
        if (p == -2) {
            Py_DECREF(out);
            return NULL;
        }
        if (p < 0) break;
        Py_ssize_t q = p + 1, lead = 0;
        while (q < t.len && is_digit(CH(&t, q)) && lead < 3) q++, lead++;
        while (q < t.len && CH(&t, q) != '[' && CH(&t, q) != ']' && CH(&t, q) != '\n') q++;
        Py_ssize_t len = q - (p + 1);
        if (lead == 0 || q >= t.len || CH(&t, q) != ']' || len - lead > 80) {
            p++;
            continue;
        }
        PyObject *content = PyUnicode_Substring(arg, p + 1, q);
        PyObject *item = content ? Py_BuildValue("(nnN)", p, q + 1, content) : NULL;
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(item);
        p = q + 1;
    }
    PyObject *tuple = PyList_AsTuple(out);
    Py_DECREF(out);
    return tuple;
}

/* find_citations(brackets, stop): citations._find_citations_python over what _brackets()
   found (one Citation per reference). */
static PyObject *find_citations(PyObject *self, PyObject *args) {
    PyObject *brackets;
    Py_ssize_t stop;
    if (!PyArg_ParseTuple(args, "O!n:find_citations", &PyTuple_Type, &brackets, &stop)) return NULL;
    if (!CONFIGURED) {
        PyErr_SetString(PyExc_RuntimeError, "_cite.configure() was not called");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(brackets); k++) {
        PyObject *item = PyTuple_GET_ITEM(brackets, k);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3 || !PyUnicode_Check(PyTuple_GET_ITEM(item, 2))) {
            PyErr_SetString(PyExc_TypeError, "find_citations(): brackets are (start, end, content)");
            goto fail;
        }
        PyObject *a = PyTuple_GET_ITEM(item, 0), *b = PyTuple_GET_ITEM(item, 1), *content = PyTuple_GET_ITEM(item, 2);
        Py_ssize_t start = as_index(a, "bracket start"), end = as_index(b, "bracket end");
        if ((start == -1 || end == -1) && PyErr_Occurred()) goto fail;
        if (end > stop) break; /* brackets come in text order */
        Text t;
        text_of(&t, content);
        int bare = t.len >= 1 && t.len <= 3; /* `[10]`: len(content) <= 3 and content.isdecimal() */
        for (Py_ssize_t i = 0; bare && i < t.len; i++) bare = is_digit(CH(&t, i));
        if (bare) {
            PyObject *cite = citation(start, end, digits_value(&t, 0, t.len), Py_None, a, b);
            int r = cite ? PyList_Append(out, cite) : -1;
            Py_XDECREF(cite);
            if (r < 0) goto fail;
        } else if (bracket_citations(out, a, b, content) < 0) {
            goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------ configure */

static PyObject *configure(PyObject *self, PyObject *tables) {
    if (!PyDict_Check(tables)) {
        PyErr_SetString(PyExc_TypeError, "configure() takes a dict of tables");
        return NULL;
    }
    PyObject *lower = PyDict_GetItemString(tables, "lower");
    PyObject *quotes = PyDict_GetItemString(tables, "quotes");
    PyObject *initials = PyDict_GetItemString(tables, "initials");
    if (!lower || !PyList_Check(lower) || !quotes || !PyUnicode_Check(quotes) || !initials
        || !PyUnicode_Check(initials)) {
        PyErr_SetString(PyExc_TypeError, "configure(): lower (list), quotes and initials (str) are needed");
        return NULL;
    }
    PyObject *entry = PyDict_GetItemString(tables, "entry");
    PyObject *citation = PyDict_GetItemString(tables, "citation");
    if (!entry || !PyCallable_Check(entry) || !citation || !PyCallable_Check(citation)) {
        PyErr_SetString(PyExc_TypeError, "configure(): entry and citation (classes) are needed");
        return NULL;
    }
    if (PyUnicode_GET_LENGTH(quotes) > 16) {
        PyErr_SetString(PyExc_ValueError, "configure(): at most 16 quote marks");
        return NULL;
    }
    N_QUOTES = (int)PyUnicode_GET_LENGTH(quotes);
    for (int i = 0; i < N_QUOTES; i++) QUOTES[i] = PyUnicode_READ_CHAR(quotes, i);
    CONFIGURED = 0;
    Py_ssize_t n = PyList_GET_SIZE(lower);
    Py_UCS4 *table = PyMem_Calloc((size_t)n + 1, sizeof *table);
    if (table == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) {
        long v = PyLong_AsLong(PyList_GET_ITEM(lower, i));
        if (v == -1 && PyErr_Occurred()) {
            PyMem_Free(table);
            return NULL;
        }
        table[i] = v < 0 || v > 0x10FFFF ? LOWER_ASK : is_quote((Py_UCS4)v) ? LOWER_DROP : (Py_UCS4)v;
    }
    PyMem_Free(LOWER);
    LOWER = table, LOWER_N = n;
    Py_UCS4 top = 0;
    Py_ssize_t ni = PyUnicode_GET_LENGTH(initials);
    for (Py_ssize_t i = 0; i < ni; i++)
        if (PyUnicode_READ_CHAR(initials, i) > top) top = PyUnicode_READ_CHAR(initials, i);
    uint8_t *bits = PyMem_Calloc((size_t)top / 8 + 1, 1);
    if (bits == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < ni; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(initials, i);
        bits[c >> 3] |= (uint8_t)(1u << (c & 7));
    }
    PyMem_Free(INITIALS);
    INITIALS = bits, INITIALS_N = ni ? top + 1 : 0;
    Py_INCREF(entry);
    Py_XSETREF(ENTRY, entry);
    Py_INCREF(citation);
    Py_XSETREF(CITATION, citation);
    CONFIGURED = 1;
    Py_RETURN_NONE;
}

static PyObject *set_avx2(PyObject *self, PyObject *on) { /* -> whether it is used now */
    int want = PyObject_IsTrue(on);
    if (want < 0) return NULL;
#ifdef AVX2_PATH
    HAVE_AVX2 = want && __builtin_cpu_supports("avx2");
    return PyBool_FromLong(HAVE_AVX2);
#else
    Py_RETURN_FALSE;
#endif
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_O,
     "Hand over the tables: lower (list of int), quotes, initials (str), entry, citation (classes)."},
    {"find_citations", find_citations, METH_VARARGS, "find_citations(brackets, stop) -> [Citation]"},
    {"brackets", brackets, METH_O, "brackets(text) -> ((start, end, content), ...), as BRACKET_RE finds them"},
    {"_set_avx2", set_avx2, METH_O, "Use the AVX2 search where the CPU has it (for the tests)."},
    {"_bracket_citations", _bracket_citations, METH_VARARGS,
     "_bracket_citations(start, end, content) -> [Citation] (the references of one bracket)"},
    {"split_entries", split_entries, METH_VARARGS,
     "split_entries(text, start, end) -> [Entry]"},
    {"_by_title", _by_title, METH_VARARGS,
     "_by_title(entries, cites, text): lost numbers from titles named before citations."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cite", "The cite layer's hot loops, compiled.", -1, methods};

#define INTERN(var, str) if ((var = PyUnicode_InternFromString(str)) == NULL) return NULL

PyMODINIT_FUNC PyInit__cite(void) {
#ifdef AVX2_PATH
    __builtin_cpu_init();
    HAVE_AVX2 = __builtin_cpu_supports("avx2");
#endif
    INTERN(S_NUMBER, "number");
    INTERN(S_TITLE, "title");
    INTERN(S_SOURCE, "source");
    INTERN(S_ISSUE, "issue");
    INTERN(S_PAGES, "pages");
    INTERN(S_YEAR, "year");
    INTERN(S_ATTRS, "attrs");
    INTERN(S_START, "start");
    INTERN(S_REF, "ref");
    INTERN(S_BRACKET, "bracket");
    INTERN(S_INFERRED, "inferred");
    INTERN(S_BY_TITLE, "title");
    INTERN(S_LOWER, "lower");
    return PyModule_Create(&module);
}
