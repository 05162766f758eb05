/* The values scanner compiled: the same grammar as scanner.py, grammar.py and numbers.py.

   Why C: the layer's bar is a cost under 10 % of the text layer, about 0.2 ms for the sample
   article, and CPython spends more than that on the ~50 anchors' tokens and rule calls alone.
   The Python modules stay the reference and the fallback; tests/test_values_fast.py runs both
   on the value suite, the sample and random text and requires the same spans.

   Vocabularies are not here: scanner.py hands over the dicts built from the data files
   (configure()), and every lookup goes through them. This file only holds the combination
   rules, mirrored one function per Python function (same names, same order of checks). */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ vocabularies */

static PyObject *NUMBER_WORDS; /* form -> (value, kind, ordinal, bare, alone) */
static PyObject *MONTHS;       /* form -> int */
static int MONTH_ALONE[13];
static PyObject *YEAR_WORDS;   /* form -> kind code (YW_*) */
static PyObject *QUALIFIERS;   /* form -> (code, mod) */
static PyObject *CURRENCIES;   /* form -> (old, new, switch_year, minor) */
static PyObject *UNITS;        /* form -> unit */
static PyObject *MULTI_UNITS;  /* first word -> {form -> unit} */
static PyObject *DURATIONS;    /* form -> designator */
static PyObject *PERCENT_WORDS;
static PyObject *NUMBER_SUFFIXES;
static PyObject *ORDINAL_SUFFIXES; /* tuple */
static PyObject *SPECIAL_WORDS;    /* words after a number that need the grammar */
static PyObject *FAST_YEAR_STOP;   /* special words and qualifiers */
static PyObject *RULES;            /* next word -> rule bit mask */
static PyObject *ANCHOR_FORMS;     /* set of word forms that start a value */
static Py_ssize_t MAX_FORM_LEN;

enum { NW_UNIT, NW_TEN, NW_HUNDRED, NW_SCALE };
enum { YW_YEAR = 1, YW_YEARS, YW_CENTURY, YW_CENTURIES, YW_ABBR = 16 };
enum { Q_MOD, Q_INTERVAL, Q_DURATION, Q_HALF, Q_QUARTER };
enum {
    R_YEAR = 1, R_SHORT_YEAR = 2, R_CENTURY = 4, R_DAY_MONTH = 8, R_PERCENT = 16,
    R_MONEY = 32, R_QUANTITY = 64, R_DURATION = 128, R_NUMBER = 256
};
#define R_DEFAULT (R_YEAR | R_NUMBER)
#define R_WEAK (R_PERCENT | R_MONEY | R_QUANTITY)

static PyObject *S_DATE, *S_CARDINAL, *S_ORDINAL, *S_MONEY, *S_QUANTITY, *S_PERCENTAGE;
static PyObject *K_VALUE, *K_MOD, *K_UNCERTAIN, *K_NOTE, *K_CENTURY, *K_CENTURY_ASSUMED;
static PyObject *K_DURATION, *K_CURRENCY_INFERRED, *K_MIN, *K_MAX, *K_AMOUNT, *K_CURRENCY;
static PyObject *K_UNIT, *N_IMPOSSIBLE_DAY, *N_INTERVAL, *N_RANGE, *N_DAY_MONTH, *S_LOWER;
static PyObject *ROUND, *S_COMMA, *S_DOT, *S_ZHYL, *S_VALUE, *S_START, *S_END;
static PyObject *SPAN; /* muragat.model.Span, what scan() returns */

/* A hash set of the anchor forms over their code points, so that the ~2,000 words of a
   document are checked without creating a Python string for each. */
static uint64_t *FORM_HASHES;
static size_t FORM_MASK;
/* A 64 Kbit filter in front of it, over a word's shape (first three letters, last letter,
   length): no hashing of every letter of every word, and 8 KB stay in the CPU cache while the
   text layer's work in between documents pushes the table out. About 4 % of the words of
   the sample article get past it. */
#define FILTER_BITS 65536
static uint8_t FORM_FILTER[FILTER_BITS / 8];

static inline size_t shape_bit(Py_UCS4 c0, Py_UCS4 c1, Py_UCS4 c2, Py_UCS4 last, Py_ssize_t n) {
    uint32_t h = (uint32_t)c0 * 0x9E3779B1u ^ (uint32_t)c1 * 0x7FEB352Du ^ (uint32_t)c2 * 0x846CA68Bu
                 ^ (uint32_t)last * 0x85EBCA77u ^ (uint32_t)n * 0xC2B2AE3Du;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    return (h >> 12) & (FILTER_BITS - 1);
}

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t fnv_step(uint64_t h, Py_UCS4 c) { return (h ^ c) * FNV_PRIME; }

static void form_hash_add(uint64_t h) {
    if (h == 0) h = 1;
    size_t i = (size_t)h & FORM_MASK;
    while (FORM_HASHES[i] && FORM_HASHES[i] != h) i = (i + 1) & FORM_MASK;
    FORM_HASHES[i] = h;
}

static inline int form_hash_has(uint64_t h) {
    if (h == 0) h = 1;
    size_t i = (size_t)h & FORM_MASK;
    while (FORM_HASHES[i]) {
        if (FORM_HASHES[i] == h) return 1;
        i = (i + 1) & FORM_MASK;
    }
    return 0;
}

/* ------------------------------------------------------------------ character classes */

static inline int is_letter(Py_UCS4 c) { /* the regex class [^\W\d_] */
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c >= 0x400 && c <= 0x52F) return !(c >= 0x482 && c <= 0x489);
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static inline int is_digit(Py_UCS4 c) { /* \d */
    if (c < 128) return c >= '0' && c <= '9';
    return Py_UNICODE_ISDECIMAL(c);
}

static inline int is_space(Py_UCS4 c) { /* \s */
    if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
    return Py_UNICODE_ISSPACE(c);
}

static inline int is_dash(Py_UCS4 c) {
    return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2011;
}

/* ------------------------------------------------------------------ one scan */

typedef struct {
    Py_ssize_t start, end;
    char kind; /* 'n' number, 'w' word, 'p' other */
    char looked; /* lex already looked up */
    struct Lex *lex;
} Tok;

#define MAX_TOKS 128 /* more than the widest window (80 characters) can hold */

typedef struct {
    PyObject *text;
    int ukind;
    const void *data;
    Py_ssize_t len;
    PyObject *keep; /* every object made during the scan lives until it ends */
    int has_year;
    long long last_year;
    Tok toks[MAX_TOKS];
    int n;
} Scan;

#define CH(s, i) PyUnicode_READ((s)->ukind, (s)->data, (i))

static PyObject *keep(Scan *s, PyObject *o) {
    if (o == NULL) return NULL;
    int r = PyList_Append(s->keep, o);
    Py_DECREF(o);
    return r < 0 ? NULL : o;
}

#define TRY(x) do { if ((x) == NULL) return -1; } while (0)

static PyObject *substr(Scan *s, Py_ssize_t a, Py_ssize_t b) {
    return keep(s, PyUnicode_Substring(s->text, a, b));
}

static void tokenize(Scan *s, Py_ssize_t a, Py_ssize_t limit) {
    /* (\d+(?:[.,]\d+)?)|([^\W\d_]+)|(\S) over text[a:limit] */
    int n = 0;
    Py_ssize_t i = a;
    while (i < limit && n < MAX_TOKS) {
        Py_UCS4 c = CH(s, i);
        Tok *t = &s->toks[n];
        t->looked = 0;
        if (is_digit(c)) {
            Py_ssize_t j = i + 1;
            while (j < limit && is_digit(CH(s, j))) j++;
            if (j + 1 < limit && (CH(s, j) == '.' || CH(s, j) == ',') && is_digit(CH(s, j + 1))) {
                j += 2;
                while (j < limit && is_digit(CH(s, j))) j++;
            }
            t->start = i, t->end = j, t->kind = 'n';
            i = j;
        } else if (is_letter(c)) {
            Py_ssize_t j = i + 1;
            while (j < limit && is_letter(CH(s, j))) j++;
            t->start = i, t->end = j, t->kind = 'w';
            i = j;
        } else if (is_space(c)) {
            i++;
            continue;
        } else {
            t->start = i, t->end = i + 1, t->kind = 'p';
            i++;
        }
        n++;
    }
    s->n = n;
}

/* ------------------------------------------------------------------ the lexicon in C

   Every form of every vocabulary, lower case, in one hash table over its code points: a
   token is looked up once, without making a Python string, and the entry says what the
   word is in each vocabulary (the values are the Python tables' own objects). */

typedef struct Lex {
    uint64_t hash;
    Py_ssize_t len;
    Py_UCS4 *chars;
    PyObject *form; /* the form as a str, for the second word of a multiword unit */
    PyObject *number_word, *year_word, *qualifier, *currency, *unit, *multi_unit, *duration;
    int month, rules;
    unsigned flags;
} Lex;

enum { F_PERCENT = 1, F_SUFFIX = 2, F_ORDINAL_SUFFIX = 4, F_SPECIAL = 8, F_FAST_YEAR_STOP = 16, F_ZHYL = 32 };
#define LEX_MAX_LEN 64

static Lex **LEX_TABLE;
static size_t LEX_MASK;
static Lex *LEX_ENTRIES;
static Py_ssize_t LEX_COUNT;
static PyObject *LEX_FORMS; /* keeps the form strings alive */

static Lex *lex_find(uint64_t h, const Py_UCS4 *chars, Py_ssize_t n) {
    size_t i = (size_t)h & LEX_MASK;
    for (Lex *e; (e = LEX_TABLE[i]) != NULL; i = (i + 1) & LEX_MASK)
        if (e->hash == h && e->len == n && memcmp(e->chars, chars, n * sizeof *chars) == 0) return e;
    return NULL;
}

static uint64_t hash_chars(const Py_UCS4 *chars, Py_ssize_t n) {
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = 0; i < n; i++) h = fnv_step(h, chars[i]);
    return h;
}

/* str.lower() through Python, for text outside ASCII and Cyrillic (final sigma, İ ...) */
static Lex *lex_slow(Scan *s, Py_ssize_t a, Py_ssize_t b) {
    PyObject *raw = PyUnicode_Substring(s->text, a, b);
    PyObject *low = raw ? PyObject_CallMethodNoArgs(raw, S_LOWER) : NULL;
    Py_XDECREF(raw);
    if (low == NULL) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(low);
    Lex *e = NULL;
    if (n <= LEX_MAX_LEN) {
        Py_UCS4 buf[LEX_MAX_LEN];
        for (Py_ssize_t i = 0; i < n; i++) buf[i] = PyUnicode_READ_CHAR(low, i);
        e = lex_find(hash_chars(buf, n), buf, n);
    }
    Py_DECREF(low);
    return e;
}

/* the entry of text[a:b].lower(), or NULL */
static Lex *lex_range(Scan *s, Py_ssize_t a, Py_ssize_t b) {
    Py_ssize_t n = b - a;
    if (n <= 0 || n > LEX_MAX_LEN) return n > LEX_MAX_LEN ? lex_slow(s, a, b) : NULL;
    Py_UCS4 buf[LEX_MAX_LEN];
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = CH(s, a + i);
        if (c < 128) {
            if (c >= 'A' && c <= 'Z') c += 32;
        } else if (c >= 0x400 && c <= 0x52F) { /* one-to-one case mapping here */
            c = Py_UNICODE_TOLOWER(c);
        } else {
            return lex_slow(s, a, b);
        }
        buf[i] = c;
        h = fnv_step(h, c);
    }
    return lex_find(h, buf, n);
}

static Lex *tok_lex(Scan *s, int j) { /* toks[j].text.lower(), any kind of token */
    Tok *t = &s->toks[j];
    if (!t->looked) {
        t->lex = lex_range(s, t->start, t->end);
        t->looked = 1;
    }
    return t->lex;
}

static Lex *word_lex(Scan *s, int j) { /* _word(toks, j): words only */
    return j < s->n && s->toks[j].kind == 'w' ? tok_lex(s, j) : NULL;
}

static int tok_is_char(Scan *s, int j, Py_UCS4 c) {
    Tok *t = &s->toks[j];
    return t->end - t->start == 1 && CH(s, t->start) == c;
}

static int tok_is_dash(Scan *s, int j) {
    Tok *t = &s->toks[j];
    return t->end - t->start == 1 && is_dash(CH(s, t->start));
}

static int glued(Scan *s, int a, int b) { return s->toks[a].end == s->toks[b].start; }

/* ------------------------------------------------------------------ numbers */

typedef struct {
    PyObject *value; /* int or float (kept) */
    Py_ssize_t start, end;
    int next;
    int ordinal, spelled, roman, suffixed, hyphen_noun, weak;
    Py_ssize_t ndigits, max_ndigits;
    PyObject *maximum; /* NULL = None */
} Num;

/* value as a C integer: 1 when it is an int that fits */
static int small_int(PyObject *v, long long *out) {
    if (v == NULL || !PyLong_CheckExact(v)) return 0;
    int overflow = 0;
    long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow || (x == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    *out = x;
    return 1;
}

static PyObject *int_value(Scan *s, Py_ssize_t a, Py_ssize_t b) { /* int(text[a:b]), digits */
    if (b - a <= 18) { /* fits a long long: no string made */
        long long v = 0;
        for (Py_ssize_t i = a; i < b; i++) v = v * 10 + Py_UNICODE_TODECIMAL(CH(s, i));
        return keep(s, PyLong_FromLongLong(v));
    }
    PyObject *raw = substr(s, a, b);
    return raw ? keep(s, PyLong_FromUnicodeObject(raw, 10)) : NULL;
}

static PyObject *digits_value(Scan *s, Py_ssize_t a, Py_ssize_t b) {
    /* int(text), or float(text.replace(",", ".")) for a decimal */
    Py_ssize_t sep = -1;
    for (Py_ssize_t i = a; i < b; i++)
        if (CH(s, i) == ',' || CH(s, i) == '.') sep = i;
    if (sep < 0) return int_value(s, a, b);
    PyObject *raw = substr(s, a, b);
    if (raw == NULL) return NULL;
    PyObject *dot = keep(s, PyUnicode_Replace(raw, S_COMMA, S_DOT, -1));
    return dot ? keep(s, PyFloat_FromString(dot)) : NULL;
}

static PyObject *exact(Scan *s, PyObject *v) { /* _exact: a float that is whole becomes an int */
    if (!PyFloat_CheckExact(v)) return v;
    double d = PyFloat_AS_DOUBLE(v);
    double r = nearbyint(d);
    if (fabs(d - r) < 1e-9) return keep(s, PyLong_FromDouble(r));
    return v;
}

static int read_hyphen_tail(Scan *s, Num *num) {
    int j = num->next;
    if (j + 1 >= s->n || !tok_is_dash(s, j) || !glued(s, j - 1, j)) return 0;
    int k = j + 1;
    Tok *nxt = &s->toks[k];
    if (!glued(s, j, k)) return 0;
    if (nxt->kind == 'n' && num->maximum == NULL && PyLong_CheckExact(num->value)) {
        TRY(num->maximum = digits_value(s, nxt->start, nxt->end));
        num->max_ndigits = nxt->end - nxt->start;
        num->end = nxt->end, num->next = j + 2;
        return read_hyphen_tail(s, num);
    }
    if (nxt->kind != 'w') return 0;
    Lex *e = tok_lex(s, k);
    if (e != NULL && (e->flags & F_SUFFIX)) {
        int ordinal = (e->flags & F_ORDINAL_SUFFIX) != 0;
        num->ordinal = ordinal;
        num->suffixed = !ordinal;
        num->end = nxt->end, num->next = j + 2;
    } else {
        num->ordinal = 1;
        num->hyphen_noun = 1;
        num->next = j + 1;
    }
    return 0;
}

static int read_scale(Scan *s, Num *num) {
    int j = num->next;
    if (num->ordinal || num->suffixed || j >= s->n || s->toks[j].kind != 'w') return 0;
    Lex *e = tok_lex(s, j);
    PyObject *nw = e ? e->number_word : NULL;
    if (nw == NULL) return 0;
    if (PyLong_AsLong(PyTuple_GET_ITEM(nw, 1)) != NW_SCALE || PyTuple_GET_ITEM(nw, 2) == Py_True) return 0;
    PyObject *scale = PyTuple_GET_ITEM(nw, 0);
    TRY(num->value = exact(s, keep(s, PyNumber_Multiply(num->value, scale))));
    if (num->maximum != NULL) TRY(num->maximum = exact(s, keep(s, PyNumber_Multiply(num->maximum, scale))));
    num->end = s->toks[j].end, num->next = j + 1, num->ndigits = 0;
    num->suffixed = PyTuple_GET_ITEM(nw, 3) != Py_True;
    return 0;
}

static int is_plain_digits(Scan *s, int j) { /* a number token without a decimal separator */
    Tok *t = &s->toks[j];
    if (t->kind != 'n') return 0;
    for (Py_ssize_t i = t->start; i < t->end; i++)
        if (!is_digit(CH(s, i))) return 0;
    return 1;
}

/* returns 1 with num filled, 0 for no number, -1 on error */
static int read_digits(Scan *s, int i, Num *num) {
    Tok *t = &s->toks[i];
    int j = i + 1;
    memset(num, 0, sizeof *num);
    PyObject *value;
    Py_ssize_t ndigits;
    if (t->end - t->start <= 3 && is_plain_digits(s, i)) {
        /* thousands written with spaces: 13 208 699 */
        while (j < s->n && is_plain_digits(s, j) && s->toks[j].end - s->toks[j].start == 3
               && s->toks[j].start - s->toks[j - 1].end == 1) {
            Py_UCS4 gap = CH(s, s->toks[j - 1].end);
            if (gap != ' ' && gap != 0xa0 && gap != 0x202f) break;
            j++;
        }
    }
    if (j == i + 1) {
        TRY(value = digits_value(s, t->start, t->end));
        ndigits = t->end - t->start;
        for (Py_ssize_t q = t->start; q < t->end; q++)
            if (CH(s, q) == ',') { ndigits = q - t->start; break; }
    } else {
        PyObject *joined = keep(s, PyUnicode_New(0, 127));
        TRY(joined);
        for (int q = i; q < j; q++) {
            PyObject *part = substr(s, s->toks[q].start, s->toks[q].end);
            TRY(part);
            TRY(joined = keep(s, PyUnicode_Concat(joined, part)));
        }
        TRY(value = keep(s, PyLong_FromUnicodeObject(joined, 10)));
        ndigits = PyUnicode_GET_LENGTH(joined);
    }
    num->value = value;
    num->start = t->start, num->end = s->toks[j - 1].end, num->next = j;
    num->ndigits = ndigits;
    if (read_hyphen_tail(s, num) < 0 || read_scale(s, num) < 0) return -1;
    return 1;
}

static int roman_digit(Py_UCS4 c) {
    switch (c) {
    case 'I': case 0x406: return 1;
    case 'V': return 5;
    case 'X': case 0x425: return 10;
    case 'L': return 50;
    case 'C': case 0x421: return 100;
    case 'D': return 500;
    case 'M': case 0x41C: return 1000;
    default: return 0;
    }
}

/* roman_value: the value of a Roman numeral word (Latin or Cyrillic look-alike letters), or 0 */
static long roman_value(Scan *s, int j) {
    Tok *t = &s->toks[j];
    Py_ssize_t n = t->end - t->start;
    if (n > 16) return 0;
    char buf[17];
    for (Py_ssize_t q = 0; q < n; q++) {
        Py_UCS4 c = CH(s, t->start + q);
        int v = roman_digit(c);
        if (!v) return 0;
        buf[q] = v == 1 ? 'I' : v == 5 ? 'V' : v == 10 ? 'X' : v == 50 ? 'L' : v == 100 ? 'C' : v == 500 ? 'D' : 'M';
    }
    buf[n] = 0;
    if (n == 1 && !(buf[0] == 'I' || buf[0] == 'V' || buf[0] == 'X')) return 0; /* IVXІХ */
    /* M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3}) */
    const char *p = buf;
    static const char groups[3][3] = {{'C', 'D', 'M'}, {'X', 'L', 'C'}, {'I', 'V', 'X'}};
    int m = 0;
    while (*p == 'M' && m < 3) p++, m++;
    for (int g = 0; g < 3; g++) {
        char one = groups[g][0], five = groups[g][1], ten = groups[g][2];
        if (p[0] == one && (p[1] == ten || p[1] == five)) {
            p += 2;
            continue;
        }
        if (*p == five) p++;
        int c = 0;
        while (*p == one && c < 3) p++, c++;
    }
    if (*p) return 0;
    long total = 0, prev = 0;
    for (Py_ssize_t q = n - 1; q >= 0; q--) {
        long v = roman_digit((Py_UCS4)buf[q]);
        total = v < prev ? total - v : total + v;
        if (v > prev) prev = v;
    }
    return total;
}

static int nw_kind(PyObject *nw) { return (int)PyLong_AsLong(PyTuple_GET_ITEM(nw, 1)); }
static int nw_flag(PyObject *nw, int k) { return PyTuple_GET_ITEM(nw, k) == Py_True; }
#define NW_ORDINAL 2
#define NW_BARE 3
#define NW_ALONE 4

static int read_spelled(Scan *s, int i, Num *num) {
    long long total = 0, current = 0;
    int j = i, rank = 4, seen = 0;
    PyObject *last = NULL;
    while (j < s->n && s->toks[j].kind == 'w') {
        Lex *e = tok_lex(s, j);
        PyObject *nw = e ? e->number_word : NULL;
        if (nw == NULL || (seen && !nw_flag(last, NW_BARE))) break;
        int kind = nw_kind(nw);
        long long v = PyLong_AsLongLong(PyTuple_GET_ITEM(nw, 0));
        if (kind == NW_UNIT && rank > 1) current += v, rank = 1;
        else if (kind == NW_TEN && rank > 2) current += v, rank = 2;
        else if (kind == NW_HUNDRED && (rank == 4 || (rank == 1 && current < 10)))
            current = (current ? current : 1) * 100, rank = 3;
        else if ((kind == NW_SCALE && rank < 4) || (kind == NW_SCALE && !seen))
            total += (current ? current : 1) * v, current = 0, rank = 4;
        else break;
        last = nw;
        seen++;
        j++;
    }
    if (!seen) return 0;
    memset(num, 0, sizeof *num);
    TRY(num->value = keep(s, PyLong_FromLongLong(total + current)));
    num->start = s->toks[i].start, num->end = s->toks[j - 1].end, num->next = j;
    num->ordinal = nw_flag(last, NW_ORDINAL);
    num->spelled = 1;
    num->suffixed = !nw_flag(last, NW_BARE) && !num->ordinal;
    num->weak = seen == 1 && !nw_flag(last, NW_ALONE);
    return 1;
}

/* read_number: 1 = a number in num, 0 = none, -1 = error */
static int read_number(Scan *s, int i, Num *num) {
    Tok *t = &s->toks[i];
    if (t->kind == 'n') return read_digits(s, i, num);
    if (t->kind != 'w') return 0;
    long rv = roman_value(s, i);
    if (rv) {
        memset(num, 0, sizeof *num);
        TRY(num->value = keep(s, PyLong_FromLong(rv)));
        num->start = t->start, num->end = t->end, num->next = i + 1;
        num->ordinal = num->roman = 1;
        int j = i + 1;
        if (j + 1 < s->n && tok_is_dash(s, j) && glued(s, i, j)) {
            long rv2 = s->toks[j + 1].kind == 'w' ? roman_value(s, j + 1) : 0;
            if (rv2 && glued(s, j, j + 1)) {
                TRY(num->maximum = keep(s, PyLong_FromLong(rv2)));
                num->end = s->toks[j + 1].end, num->next = j + 2;
            }
        }
        return 1;
    }
    return read_spelled(s, i, num);
}

/* ------------------------------------------------------------------ grammar */

typedef struct {
    PyObject *label; /* NULL = no hit */
    Py_ssize_t start, end;
    PyObject *attrs;
} Hit;

static PyObject *new_attrs(Scan *s) { return keep(s, PyDict_New()); }

static int set_attr(PyObject *attrs, PyObject *key, PyObject *value) {
    return value == NULL ? -1 : PyDict_SetItem(attrs, key, value);
}

static int set_str(Scan *s, PyObject *attrs, PyObject *key, const char *fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return set_attr(attrs, key, keep(s, PyUnicode_FromString(buf)));
}

static int hit(Hit *h, PyObject *label, Py_ssize_t a, Py_ssize_t b, PyObject *attrs) {
    h->label = label, h->start = a, h->end = b, h->attrs = attrs;
    return 1;
}

/* _year_word: kind (YW_YEAR..), 0 for none; *after = index after it */
static int year_word(Scan *s, int j, int *after) {
    Lex *e = word_lex(s, j);
    if (e == NULL || e->year_word == NULL) return 0;
    int kind = (int)PyLong_AsLong(e->year_word);
    if (kind & YW_ABBR) {
        if (j + 1 < s->n && tok_is_char(s, j + 1, '.')) {
            *after = j + 2;
            return kind & ~YW_ABBR;
        }
        return 0;
    }
    *after = j + 1;
    return kind;
}

static int qualifier_code(Scan *s, int j, PyObject **mod) {
    Lex *e = word_lex(s, j);
    PyObject *q = e ? e->qualifier : NULL;
    if (q == NULL) return -1;
    if (mod) *mod = PyTuple_GET_ITEM(q, 1);
    return (int)PyLong_AsLong(PyTuple_GET_ITEM(q, 0));
}

static int all_digits(PyObject *u, Py_ssize_t a, Py_ssize_t b) { /* str.isdigit() of u[a:b] */
    if (b <= a) return 0;
    int kind = PyUnicode_KIND(u);
    const void *data = PyUnicode_DATA(u);
    for (Py_ssize_t i = a; i < b; i++)
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

static long long parse_ll(Scan *s, PyObject *u, Py_ssize_t a, Py_ssize_t b, int *ok) {
    PyObject *part = keep(s, PyUnicode_Substring(u, a, b));
    PyObject *v = part ? keep(s, PyLong_FromUnicodeObject(part, 10)) : NULL;
    long long x;
    *ok = v != NULL && small_int(v, &x);
    return *ok ? x : 0;
}

/* _part: `екінші жартысында` narrows the value; returns the index after it (j = no part) */
static int part(Scan *s, int j, PyObject *attrs) {
    Lex *e = word_lex(s, j);
    PyObject *nw = e ? e->number_word : NULL;
    int code = qualifier_code(s, j + 1, NULL);
    if (PyErr_Occurred()) return -1;
    PyObject *value = PyDict_GetItemWithError(attrs, K_VALUE);
    if (nw == NULL || !nw_flag(nw, NW_ORDINAL) || (code != Q_HALF && code != Q_QUARTER)
        || value == NULL || !PyUnicode_CheckExact(value))
        return PyErr_Occurred() ? -1 : j;
    long long parts = code == Q_HALF ? 2 : 4;
    long long k = PyLong_AsLongLong(PyTuple_GET_ITEM(nw, 0));
    if (!(1 <= k && k <= parts)) return j;
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    int ok;
    if (n == 4 && all_digits(value, 0, 4)) {
        long long size = 12 / parts;
        const char *v = PyUnicode_AsUTF8(value);
        if (v == NULL) return -1;
        if (set_str(s, attrs, K_VALUE, "%s-%02lld/%s-%02lld", v, (k - 1) * size + 1, v, k * size) < 0)
            return -1;
        return j + 2;
    }
    Py_ssize_t slash = PyUnicode_FindChar(value, '/', 0, n, 1);
    if (slash == -2) return -1;
    if (slash == 4 && n == 9 && all_digits(value, 0, 4) && all_digits(value, 5, 9)) {
        long long a = parse_ll(s, value, 0, 4, &ok);
        if (!ok) return PyErr_Occurred() ? -1 : j;
        long long b = parse_ll(s, value, 5, 9, &ok);
        if (!ok) return PyErr_Occurred() ? -1 : j;
        long long first = a, count = b - a + 1;
        long long rem = ((count % parts) + parts) % parts;
        if (rem == 0) {
            long long size = count / parts;
            if (count < 0 && count % parts) size -= 1; /* floor division, as in Python */
            if (set_str(s, attrs, K_VALUE, "%04lld/%04lld", first + (k - 1) * size, first + k * size - 1) < 0)
                return -1;
            return j + 2;
        }
    }
    return j;
}

/* _qualifier: dates' mod words (дейін, соңына ...); returns the index after them */
static int qualifier(Scan *s, int j, PyObject *attrs) {
    int p = part(s, j, attrs);
    if (p < 0) return -1;
    if (p > j) return p;
    PyObject *mod = NULL;
    int code = qualifier_code(s, j, &mod);
    if (code == -2) return -1;
    if (code == -1 || code == Q_DURATION || code == Q_HALF || code == Q_QUARTER) return j;
    if (code != Q_INTERVAL && PyDict_SetItem(attrs, K_MOD, mod) < 0) return -1;
    return j + 1;
}

static int full_year(Num *num, long long *year) {
    long long v;
    if (!small_int(num->value, &v)) return 0;
    if (100 <= v && v <= 2100 && (num->ndigits == 3 || num->ndigits == 4 || num->spelled)) {
        *year = v;
        return 1;
    }
    return 0;
}

static int range_end_year(long long start, Num *num, long long *out) {
    long long m;
    if (!PyLong_CheckExact(num->maximum)) return 0;
    if (num->max_ndigits == 2) {
        if (!small_int(num->maximum, &m)) return 0;
        *out = start / 100 * 100 + m;
        return 1;
    }
    if (num->max_ndigits == 4) {
        if (!small_int(num->maximum, &m)) return 0;
        *out = m;
        return 1;
    }
    return 0;
}

static int is_leap(long long y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int month_days(long long year, int month) {
    static const int days[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month];
}

static int valid_day(long long day, int month, int has_year, long long year) {
    long long y = has_year && year ? year : 2000; /* 2000: 29 February is possible */
    return 1 <= day && day <= month_days(y, month);
}

static int month_of(Scan *s, int j) { /* months.get(_word(j)), 0 = none, -1 = error */
    Lex *e = word_lex(s, j);
    return e ? e->month : 0;
}

static int interval(Scan *s, PyObject *attrs, long long a, long long b) {
    if (b < a) {
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0) return -1;
        return PyDict_SetItem(attrs, K_NOTE, N_INTERVAL);
    }
    return set_str(s, attrs, K_VALUE, "%04lld/%04lld", a, b);
}

static int day_month(Scan *s, int i, int has_year, long long year, Hit *h) {
    Num num;
    int r = read_number(s, i, &num);
    if (r <= 0) return r;
    if (!PyLong_CheckExact(num.value) || num.roman || num.hyphen_noun) return 0;
    int j = num.next;
    int month = month_of(s, j);
    if (month <= 0) return month;
    if (num.ordinal && !MONTH_ALONE[month]) return 0; /* 4-інші маусымы: the 4th season */
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    long long d1, d2 = 0;
    int two = num.maximum != NULL;
    int ok = small_int(num.value, &d1) && valid_day(d1, month, has_year, year);
    if (two) ok = ok && small_int(num.maximum, &d2) && valid_day(d2, month, has_year, year) && d1 <= d2;
    if (!ok) {
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0) return -1;
        if (PyDict_SetItem(attrs, K_NOTE, N_IMPOSSIBLE_DAY) < 0) return -1;
    } else {
        char y[24];
        if (has_year && year) snprintf(y, sizeof y, "%04lld", year);
        else snprintf(y, sizeof y, "-");
        int e = two ? set_str(s, attrs, K_VALUE, "%s-%02d-%02lld/%s-%02d-%02lld", y, month, d1, y, month, d2)
                    : set_str(s, attrs, K_VALUE, "%s-%02d-%02lld", y, month, d1);
        if (e < 0) return -1;
    }
    int end = qualifier(s, j + 1, attrs);
    if (end < 0) return -1;
    return hit(h, S_DATE, num.start, s->toks[end - 1].end, attrs);
}

static int word_is_zhyl(Scan *s, int j) { /* _word(toks, j) == "жыл" */
    Lex *e = word_lex(s, j);
    return e != NULL && (e->flags & F_ZHYL);
}

static int rule_year(Scan *s, Num *num, Hit *h) {
    long long year, end_year = 0;
    if (!full_year(num, &year)) return 0;
    int j = 0;
    int kind = year_word(s, num->next, &j);
    if (kind < 0) return -1;
    int has_end = 0;
    if (num->maximum != NULL) {
        if (!range_end_year(year, num, &end_year)) return 0;
        has_end = 1;
    }
    if (kind == 0) {
        /* (1928-1937) in a bibliography: a bare year range in brackets */
        int before = num->start > 0 && CH(s, num->start - 1) == '(';
        int after = num->next < s->n && tok_is_char(s, num->next, ')');
        if (has_end && end_year && before && after) {
            PyObject *attrs = new_attrs(s);
            TRY(attrs);
            if (interval(s, attrs, year, end_year) < 0) return -1;
            return hit(h, S_DATE, num->start, num->end, attrs);
        }
        return 0;
    }
    if (kind == YW_CENTURY || kind == YW_CENTURIES) return 0;
    int q = qualifier_code(s, j, NULL);
    if (q == -2) return -1;
    if (q == Q_DURATION) return 0; /* 500 жылдан астам: a count of years */
    if (year < 1500 && word_is_zhyl(s, j - 1)) return 0; /* 1000 жыл: a duration */
    if (PyErr_Occurred()) return -1;
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    int single = 0;
    if (has_end) {
        if (interval(s, attrs, year, end_year) < 0) return -1;
    } else if (kind == YW_YEARS && year % 10 == 0) { /* 1930 жылдары = the 1930s */
        if (set_str(s, attrs, K_VALUE, "%lld/%lld", year, year + 9) < 0) return -1;
    } else {
        if (set_str(s, attrs, K_VALUE, "%04lld", year) < 0) return -1;
        single = 1;
    }
    s->has_year = 1;
    s->last_year = has_end && end_year ? end_year : year;
    Py_ssize_t end = s->toks[j - 1].end;
    if (single) {
        if (j < s->n) {
            int r = day_month(s, j, 1, year, h);
            if (r < 0) return -1;
            if (r > 0) {
                h->start = num->start;
                return 1;
            }
        }
        int month = month_of(s, j);
        if (month < 0) return -1;
        if (month > 0) { /* 1929 жылдың қыркүйегінде */
            if (set_str(s, attrs, K_VALUE, "%04lld-%02d", year, month) < 0) return -1;
            j += 1;
            end = s->toks[j - 1].end;
        }
    }
    int k = qualifier(s, j, attrs);
    if (k < 0) return -1;
    if (k > j) end = s->toks[k - 1].end;
    return hit(h, S_DATE, num->start, end, attrs);
}

static int rule_short_year(Scan *s, Num *num, Hit *h) {
    long long v;
    if (!small_int(num->value, &v) || v < 10 || v > 99 || num->roman || num->maximum != NULL) return 0;
    if ((!num->spelled && num->ndigits != 2) || !num->ordinal) return 0;
    int j = 0;
    int kind = year_word(s, num->next, &j);
    if (kind < 0) return -1;
    if (kind != YW_YEAR && kind != YW_YEARS) return 0;
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (PyDict_SetItem(attrs, K_CENTURY_ASSUMED, Py_True) < 0) return -1;
    if (v % 10 == 0) {
        if (set_str(s, attrs, K_VALUE, "%lld/%lld", 1900 + v, 1900 + v + 9) < 0) return -1;
    } else if (kind == YW_YEAR) {
        if (set_str(s, attrs, K_VALUE, "%lld", 1900 + v) < 0) return -1;
    } else {
        return 0;
    }
    Py_ssize_t end = s->toks[j - 1].end;
    int k = qualifier(s, j, attrs);
    if (k < 0) return -1;
    if (k > j) end = s->toks[k - 1].end;
    return hit(h, S_DATE, num->start, end, attrs);
}

static int rule_century(Scan *s, Num *num, Hit *h) {
    long long v, last;
    if (!small_int(num->value, &v) || v < 1 || v > 21) return 0;
    int j = 0;
    int kind = year_word(s, num->next, &j);
    if (kind < 0) return -1;
    if (kind != YW_CENTURY && kind != YW_CENTURIES) return 0;
    PyObject *big_last = NULL; /* a maximum too large for C: 19-99999999999999999999 */
    if (num->maximum == NULL || !PyLong_CheckExact(num->maximum)) last = v;
    else if (!small_int(num->maximum, &last) || last > 1000000000000LL) {
        PyObject *hundred = keep(s, PyLong_FromLong(100)), *one = keep(s, PyLong_FromLong(1));
        PyObject *times = hundred ? keep(s, PyNumber_Multiply(num->maximum, hundred)) : NULL;
        TRY(big_last = times && one ? keep(s, PyNumber_Subtract(times, one)) : NULL);
        last = v;
    }
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (last < v) {
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0) return -1;
        if (PyDict_SetItem(attrs, K_NOTE, N_INTERVAL) < 0) return -1;
    } else {
        char first[32];
        snprintf(first, sizeof first, "%04lld", (v - 1) * 100);
        PyObject *value = big_last ? keep(s, PyUnicode_FromFormat("%s/%S", first, big_last)) : NULL;
        if (big_last ? set_attr(attrs, K_VALUE, value) < 0
                     : set_str(s, attrs, K_VALUE, "%04lld/%04lld", (v - 1) * 100, last * 100 - 1) < 0)
            return -1;
        if (set_attr(attrs, K_CENTURY, keep(s, PyLong_FromLongLong(v))) < 0) return -1;
    }
    Py_ssize_t end = s->toks[j - 1].end;
    int k = qualifier(s, j, attrs);
    if (k < 0) return -1;
    if (k > j) end = s->toks[k - 1].end;
    return hit(h, S_DATE, num->start, end, attrs);
}

static int rule_day_month(Scan *s, int i, Num *num, Hit *h) {
    if (num->ndigits > 2 && !num->spelled) return 0;
    return day_month(s, i, 0, 0, h);
}

static PyObject *amount_value(Scan *s, Num *num) {
    if (num->maximum == NULL) return num->value;
    PyObject *d = keep(s, PyDict_New());
    if (d == NULL || PyDict_SetItem(d, K_MIN, num->value) < 0 || PyDict_SetItem(d, K_MAX, num->maximum) < 0)
        return NULL;
    return d;
}

static int rule_percent(Scan *s, Num *num, Hit *h) {
    int j = num->next;
    if (num->ordinal || j >= s->n) return 0;
    Tok *t = &s->toks[j];
    int is_pct = tok_is_char(s, j, '%');
    if (!is_pct) {
        Lex *e = tok_lex(s, j);
        is_pct = e != NULL && (e->flags & F_PERCENT);
    }
    if (!is_pct) return 0;
    Py_ssize_t end = t->end;
    if (tok_is_char(s, j, '%') && j + 2 < s->n && tok_is_dash(s, j + 1) && s->toks[j + 1].start == t->end) {
        Lex *e = tok_lex(s, j + 2);
        if (e != NULL && (e->flags & F_SUFFIX)) end = s->toks[j + 2].end;
    }
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (set_attr(attrs, K_VALUE, amount_value(s, num)) < 0) return -1;
    return hit(h, S_PERCENTAGE, num->start, end, attrs);
}

/* {"value": {"amount": amount, key: what}}, or {"min", "max", key} for a range: money, quantity */
static PyObject *measure_attrs(Scan *s, Num *num, PyObject *amount, PyObject *key, PyObject *what) {
    PyObject *value = keep(s, PyDict_New());
    if (value == NULL) return NULL;
    if (num->maximum == NULL) {
        if (PyDict_SetItem(value, K_AMOUNT, amount) < 0) return NULL;
    } else if (PyDict_SetItem(value, K_MIN, num->value) < 0 || PyDict_SetItem(value, K_MAX, num->maximum) < 0) {
        return NULL;
    }
    PyObject *attrs = new_attrs(s);
    if (attrs == NULL || PyDict_SetItem(value, key, what) < 0 || PyDict_SetItem(attrs, K_VALUE, value) < 0)
        return NULL;
    return attrs;
}

static int rule_money(Scan *s, Num *num, Hit *h) {
    if (num->ordinal) return 0;
    Lex *e = word_lex(s, num->next);
    PyObject *cur = e ? e->currency : NULL;
    if (cur == NULL) return 0;
    Py_ssize_t end = s->toks[num->next].end;
    PyObject *amount = num->value;
    if (PyTuple_GET_ITEM(cur, 3) == Py_True) {
        TRY(amount = keep(s, PyNumber_TrueDivide(num->value, keep(s, PyLong_FromLong(100)))));
    } else if (num->next + 2 < s->n) {
        Num minor;
        int r = read_number(s, num->next + 1, &minor);
        if (r < 0) return -1;
        long long mv;
        if (r > 0 && minor.maximum == NULL && small_int(minor.value, &mv)) {
            Lex *me = word_lex(s, minor.next);
            PyObject *mc = me ? me->currency : NULL;
            if (mc != NULL && PyTuple_GET_ITEM(mc, 3) == Py_True && mv < 100) {
                PyObject *frac = keep(s, PyNumber_TrueDivide(minor.value, keep(s, PyLong_FromLong(100))));
                PyObject *sum = frac ? keep(s, PyNumber_Add(num->value, frac)) : NULL;
                TRY(sum);
                TRY(amount = keep(s, PyObject_CallFunction(ROUND, "Oi", sum, 2)));
                end = s->toks[minor.next].end;
            }
        }
    }
    PyObject *code = PyTuple_GET_ITEM(cur, 0);
    long long sw = PyLong_AsLongLong(PyTuple_GET_ITEM(cur, 2));
    if (s->has_year && s->last_year >= sw) code = PyTuple_GET_ITEM(cur, 1);
    PyObject *attrs = measure_attrs(s, num, amount, K_CURRENCY, code);
    TRY(attrs);
    int same = PyObject_RichCompareBool(PyTuple_GET_ITEM(cur, 0), PyTuple_GET_ITEM(cur, 1), Py_EQ);
    if (same < 0) return -1;
    if (!s->has_year && !same && PyDict_SetItem(attrs, K_CURRENCY_INFERRED, Py_True) < 0) return -1;
    return hit(h, S_MONEY, num->start, end, attrs);
}

static int rule_quantity(Scan *s, Num *num, Hit *h) {
    if (num->ordinal) return 0;
    int j = num->next;
    Lex *e = word_lex(s, j);
    if (e == NULL) return 0;
    PyObject *unit = e->unit;
    int end_j = j;
    if (unit == NULL && e->multi_unit != NULL) {
        Lex *e2 = word_lex(s, j + 1);
        if (e2 != NULL) {
            unit = PyDict_GetItemWithError(e->multi_unit, e2->form);
            if (unit == NULL && PyErr_Occurred()) return -1;
        }
        end_j = j + 1;
    }
    if (unit == NULL) return 0;
    Py_ssize_t end = s->toks[end_j].end;
    Py_ssize_t wlen = e->len;
    if (wlen <= 2) { /* abbreviations: кг, т., га — a one-letter one needs its dot */
        if (end_j + 1 < s->n && tok_is_char(s, end_j + 1, '.') && s->toks[end_j + 1].start == end) end += 1;
        else if (wlen == 1) return 0;
    }
    PyObject *attrs = measure_attrs(s, num, num->value, K_UNIT, unit);
    TRY(attrs);
    return hit(h, S_QUANTITY, num->start, end, attrs);
}

static PyObject *iso_duration(Scan *s, PyObject *n, PyObject *unit) {
    PyObject *text;
    if (PyFloat_CheckExact(n)) {
        PyObject *g = keep(s, PyObject_Format(n, keep(s, PyUnicode_FromString("g"))));
        text = g ? keep(s, PyUnicode_Replace(g, S_DOT, S_COMMA, -1)) : NULL;
    } else {
        text = keep(s, PyObject_Str(n));
    }
    if (text == NULL) return NULL;
    if (PyUnicode_GET_LENGTH(unit) >= 2 && PyUnicode_READ_CHAR(unit, 0) == 'T')
        return keep(s, PyUnicode_FromFormat("PT%U%c", text, (int)PyUnicode_READ_CHAR(unit, 1)));
    return keep(s, PyUnicode_FromFormat("P%U%U", text, unit));
}

static int rule_duration(Scan *s, Num *num, Hit *h) {
    if (num->ordinal || num->roman) return 0;
    Lex *e = word_lex(s, num->next);
    PyObject *unit = e ? e->duration : NULL;
    if (unit == NULL) return 0;
    PyObject *value;
    if (num->maximum == NULL) {
        TRY(value = iso_duration(s, num->value, unit));
    } else {
        TRY(value = keep(s, PyDict_New()));
        if (set_attr(value, K_MIN, iso_duration(s, num->value, unit)) < 0) return -1;
        if (set_attr(value, K_MAX, iso_duration(s, num->maximum, unit)) < 0) return -1;
    }
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (PyDict_SetItem(attrs, K_VALUE, value) < 0 || PyDict_SetItem(attrs, K_DURATION, Py_True) < 0) return -1;
    return hit(h, S_DATE, num->start, s->toks[num->next].end, attrs);
}

static int rule_number(Scan *s, Num *num, Hit *h) {
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (set_attr(attrs, K_VALUE, amount_value(s, num)) < 0) return -1;
    Tok *nxt = num->next < s->n ? &s->toks[num->next] : NULL;
    if (num->roman) { /* a Roman numeral is an ordinal before a lower-case word: VI пленумында */
        if (nxt == NULL || nxt->kind != 'w' || !Py_UNICODE_ISLOWER(CH(s, nxt->start)) || nxt->start != num->end + 1)
            return 0;
    }
    int backwards = 0;
    if (num->maximum != NULL) {
        backwards = PyObject_RichCompareBool(num->maximum, num->value, Py_LE);
        if (backwards < 0) return -1;
    }
    if (backwards) {
        PyDict_Clear(attrs);
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0 || PyDict_SetItem(attrs, K_NOTE, N_RANGE) < 0) return -1;
    } else if (!num->roman && !num->spelled && !num->suffixed && !num->ordinal && (nxt == NULL || nxt->kind != 'w')) {
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0) return -1; /* a bare number */
    }
    return hit(h, num->ordinal ? S_ORDINAL : S_CARDINAL, num->start, num->end, attrs);
}

static int month_rule(Scan *s, int i, Hit *h) {
    int month = month_of(s, i);
    if (month <= 0) return month;
    if (!Py_UNICODE_ISLOWER(CH(s, s->toks[i].start))) return 0; /* Наурыз, Наурызым: names */
    int j = i + 1;
    /* _word(toks, j).startswith("ай"): only А/а and Й/й lower-case to those two letters */
    Tok *t = j < s->n ? &s->toks[j] : NULL;
    if (t != NULL && t->kind == 'w' && t->end - t->start >= 2
        && (CH(s, t->start) == 0x430 || CH(s, t->start) == 0x410)
        && (CH(s, t->start + 1) == 0x439 || CH(s, t->start + 1) == 0x419)) {
        PyObject *attrs = new_attrs(s);
        TRY(attrs);
        if (set_str(s, attrs, K_VALUE, "--%02d", month) < 0) return -1;
        int k = qualifier(s, j + 1, attrs);
        if (k < 0) return -1;
        return hit(h, S_DATE, s->toks[i].start, s->toks[k - 1].end, attrs);
    }
    if (j < s->n && s->toks[j].kind != 'p') { /* қыркүйектің 30-ы, тамыздың он тоғызы */
        Num num;
        int r = read_number(s, j, &num);
        if (r < 0) return -1;
        long long d;
        if (r > 0 && PyLong_CheckExact(num.value) && num.maximum == NULL && num.suffixed
            && small_int(num.value, &d) && valid_day(d, month, 0, 0)) {
            PyObject *attrs = new_attrs(s);
            TRY(attrs);
            if (set_str(s, attrs, K_VALUE, "--%02d-%02lld", month, d) < 0) return -1;
            return hit(h, S_DATE, s->toks[i].start, num.end, attrs);
        }
    }
    if (MONTH_ALONE[month]) { /* қарашада: November, year unknown */
        PyObject *attrs = new_attrs(s);
        TRY(attrs);
        if (set_str(s, attrs, K_VALUE, "--%02d", month) < 0) return -1;
        int k = qualifier(s, j, attrs);
        if (k < 0) return -1;
        return hit(h, S_DATE, s->toks[i].start, s->toks[k - 1].end, attrs);
    }
    return 0;
}

static int candidate_rules(Scan *s, Num *num) {
    if (num->weak) return R_WEAK;
    if (num->next < s->n && tok_is_char(s, num->next, '%')) return R_PERCENT;
    Lex *e = word_lex(s, num->next);
    return e != NULL && e->rules ? e->rules : R_DEFAULT;
}

static int match_at(Scan *s, Hit *h) {
    Num num;
    int r = read_number(s, 0, &num);
    if (r < 0) return -1;
    if (r == 0) return month_rule(s, 0, h);
    int rules = candidate_rules(s, &num);
    if (rules < 0) return -1;
#define RULE(bit, call) if (rules & (bit)) { r = (call); if (r != 0) return r; }
    RULE(R_YEAR, rule_year(s, &num, h));
    RULE(R_SHORT_YEAR, rule_short_year(s, &num, h));
    RULE(R_CENTURY, rule_century(s, &num, h));
    RULE(R_DAY_MONTH, rule_day_month(s, 0, &num, h));
    RULE(R_PERCENT, rule_percent(s, &num, h));
    RULE(R_MONEY, rule_money(s, &num, h));
    RULE(R_QUANTITY, rule_quantity(s, &num, h));
    RULE(R_DURATION, rule_duration(s, &num, h));
    RULE(R_NUMBER, rule_number(s, &num, h));
#undef RULE
    return 0;
}

/* ------------------------------------------------------------------ scanner.py's fast paths */

static Py_ssize_t digit_run(Scan *s, Py_ssize_t i) {
    while (i < s->len && is_digit(CH(s, i))) i++;
    return i;
}

static Py_ssize_t blanks(Scan *s, Py_ssize_t i) { /* [ \t]* */
    while (i < s->len && (CH(s, i) == ' ' || CH(s, i) == '\t')) i++;
    return i;
}

static Py_ssize_t letters(Scan *s, Py_ssize_t i) {
    while (i < s->len && is_letter(CH(s, i))) i++;
    return i;
}

static int range_isdigit(Scan *s, Py_ssize_t a, Py_ssize_t b) { /* str.isdigit() */
    if (b <= a) return 0;
    for (Py_ssize_t i = a; i < b; i++)
        if (!Py_UNICODE_ISDIGIT(CH(s, i))) return 0;
    return 1;
}

static long long digits_ll(Scan *s, Py_ssize_t a, Py_ssize_t b) { /* short runs only */
    long long v = 0;
    for (Py_ssize_t i = a; i < b; i++) v = v * 10 + Py_UNICODE_TODECIMAL(CH(s, i));
    return v;
}

static int match_lit(Scan *s, Py_ssize_t i, const Py_UCS4 *lit) { /* length matched or 0 */
    Py_ssize_t k = 0;
    while (lit[k]) {
        if (i + k >= s->len || CH(s, i + k) != lit[k]) return 0;
        k++;
    }
    return (int)k;
}

static const Py_UCS4 L_ZH[] = {0x436, 0};                       /* ж */
static const Py_UCS4 L_ZHYLY[] = {0x436, 0x44b, 0x43b, 0x44b, 0};  /* жылы */
static const Py_UCS4 L_ZHYLGY[] = {0x436, 0x44b, 0x43b, 0x493, 0x44b, 0}; /* жылғы */
static const Py_UCS4 L_ZHYLDAN[] = {0x436, 0x44b, 0x43b, 0x434, 0x430, 0x43d, 0};
static const Py_UCS4 L_ZHYLGA[] = {0x436, 0x44b, 0x43b, 0x493, 0x430, 0};
static const Py_UCS4 L_ZHYLDA[] = {0x436, 0x44b, 0x43b, 0x434, 0x430, 0};
static const Py_UCS4 L_ZHYLDYN[] = {0x436, 0x44b, 0x43b, 0x434, 0x44b, 0x4a3, 0};

/* _numeric_date: 30.09.1929, 1.08.1936 ж. */
static int numeric_date(Scan *s, Py_ssize_t a, Hit *h) {
    Py_ssize_t d1 = digit_run(s, a);
    if (d1 - a < 1 || d1 - a > 2 || d1 >= s->len || CH(s, d1) != '.') return 0;
    Py_ssize_t m0 = d1 + 1, m1 = digit_run(s, m0);
    if (m1 - m0 < 1 || m1 - m0 > 2 || m1 >= s->len || CH(s, m1) != '.') return 0;
    Py_ssize_t y0 = m1 + 1, y1 = digit_run(s, y0);
    if (y1 - y0 != 4) return 0;
    Py_ssize_t end = y1, i = blanks(s, y1);
    int k;
    if ((k = match_lit(s, i, L_ZH))) {
        Py_ssize_t q = i + k;
        if (q < s->len && CH(s, q) == 0x436) q++;
        if (q < s->len && CH(s, q) == '.') end = q + 1;
        else if ((k = match_lit(s, i, L_ZHYLY)) || (k = match_lit(s, i, L_ZHYLGY))) end = i + k;
    }
    long long day = digits_ll(s, a, d1), month = digits_ll(s, m0, m1), year = digits_ll(s, y0, y1);
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    if (1 <= month && month <= 12 && 1 <= day && day <= month_days(year, (int)month)) {
        if (set_str(s, attrs, K_VALUE, "%04lld-%02lld-%02lld", year, month, day) < 0) return -1;
        s->has_year = 1, s->last_year = year;
    } else {
        if (PyDict_SetItem(attrs, K_UNCERTAIN, Py_True) < 0 || PyDict_SetItem(attrs, K_NOTE, N_DAY_MONTH) < 0)
            return -1;
    }
    return hit(h, S_DATE, a, end, attrs);
}

/* _fast_cardinal: `432 коммунист` */
static int fast_cardinal(Scan *s, Py_ssize_t a, Hit *h) {
    Py_ssize_t d = digit_run(s, a);
    if (d - a < 1 || d - a > 9) return 0;
    Py_ssize_t w0 = blanks(s, d);
    if (w0 == d) return 0;
    Py_ssize_t w1 = letters(s, w0);
    if (w1 == w0) return 0;
    Lex *e = lex_range(s, w0, w1);
    if (e != NULL && (e->flags & F_SPECIAL)) return 0;
    if (d - a <= 3 && range_isdigit(s, w0, w1)) return 0;
    PyObject *attrs = new_attrs(s);
    TRY(attrs);
    PyObject *v = int_value(s, a, d);
    if (set_attr(attrs, K_VALUE, v) < 0) return -1;
    return hit(h, S_CARDINAL, a, d, attrs);
}

/* _fast_year: `1929 жылы Алматы`, a year word and a next word that cannot extend the date */
static int fast_year(Scan *s, Py_ssize_t a, Hit *h) {
    Py_ssize_t d = digit_run(s, a);
    if (d - a < 4) return 0;
    d = a + 4; /* \d{4} then a blank */
    Py_ssize_t y0 = blanks(s, d);
    if (y0 == d) return 0;
    const Py_UCS4 *alts[] = {L_ZHYLY, L_ZHYLGY, L_ZHYLDAN, L_ZHYLGA, L_ZHYLDA, L_ZHYLDYN};
    for (int q = 0; q < 6; q++) {
        int k = match_lit(s, y0, alts[q]);
        if (!k) continue;
        Py_ssize_t y1 = y0 + k, b = blanks(s, y1);
        Py_ssize_t w1 = b > y1 ? letters(s, b) : b;
        int ok = 0;
        Lex *nxt = NULL;
        if (w1 > b) {
            ok = 1;
            nxt = lex_range(s, b, w1);
        } else if (b < s->len) {
            Py_UCS4 c = CH(s, b);
            ok = c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == 0xbb || c == ')';
        }
        if (!ok) continue; /* the regex tries the next alternative */
        if (nxt != NULL && (nxt->flags & F_FAST_YEAR_STOP)) return 0;
        long long year = digits_ll(s, a, a + 4);
        if (year < 1000 || year > 2100) return 0;
        s->has_year = 1, s->last_year = year;
        PyObject *attrs = new_attrs(s);
        TRY(attrs);
        if (set_attr(attrs, K_VALUE, substr(s, a, a + 4)) < 0) return -1;
        return hit(h, S_DATE, a, y1, attrs);
    }
    return 0;
}

/* ------------------------------------------------------------------ the scan loop */

typedef struct {
    PyObject *list; /* the document's sentences: objects with .start and .end */
    Py_ssize_t nsent;
} Sents;

/* sentences[k].start or .end; -1 with an exception when it is not an int */
static Py_ssize_t sent_at(Sents *se, Py_ssize_t k, PyObject *name) {
    PyObject *v = PyObject_GetAttr(PyList_GET_ITEM(se->list, k), name);
    if (v == NULL) return -1;
    Py_ssize_t x = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return x;
}

static int year_abbr_end(Scan *s, Py_ssize_t lo, Py_ssize_t end) {
    /* _YEAR_ABBR_END: \d\s*жж?\.\s*$ inside text[lo:end] */
    Py_ssize_t p = end;
    while (p > lo && is_space(CH(s, p - 1))) p--;
    if (p - 1 < lo || CH(s, p - 1) != '.') return 0;
    p--;
    if (p - 1 < lo || CH(s, p - 1) != 0x436) return 0;
    p--;
    for (int two = 0; two < 2; two++) {
        Py_ssize_t q = p;
        if (two) {
            if (q - 1 < lo || CH(s, q - 1) != 0x436) break;
            q--;
        }
        while (q > lo && is_space(CH(s, q - 1))) q--;
        if (q - 1 >= lo && is_digit(CH(s, q - 1))) return 1;
        /* \s* may also stop short of a digit further left only through spaces: done above */
    }
    return 0;
}

static Py_ssize_t sentence_end(Scan *s, Sents *se, Py_ssize_t pos) {
    /* bisect_right(starts, pos) - 1 */
    Py_ssize_t lo = 0, hi = se->nsent;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        Py_ssize_t at = sent_at(se, mid, S_START);
        if (at == -1 && PyErr_Occurred()) return -1;
        if (pos < at) hi = mid;
        else lo = mid + 1;
    }
    Py_ssize_t k = lo - 1;
    if (k < 0) return s->len;
    Py_ssize_t end = sent_at(se, k, S_END);
    if (end == -1 && PyErr_Occurred()) return -1;
    while (k + 1 < se->nsent && end - pos < 40 && year_abbr_end(s, pos > end - 12 ? pos : end - 12, end)) {
        k++;
        end = sent_at(se, k, S_END);
        if (end == -1 && PyErr_Occurred()) return -1;
    }
    return end;
}

static int try_grammar(Scan *s, Py_ssize_t a, Py_ssize_t end, Sents *se, Py_ssize_t footer,
                       Py_ssize_t window, Hit *h) {
    Py_ssize_t limit = a + window < end ? a + window : end;
    if (se->nsent) {
        Py_ssize_t se_end = sentence_end(s, se, a);
        if (PyErr_Occurred()) return -1;
        if (se_end < limit) limit = se_end;
    }
    tokenize(s, a, limit);
    if (s->n == 0) return 0;
    int r = match_at(s, h);
    if (r <= 0) return r;
    if (h->start >= footer && h->label != S_DATE) return 0;
    return 1;
}

/* _back_to_compound: an anchor on `мың` in `бір мың`: start at `бір` */
static Py_ssize_t back_to_compound(Scan *s, Py_ssize_t a) {
    while (a > 0) {
        Py_ssize_t lo = a - 16 > 0 ? a - 16 : 0, p = a;
        while (p > lo && is_space(CH(s, p - 1))) p--;
        if (p == a) return a;
        Py_ssize_t w = p;
        while (w > lo && is_letter(CH(s, w - 1))) w--;
        if (w == p) return a;
        Lex *e = lex_range(s, w, p);
        if (PyErr_Occurred()) return -1;
        if (e == NULL || e->number_word == NULL || !nw_flag(e->number_word, NW_BARE)) return a;
        a = w;
    }
    return a;
}

typedef struct {
    Py_ssize_t at;
    int is_word;
} Anchor;

typedef struct {
    Py_ssize_t *v; /* start, end, start, end ... of the ranges not to read (sorted) */
    Py_ssize_t n;
} Skip;

/* the (start, end) pairs of a list, checked; 0, or -1 with an exception */
static int skip_of(PyObject *list, Skip *out) {
    out->n = PyList_GET_SIZE(list);
    out->v = PyMem_Malloc((size_t)(2 * out->n + 1) * sizeof *out->v);
    if (out->v == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < out->n; k++) {
        PyObject *pair = PyList_GET_ITEM(list, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "scan(): skip holds (start, end) pairs");
            return -1;
        }
        for (int q = 0; q < 2; q++) {
            out->v[2 * k + q] = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, q));
            if (out->v[2 * k + q] == -1 && PyErr_Occurred()) return -1;
        }
    }
    return 0;
}

static int in_skip(const Skip *skip, Py_ssize_t a) {
    Py_ssize_t lo = 0, hi = skip->n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a < skip->v[2 * mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo - 1 >= 0 && a < skip->v[2 * (lo - 1) + 1];
}

typedef struct {
    Anchor *at;
    Py_ssize_t n, cap;
} Anchors;

static int add_anchor(Anchors *out, Py_ssize_t pos, int is_word) {
    if (out->n == out->cap) {
        Anchor *grown = PyMem_Realloc(out->at, 2 * out->cap * sizeof *grown);
        if (grown == NULL) return -1;
        out->at = grown, out->cap *= 2;
    }
    out->at[out->n].at = pos, out->at[out->n].is_word = is_word, out->n++;
    return 0;
}

/* Is the letter run text[i:j] an anchor form? 1 yes, 0 no, -1 error */
static int anchor_word(Scan *s, Py_ssize_t i, Py_ssize_t j) {
    Py_ssize_t n = j - i;
    if (n > MAX_FORM_LEN) return 0;
    size_t bit = shape_bit(CH(s, i), n > 1 ? CH(s, i + 1) : 0, n > 2 ? CH(s, i + 2) : 0, CH(s, j - 1), n);
    if (!(FORM_FILTER[bit >> 3] & (1u << (bit & 7)))) return 0;
    if ((i > 0 && is_letter(CH(s, i - 1))) || (j < s->len && is_letter(CH(s, j)))) return 0;
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t q = i; q < j; q++) h = fnv_step(h, CH(s, q));
    if (!form_hash_has(h)) return 0;
    PyObject *w = PyUnicode_Substring(s->text, i, j);
    if (w == NULL) return -1;
    int in = PySet_Contains(ANCHOR_FORMS, w);
    Py_DECREF(w);
    return in;
}

#if defined(__SSE2__)
#include <emmintrin.h>

/* Two-byte text (all Kazakh Cyrillic), eight characters at a time: bit masks of the letters
   and ASCII digits of text[start:end], so that the scan pays per word, not per character
   (a per-character loop mispredicts a branch at every word boundary). */
static inline __m128i ult16(__m128i x, uint16_t n) { /* unsigned x < n, per 16-bit lane */
    const __m128i bias = _mm_set1_epi16((short)0x8000);
    return _mm_cmplt_epi16(_mm_xor_si128(x, bias), _mm_set1_epi16((short)(n ^ 0x8000)));
}

static inline unsigned lanes(__m128i m) { return (unsigned)_mm_movemask_epi8(_mm_packs_epi16(m, _mm_setzero_si128())); }

static void class_masks(const Py_UCS2 *t, Py_ssize_t start, Py_ssize_t n, uint64_t *L, uint64_t *D) {
    Py_ssize_t nwords = (n + 63) / 64;
    for (Py_ssize_t w = 0; w < nwords; w++) {
        uint64_t lm = 0, dm = 0;
        for (int k = 0; k < 8; k++) {
            Py_ssize_t base = w * 64 + k * 8;
            if (base >= n) break;
            unsigned lb = 0, db = 0;
            if (base + 8 <= n) {
                __m128i v = _mm_loadu_si128((const __m128i *)(t + start + base));
                __m128i ascii = ult16(_mm_sub_epi16(_mm_or_si128(v, _mm_set1_epi16(0x20)), _mm_set1_epi16('a')), 26);
                __m128i digit = ult16(_mm_sub_epi16(v, _mm_set1_epi16('0')), 10);
                __m128i cyr = ult16(_mm_sub_epi16(v, _mm_set1_epi16(0x400)), 0x130);
                __m128i hole = ult16(_mm_sub_epi16(v, _mm_set1_epi16(0x482)), 8);
                __m128i low = ult16(v, 0x80);
                unsigned slow = ~(lanes(low) | lanes(cyr)) & 0xFF; /* other scripts: ask Python */
                lb = lanes(ascii) | (lanes(cyr) & ~lanes(hole));
                db = lanes(digit);
                while (slow) {
                    int q = __builtin_ctz(slow);
                    if (is_letter(t[start + base + q])) lb |= 1u << q;
                    slow &= slow - 1;
                }
            } else {
                for (Py_ssize_t q = 0; base + q < n; q++) {
                    Py_UCS4 c = t[start + base + q];
                    if (is_letter(c)) lb |= 1u << q;
                    if (c >= '0' && c <= '9') db |= 1u << q;
                }
            }
            lm |= (uint64_t)(lb & 0xFF) << (k * 8);
            dm |= (uint64_t)(db & 0xFF) << (k * 8);
        }
        L[w] = lm, D[w] = dm;
    }
}

static Py_ssize_t next_clear(const uint64_t *M, Py_ssize_t nwords, Py_ssize_t n, Py_ssize_t from) {
    Py_ssize_t w = from >> 6;
    uint64_t x = ~M[w] & (~0ULL << (from & 63));
    while (x == 0) {
        if (++w >= nwords) return n;
        x = ~M[w];
    }
    Py_ssize_t at = w * 64 + __builtin_ctzll(x);
    return at < n ? at : n;
}

/* anchors of two-byte text: digit runs and anchor words, in text order */
static int anchors_ucs2(Scan *s, Py_ssize_t start, Py_ssize_t end, Anchors *out) {
    Py_ssize_t n = end - start, nwords = (n + 63) / 64;
    if (n <= 0) return 0;
    uint64_t *L = PyMem_Malloc(2 * nwords * sizeof *L);
    if (L == NULL) return -1;
    uint64_t *D = L + nwords;
    class_masks((const Py_UCS2 *)s->data, start, n, L, D);
    uint64_t dcarry = 0, lcarry = 0;
    int r = 0;
    for (Py_ssize_t w = 0; w < nwords && r == 0; w++) {
        uint64_t d = D[w], l = L[w];
        uint64_t dstarts = d & ~((d << 1) | dcarry), lstarts = l & ~((l << 1) | lcarry);
        dcarry = d >> 63, lcarry = l >> 63;
        while ((dstarts | lstarts) && r == 0) { /* the lower bit first: text order */
            uint64_t dl = dstarts & -dstarts, ll = lstarts & -lstarts;
            int is_word = ll && (!dl || ll < dl);
            Py_ssize_t i = start + w * 64 + __builtin_ctzll(is_word ? ll : dl);
            if (is_word) {
                lstarts &= lstarts - 1;
                int add = anchor_word(s, i, start + next_clear(L, nwords, n, i - start));
                r = add < 0 ? -1 : add ? add_anchor(out, i, 1) : 0;
            } else {
                dstarts &= dstarts - 1;
                r = add_anchor(out, i, 0);
            }
        }
    }
    PyMem_Free(L);
    return r;
}
#endif

/* the same, one character at a time: one-byte and four-byte text */
static int anchors_any(Scan *s, Py_ssize_t start, Py_ssize_t end, Anchors *out) {
    Py_ssize_t i = start;
    while (i < end) {
        Py_UCS4 c = CH(s, i);
        if (c >= '0' && c <= '9') {
            Py_UCS4 before = i > start ? CH(s, i - 1) : 0;
            if ((i == start || !(before >= '0' && before <= '9')) && add_anchor(out, i, 0) < 0) return -1;
            i++;
        } else if (is_letter(c)) {
            Py_ssize_t j = i + 1;
            while (j < end && is_letter(CH(s, j))) j++;
            int add = anchor_word(s, i, j);
            if (add < 0 || (add && add_anchor(out, i, 1) < 0)) return -1;
            i = j;
        } else {
            i++;
        }
    }
    return 0;
}

/* where ASCII digit runs start, and letter runs that are anchor forms, in text order */
static Anchor *find_anchors(Scan *s, Py_ssize_t start, Py_ssize_t end, Py_ssize_t *count) {
    Anchors out = {PyMem_Malloc(256 * sizeof(Anchor)), 0, 256};
    if (out.at == NULL) return (Anchor *)PyErr_NoMemory();
#if defined(__SSE2__)
    int r = s->ukind == PyUnicode_2BYTE_KIND ? anchors_ucs2(s, start, end, &out) : anchors_any(s, start, end, &out);
#else
    int r = anchors_any(s, start, end, &out);
#endif
    if (r < 0) {
        PyMem_Free(out.at);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return NULL;
    }
    *count = out.n;
    return out.at;
}

/* Span("value", label, start, end, attrs) */
static PyObject *make_span(Hit *h) {
    PyObject *a = PyLong_FromSsize_t(h->start), *b = PyLong_FromSsize_t(h->end);
    PyObject *span = NULL;
    if (a != NULL && b != NULL) {
        PyObject *args[] = {S_VALUE, h->label, a, b, h->attrs};
        span = PyObject_Vectorcall(SPAN, args, 5, NULL);
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    return span;
}

static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *text, *sentences, *skip_list;
    Py_ssize_t start, end, footer;
    if (!PyArg_ParseTuple(args, "UnnO!O!n", &text, &start, &end, &PyList_Type, &sentences, &PyList_Type,
                          &skip_list, &footer))
        return NULL;
    if (LEX_TABLE == NULL || FORM_HASHES == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "muragat.values._scan: configure() first");
        return NULL;
    }
    Scan s;
    s.text = text;
    s.ukind = PyUnicode_KIND(text);
    s.data = PyUnicode_DATA(text);
    s.len = PyUnicode_GET_LENGTH(text);
    s.has_year = 0, s.last_year = 0, s.n = 0;
    if (start < 0) start = 0;
    if (end > s.len) end = s.len;
    Sents se = {sentences, PyList_GET_SIZE(sentences)};
    Skip skip;
    if (skip_of(skip_list, &skip) < 0) {
        PyMem_Free(skip.v);
        return NULL;
    }
    Anchor *anchors = NULL;
    Py_ssize_t nanchors = 0;
    PyObject *out = PyList_New(0);
    s.keep = PyList_New(0);
    if (out == NULL || s.keep == NULL) goto error;
    anchors = find_anchors(&s, start, end, &nanchors);
    if (anchors == NULL) goto error;
    Py_ssize_t last_end = start;
    for (Py_ssize_t q = 0; q < nanchors; q++) {
        Py_ssize_t a = anchors[q].at;
        int is_word = anchors[q].is_word;
        if (a < last_end || (skip.n && in_skip(&skip, a))) continue;
        if (!is_word && a && Py_UNICODE_ISALPHA(CH(&s, a - 1))) continue; /* ҚК2: no value */
        Hit h = {NULL, 0, 0, NULL};
        int r;
        if (is_word) { /* spelled numbers run longer: бір миллиард екі жүз отыз миллион */
            Py_ssize_t b = back_to_compound(&s, a);
            if (b < 0) goto error;
            a = b > last_end ? b : last_end;
            r = try_grammar(&s, a, end, &se, footer, 80, &h);
        } else if (a < footer) {
            r = numeric_date(&s, a, &h);
            if (r == 0) r = fast_cardinal(&s, a, &h);
            if (r == 0) r = fast_year(&s, a, &h);
            if (r == 0) r = try_grammar(&s, a, end, &se, footer, 40, &h);
        } else if (digit_run(&s, a) - a == 4) { /* in the footer only years: (1928-1937) */
            r = try_grammar(&s, a, end, &se, footer, 40, &h);
        } else {
            continue;
        }
        if (r < 0 || PyErr_Occurred()) goto error; /* a lookup through str.lower() may have failed */
        if (r > 0) {
            PyObject *item = make_span(&h);
            int appended = item != NULL && PyList_Append(out, item) == 0;
            Py_XDECREF(item);
            if (!appended) goto error;
            last_end = h.end;
        }
    }
    PyMem_Free(anchors);
    PyMem_Free(skip.v);
    Py_DECREF(s.keep);
    return out;
error:
    PyMem_Free(anchors);
    PyMem_Free(skip.v);
    Py_XDECREF(out);
    Py_XDECREF(s.keep);
    return NULL;
}

/* ------------------------------------------------------------------ set-up */

static const char *TABLES[] = {
    "number_words", "months", "months_alone", "year_words", "qualifiers", "currencies", "units",
    "multiword_units", "durations", "percent_words", "number_suffixes", "ordinal_suffixes",
    "special_words", "fast_year_stop", "rules", "anchor_forms", "span", NULL,
};

static void take(PyObject *tables, const char *key, PyObject **slot) { /* key checked before */
    PyObject *v = PyDict_GetItemString(tables, key);
    Py_INCREF(v);
    Py_XSETREF(*slot, v);
}

static void lex_clear(void) {
    for (Py_ssize_t i = 0; i < LEX_COUNT; i++) PyMem_Free(LEX_ENTRIES[i].chars);
    PyMem_Free(LEX_ENTRIES);
    PyMem_Free(LEX_TABLE);
    LEX_ENTRIES = NULL, LEX_TABLE = NULL, LEX_COUNT = 0;
    Py_CLEAR(LEX_FORMS);
}

/* the entry of a form, added when new; NULL with an exception on error */
static Lex *lex_entry(PyObject *form, Py_ssize_t capacity) {
    if (!PyUnicode_Check(form)) {
        PyErr_SetString(PyExc_TypeError, "configure(): vocabulary forms must be str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(form);
    if (n == 0 || n > LEX_MAX_LEN) {
        PyErr_Format(PyExc_ValueError, "configure(): form %R is empty or longer than %d", form, LEX_MAX_LEN);
        return NULL;
    }
    Py_UCS4 buf[LEX_MAX_LEN];
    for (Py_ssize_t i = 0; i < n; i++) buf[i] = PyUnicode_READ_CHAR(form, i);
    uint64_t h = hash_chars(buf, n);
    Lex *e = lex_find(h, buf, n);
    if (e != NULL) return e;
    if (LEX_COUNT >= capacity) {
        PyErr_SetString(PyExc_RuntimeError, "configure(): lexicon overflow");
        return NULL;
    }
    e = &LEX_ENTRIES[LEX_COUNT++];
    memset(e, 0, sizeof *e);
    e->hash = h, e->len = n, e->form = form;
    if ((e->chars = PyMem_Malloc(n * sizeof *buf)) == NULL || PyList_Append(LEX_FORMS, form) < 0) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(e->chars, buf, n * sizeof *buf);
    if (PyUnicode_Compare(form, S_ZHYL) == 0) e->flags |= F_ZHYL;
    size_t i = (size_t)h & LEX_MASK;
    while (LEX_TABLE[i] != NULL) i = (i + 1) & LEX_MASK;
    LEX_TABLE[i] = e;
    return e;
}

enum { SET_FLAG, SET_OBJECT, SET_INT_MONTH, SET_INT_RULES, ADD_ONLY };

/* every key of a dict (or member of a set) into the lexicon */
static int lex_add_all(PyObject *table, int how, size_t field, unsigned flag, Py_ssize_t capacity) {
    PyObject *it = PyObject_GetIter(table), *form;
    if (it == NULL) return -1;
    while ((form = PyIter_Next(it))) {
        Lex *e = lex_entry(form, capacity);
        PyObject *value = how == SET_FLAG || how == ADD_ONLY ? NULL : PyDict_GetItemWithError(table, form);
        Py_DECREF(form); /* the table holds it */
        if (e == NULL || (value == NULL && how != SET_FLAG && how != ADD_ONLY)) {
            Py_DECREF(it);
            return -1;
        }
        if (how == SET_FLAG) e->flags |= flag;
        else if (how == SET_OBJECT) *(PyObject **)((char *)e + field) = value;
        else if (how == SET_INT_MONTH) e->month = (int)PyLong_AsLong(value);
        else if (how == SET_INT_RULES) e->rules = (int)PyLong_AsLong(value);
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

static int build_lexicon(void) {
    PyObject *all[] = {NUMBER_WORDS, MONTHS, YEAR_WORDS, QUALIFIERS, CURRENCIES, UNITS, MULTI_UNITS,
                       DURATIONS, PERCENT_WORDS, NUMBER_SUFFIXES, SPECIAL_WORDS, FAST_YEAR_STOP, RULES};
    Py_ssize_t capacity = 0;
    for (size_t k = 0; k < sizeof all / sizeof *all; k++) {
        Py_ssize_t n = PyObject_Size(all[k]);
        if (n < 0) return -1;
        capacity += n;
    }
    PyObject *inner;
    Py_ssize_t pos = 0;
    while (PyDict_Next(MULTI_UNITS, &pos, NULL, &inner)) {
        Py_ssize_t n = PyObject_Size(inner);
        if (n < 0) return -1;
        capacity += n;
    }
    size_t size = 1024;
    while (size < (size_t)capacity * 2) size *= 2;
    LEX_ENTRIES = PyMem_Calloc(capacity ? capacity : 1, sizeof *LEX_ENTRIES);
    LEX_TABLE = PyMem_Calloc(size, sizeof *LEX_TABLE);
    LEX_FORMS = PyList_New(0);
    if (LEX_ENTRIES == NULL || LEX_TABLE == NULL || LEX_FORMS == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    LEX_MASK = size - 1;
#define FIELD(name) offsetof(Lex, name)
    if (lex_add_all(NUMBER_WORDS, SET_OBJECT, FIELD(number_word), 0, capacity) < 0
        || lex_add_all(MONTHS, SET_INT_MONTH, 0, 0, capacity) < 0
        || lex_add_all(YEAR_WORDS, SET_OBJECT, FIELD(year_word), 0, capacity) < 0
        || lex_add_all(QUALIFIERS, SET_OBJECT, FIELD(qualifier), 0, capacity) < 0
        || lex_add_all(CURRENCIES, SET_OBJECT, FIELD(currency), 0, capacity) < 0
        || lex_add_all(UNITS, SET_OBJECT, FIELD(unit), 0, capacity) < 0
        || lex_add_all(MULTI_UNITS, SET_OBJECT, FIELD(multi_unit), 0, capacity) < 0
        || lex_add_all(DURATIONS, SET_OBJECT, FIELD(duration), 0, capacity) < 0
        || lex_add_all(PERCENT_WORDS, SET_FLAG, 0, F_PERCENT, capacity) < 0
        || lex_add_all(NUMBER_SUFFIXES, SET_FLAG, 0, F_SUFFIX, capacity) < 0
        || lex_add_all(SPECIAL_WORDS, SET_FLAG, 0, F_SPECIAL, capacity) < 0
        || lex_add_all(FAST_YEAR_STOP, SET_FLAG, 0, F_FAST_YEAR_STOP, capacity) < 0
        || lex_add_all(RULES, SET_INT_RULES, 0, 0, capacity) < 0)
        return -1;
#undef FIELD
    pos = 0;
    while (PyDict_Next(MULTI_UNITS, &pos, NULL, &inner))
        if (lex_add_all(inner, ADD_ONLY, 0, 0, capacity) < 0) return -1;
    /* 30-шы, 5-інші: an ending is ordinal when it starts with an ordinal suffix */
    Py_ssize_t nsuf = PyTuple_Size(ORDINAL_SUFFIXES);
    if (nsuf < 0) return -1;
    for (Py_ssize_t i = 0; i < LEX_COUNT; i++) {
        Lex *e = &LEX_ENTRIES[i];
        if (!(e->flags & F_SUFFIX)) continue;
        for (Py_ssize_t q = 0; q < nsuf; q++) {
            int r = PyUnicode_Tailmatch(e->form, PyTuple_GET_ITEM(ORDINAL_SUFFIXES, q), 0, PY_SSIZE_T_MAX, -1);
            if (r < 0) return -1;
            if (r) e->flags |= F_ORDINAL_SUFFIX;
        }
    }
    return 0;
}

static PyObject *configure(PyObject *self, PyObject *tables) {
    if (!PyDict_Check(tables)) {
        PyErr_SetString(PyExc_TypeError, "configure() takes a dict of tables");
        return NULL;
    }
    for (const char **key = TABLES; *key; key++) {
        if (PyDict_GetItemString(tables, *key) == NULL) {
            PyErr_Format(PyExc_KeyError, "configure(): missing table %s", *key);
            return NULL;
        }
    }
    if (!PyAnySet_Check(PyDict_GetItemString(tables, "anchor_forms"))) {
        PyErr_SetString(PyExc_TypeError, "configure(): anchor_forms must be a set");
        return NULL;
    }
    lex_clear(); /* its entries borrow from the tables about to be replaced */
    take(tables, "number_words", &NUMBER_WORDS);
    take(tables, "months", &MONTHS);
    take(tables, "year_words", &YEAR_WORDS);
    take(tables, "qualifiers", &QUALIFIERS);
    take(tables, "currencies", &CURRENCIES);
    take(tables, "units", &UNITS);
    take(tables, "multiword_units", &MULTI_UNITS);
    take(tables, "durations", &DURATIONS);
    take(tables, "percent_words", &PERCENT_WORDS);
    take(tables, "number_suffixes", &NUMBER_SUFFIXES);
    take(tables, "ordinal_suffixes", &ORDINAL_SUFFIXES);
    take(tables, "special_words", &SPECIAL_WORDS);
    take(tables, "fast_year_stop", &FAST_YEAR_STOP);
    take(tables, "rules", &RULES);
    take(tables, "anchor_forms", &ANCHOR_FORMS);
    take(tables, "span", &SPAN);
    if (build_lexicon() < 0) {
        lex_clear();
        return NULL;
    }
    PyObject *alone = PyDict_GetItemString(tables, "months_alone");
    for (int m = 0; m <= 12; m++) {
        PyObject *k = PyLong_FromLong(m);
        if (k == NULL) return NULL;
        int in = PySequence_Contains(alone, k);
        Py_DECREF(k);
        if (in < 0) return NULL;
        MONTH_ALONE[m] = in;
    }
    Py_ssize_t nforms = PySet_GET_SIZE(ANCHOR_FORMS);
    size_t size = 1024;
    while (size < (size_t)nforms * 4) size *= 2;
    PyMem_Free(FORM_HASHES);
    FORM_HASHES = PyMem_Calloc(size, sizeof *FORM_HASHES);
    if (FORM_HASHES == NULL) return PyErr_NoMemory();
    FORM_MASK = size - 1;
    memset(FORM_FILTER, 0, sizeof FORM_FILTER);
    MAX_FORM_LEN = 0;
    PyObject *it = PyObject_GetIter(ANCHOR_FORMS), *form;
    if (it == NULL) return NULL;
    while ((form = PyIter_Next(it))) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(form);
        uint64_t h = FNV_OFFSET;
        for (Py_ssize_t i = 0; i < n; i++) h = fnv_step(h, PyUnicode_READ_CHAR(form, i));
        form_hash_add(h);
        if (n > 0) {
            size_t b = shape_bit(PyUnicode_READ_CHAR(form, 0), n > 1 ? PyUnicode_READ_CHAR(form, 1) : 0,
                                 n > 2 ? PyUnicode_READ_CHAR(form, 2) : 0, PyUnicode_READ_CHAR(form, n - 1), n);
            FORM_FILTER[b >> 3] |= (uint8_t)(1u << (b & 7));
        }
        if (n > MAX_FORM_LEN) MAX_FORM_LEN = n;
        Py_DECREF(form);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

static PyObject *letter_class(PyObject *self, PyObject *arg) { /* for the tests */
    long c = PyLong_AsLong(arg);
    if (c == -1 && PyErr_Occurred()) return NULL;
    return PyBool_FromLong(is_letter((Py_UCS4)c));
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_O, "Hand over the vocabularies (a dict of tables)."},
    {"scan", scan, METH_VARARGS,
     "scan(text, start, end, sentences, skip, footer) -> [Span]; skip: sorted (start, end) pairs"},
    {"is_letter", letter_class, METH_O, "Whether a code point is in [^\\W\\d_]."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_scan", "The values scanner, compiled.", -1, methods};

#define INTERN(var, str) if ((var = PyUnicode_InternFromString(str)) == NULL) return NULL

PyMODINIT_FUNC PyInit__scan(void) {
    INTERN(S_DATE, "DATE");
    INTERN(S_CARDINAL, "CARDINAL");
    INTERN(S_ORDINAL, "ORDINAL");
    INTERN(S_MONEY, "MONEY");
    INTERN(S_QUANTITY, "QUANTITY");
    INTERN(S_PERCENTAGE, "PERCENTAGE");
    INTERN(K_VALUE, "value");
    INTERN(K_MOD, "mod");
    INTERN(K_UNCERTAIN, "uncertain");
    INTERN(K_NOTE, "note");
    INTERN(K_CENTURY, "century");
    INTERN(K_CENTURY_ASSUMED, "century_assumed");
    INTERN(K_DURATION, "duration");
    INTERN(K_CURRENCY_INFERRED, "currency_inferred");
    INTERN(K_MIN, "min");
    INTERN(K_MAX, "max");
    INTERN(K_AMOUNT, "amount");
    INTERN(K_CURRENCY, "currency");
    INTERN(K_UNIT, "unit");
    INTERN(N_IMPOSSIBLE_DAY, "impossible day");
    INTERN(N_INTERVAL, "interval ends before it starts");
    INTERN(N_RANGE, "range ends before it starts");
    INTERN(N_DAY_MONTH, "impossible day or month");
    INTERN(S_LOWER, "lower");
    INTERN(S_COMMA, ",");
    INTERN(S_VALUE, "value");
    INTERN(S_START, "start");
    INTERN(S_END, "end");
    INTERN(S_DOT, ".");
    INTERN(S_ZHYL, "\xd0\xb6\xd1\x8b\xd0\xbb"); /* жыл */
    PyObject *builtins = PyEval_GetBuiltins();
    ROUND = builtins ? PyDict_GetItemString(builtins, "round") : NULL;
    if (ROUND == NULL) return NULL;
    Py_INCREF(ROUND);
    return PyModule_Create(&module);
}
