/* The morphology tagger's compiled loops, each the twin of a Python reference: forward-backward
 * of the sentence view's CRF (crf._forward_backward_py), the view's weights
 * (_ViewWeights.weights_py), a word's readings scored in context (ranker.score_in_context_py),
 * a new form's static scores (ranker.static_scores_py) and its CRF rows (UposCRF._vector).
 *
 * Forward-backward of a linear-chain CRF: the compiled twin of crf._forward_backward_py.
 *
 * forward_backward(state, trans, out): `state` is an n x L C-contiguous float64 array of
 * state scores, `trans` an L x L buffer of transition scores (from row to column), `out` an
 * n x L float64 buffer that receives the marginal probability of every label at every position.
 * Scores are exponentiated after subtracting each row's maximum and alpha/beta are rescaled at
 * every step, so no value overflows for any sentence length.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int get_buffer(PyObject *obj, Py_buffer *view, int writable, const char *name) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0)
        return -1;
    if (view->itemsize != sizeof(double) || view->format == NULL || strcmp(view->format, "d")) {
        PyErr_Format(PyExc_TypeError, "%s must be a float64 buffer", name);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Acquires the n buffers (objs[k] as bufs[k], writable where writable[k]) or none of them. */
static int get_buffers(PyObject *const *objs, Py_buffer *bufs, const int *writable,
                       const char *const *names, int n) {
    for (int k = 0; k < n; k++) {
        if (get_buffer(objs[k], &bufs[k], writable[k], names[k]) < 0) {
            while (k-- > 0)
                PyBuffer_Release(&bufs[k]);
            return -1;
        }
    }
    return 0;
}

static void release_buffers(Py_buffer *bufs, int n) {
    for (int k = 0; k < n; k++)
        PyBuffer_Release(&bufs[k]);
}

/* Marginals of the n x L state scores S under transitions T into M; work holds
 * L*L + 2*n*L doubles. */
static void marginals(const double *S, const double *T, double *M, double *work, Py_ssize_t n,
                      Py_ssize_t L) {
    double *E = work, *A = work + L * L, *B = A + n * L;
    for (Py_ssize_t k = 0; k < L * L; k++)
        E[k] = exp(T[k]);
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *row = S + i * L;
        double mx = row[0];
        for (Py_ssize_t y = 1; y < L; y++)
            if (row[y] > mx)
                mx = row[y];
        for (Py_ssize_t y = 0; y < L; y++)
            M[i * L + y] = exp(row[y] - mx);
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* forward, each alpha row summing to 1 */
        double *a = A + i * L, sum = 0.0;
        for (Py_ssize_t y = 0; y < L; y++) {
            double v = 1.0;
            if (i) {
                v = 0.0;
                for (Py_ssize_t x = 0; x < L; x++)
                    v += A[(i - 1) * L + x] * E[x * L + y];
            }
            a[y] = v * M[i * L + y];
            sum += a[y];
        }
        for (Py_ssize_t y = 0; y < L; y++)
            a[y] /= sum;
    }
    for (Py_ssize_t i = n - 1; i >= 0; i--) { /* backward, rescaled the same way */
        double *b = B + i * L, sum = 0.0;
        for (Py_ssize_t x = 0; x < L; x++) {
            double v = 1.0;
            if (i < n - 1) {
                v = 0.0;
                for (Py_ssize_t y = 0; y < L; y++)
                    v += E[x * L + y] * M[(i + 1) * L + y] * B[(i + 1) * L + y];
            }
            b[x] = v;
            sum += v;
        }
        for (Py_ssize_t x = 0; x < L; x++)
            b[x] /= sum;
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* marginal = alpha * beta, normalised per position */
        double sum = 0.0;
        for (Py_ssize_t y = 0; y < L; y++)
            sum += A[i * L + y] * B[i * L + y];
        for (Py_ssize_t y = 0; y < L; y++)
            M[i * L + y] = A[i * L + y] * B[i * L + y] / sum;
    }
}

static PyObject *forward_backward(PyObject *self, PyObject *args) {
    PyObject *s_obj, *t_obj, *o_obj;
    if (!PyArg_ParseTuple(args, "OOO", &s_obj, &t_obj, &o_obj))
        return NULL;
    PyObject *objs[3] = {s_obj, t_obj, o_obj};
    static const int writable[3] = {0, 0, 1};
    static const char *const names[3] = {"state", "trans", "out"};
    Py_buffer bufs[3];
    if (get_buffers(objs, bufs, writable, names, 3) < 0)
        return NULL;
    Py_buffer sb = bufs[0], tb = bufs[1], ob = bufs[2];
    PyObject *result = NULL;
    double *work = NULL;
    if (sb.ndim != 2 || tb.ndim != 2 || ob.ndim != 2 || tb.shape[0] != tb.shape[1] ||
        sb.shape[1] != tb.shape[0] || ob.shape[0] != sb.shape[0] || ob.shape[1] != sb.shape[1] ||
        sb.shape[0] < 1 || sb.shape[1] < 1) {
        PyErr_SetString(PyExc_ValueError,
                        "state (n x L), trans (L x L) and out (n x L) must be 2-D and agree");
        goto done;
    }
    Py_ssize_t n = sb.shape[0], L = sb.shape[1];
    const double *S = sb.buf, *T = tb.buf;
    double *M = ob.buf;
    /* exp(state - row max) into M, exp(trans) and alpha/beta in `work` */
    work = malloc(sizeof(double) * (size_t)(L * L + 2 * n * L + 1));
    if (work == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    marginals(S, T, M, work, n, L);
    result = Py_NewRef(Py_None);
done:
    free(work);
    release_buffers(bufs, 3);
    return result;
}


/* Reads n ints from a list into out; -1 with an exception on anything else. */
static int read_ints(PyObject *list, Py_ssize_t n, Py_ssize_t limit, Py_ssize_t *out,
                     const char *name) {
    if (!PyList_Check(list) || PyList_GET_SIZE(list) != n) {
        PyErr_Format(PyExc_ValueError, "%s must be a list of %zd row numbers", name, n);
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t v = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (v < 0 || v >= limit) {
            PyErr_Format(PyExc_IndexError, "%s: row %zd outside the table", name, v);
            return -1;
        }
        out[i] = v;
    }
    return 0;
}

/* view_weights(table, rows, before, after, trans, best_w, bucket_w, edges, slots):
 * the sentence view of one sentence in one call (the twin of UposCRF.state_scores followed by
 * _ViewWeights.weights). State score of word i = table[rows[i]] + for each neighbour slot k
 * (offsets in `slots`, a tuple of ints) table[rows[i+off] + k] or the bound row k, +
 * table[before[i]] + table[after[i]]. Returns, per word, the list of
 * best_w[argmax p_i][u] + bucket_w[u][#edges <= p_i(u)] for every label u. */
static PyObject *view_weights(PyObject *self, PyObject *args) {
    PyObject *t_obj, *rows_obj, *bef_obj, *aft_obj, *tr_obj, *bw_obj, *kw_obj, *edges_obj, *slots;
    if (!PyArg_ParseTuple(args, "OOOOOOOOO!", &t_obj, &rows_obj, &bef_obj, &aft_obj, &tr_obj,
                          &bw_obj, &kw_obj, &edges_obj, &PyTuple_Type, &slots))
        return NULL;
    PyObject *objs[5] = {t_obj, tr_obj, bw_obj, kw_obj, edges_obj};
    static const int writable[5] = {0, 0, 0, 0, 0};
    static const char *const names[5] = {"table", "trans", "best_w", "bucket_w", "edges"};
    Py_buffer bufs[5];
    if (get_buffers(objs, bufs, writable, names, 5) < 0)
        return NULL;
    Py_buffer tb = bufs[0], trb = bufs[1], bwb = bufs[2], kwb = bufs[3], eb = bufs[4];
    PyObject *result = NULL;
    double *work = NULL, *S = NULL, *M = NULL;
    Py_ssize_t *idx = NULL;
    if (tb.ndim != 2 || trb.ndim != 2 || bwb.ndim != 2 || kwb.ndim != 2 || eb.ndim != 1) {
        PyErr_SetString(PyExc_ValueError, "table, trans, best_w, bucket_w: 2-D; edges: 1-D");
        goto done;
    }
    Py_ssize_t L = tb.shape[1], R = tb.shape[0], E = eb.shape[0];
    Py_ssize_t K = PyTuple_GET_SIZE(slots);
    if (L < 1 || trb.shape[0] != L || trb.shape[1] != L || bwb.shape[0] != L ||
        bwb.shape[1] != L || kwb.shape[0] != L || kwb.shape[1] != E + 1 || R < K + 1) {
        PyErr_SetString(PyExc_ValueError, "table, trans, best_w, bucket_w, edges disagree");
        goto done;
    }
    Py_ssize_t n = PyList_Check(rows_obj) ? PyList_GET_SIZE(rows_obj) : -1;
    if (n < 1) {
        PyErr_SetString(PyExc_ValueError, "rows must be a non-empty list");
        goto done;
    }
    Py_ssize_t offs[16];
    if (K > 16) {
        PyErr_SetString(PyExc_ValueError, "at most 16 neighbour slots");
        goto done;
    }
    for (Py_ssize_t k = 0; k < K; k++) {
        offs[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(slots, k));
        if (offs[k] == -1 && PyErr_Occurred())
            goto done;
    }
    idx = malloc(sizeof(Py_ssize_t) * (size_t)(3 * n));
    S = malloc(sizeof(double) * (size_t)(2 * n * L));
    work = malloc(sizeof(double) * (size_t)(L * L + 2 * n * L + 1));
    if (idx == NULL || S == NULL || work == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    M = S + n * L;
    if (read_ints(rows_obj, n, R - K, idx, "rows") < 0 ||
        read_ints(bef_obj, n, R, idx + n, "before") < 0 ||
        read_ints(aft_obj, n, R, idx + 2 * n, "after") < 0)
        goto done;
    const double *T = tb.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        double *s = S + i * L;
        const double *own = T + idx[i] * L, *b = T + idx[n + i] * L, *a = T + idx[2 * n + i] * L;
        for (Py_ssize_t y = 0; y < L; y++)
            s[y] = own[y] + b[y] + a[y];
        for (Py_ssize_t k = 0; k < K; k++) {
            Py_ssize_t j = i + offs[k];
            const double *v = (j >= 0 && j < n) ? T + (idx[j] + k + 1) * L : T + (k + 1) * L;
            for (Py_ssize_t y = 0; y < L; y++)
                s[y] += v[y];
        }
    }
    marginals(S, trb.buf, M, work, n, L);
    const double *BW = bwb.buf, *KW = kwb.buf, *ED = eb.buf;
    result = PyList_New(n);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *p = M + i * L;
        Py_ssize_t best = 0;
        for (Py_ssize_t y = 1; y < L; y++)
            if (p[y] > p[best])
                best = y;
        PyObject *row = PyList_New(L);
        if (row == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, row);
        for (Py_ssize_t y = 0; y < L; y++) {
            Py_ssize_t bucket = 0;
            while (bucket < E && ED[bucket] <= p[y])
                bucket++;
            PyObject *w = PyFloat_FromDouble(BW[best * L + y] + KW[y * (E + 1) + bucket]);
            if (w == NULL) {
                Py_CLEAR(result);
                goto done;
            }
            PyList_SET_ITEM(row, y, w);
        }
    }
done:
    free(idx);
    free(S);
    free(work);
    release_buffers(bufs, 5);
    return result;
}


/* attr_vectors(index, dense, groups, out): the twin of UposCRF._vector for several attribute
 * lists at once. index maps a CRF attribute to its row of `dense` (attributes x labels, the
 * state weights, 0 where a label has none); out[k] = the sum, attribute by attribute in order,
 * of the rows of groups[k]'s attributes (an attribute the model lacks adds nothing). The sums
 * start from 0.0 and never reach -0.0, so adding a label's absent 0.0 changes no bit. */
static PyObject *attr_vectors(PyObject *self, PyObject *args) {
    PyObject *index, *d_obj, *groups, *o_obj;
    if (!PyArg_ParseTuple(args, "O!OO!O", &PyDict_Type, &index, &d_obj, &PyTuple_Type, &groups,
                          &o_obj))
        return NULL;
    PyObject *objs[2] = {d_obj, o_obj};
    static const int writable[2] = {0, 1};
    static const char *const names[2] = {"dense", "out"};
    Py_buffer bufs[2];
    if (get_buffers(objs, bufs, writable, names, 2) < 0)
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t G = PyTuple_GET_SIZE(groups);
    if (bufs[0].ndim != 2 || bufs[1].ndim != 2 || bufs[0].shape[1] != bufs[1].shape[1] ||
        bufs[1].shape[0] != G) {
        PyErr_SetString(PyExc_ValueError, "dense (A x L) and out (groups x L) must agree");
        goto done;
    }
    Py_ssize_t L = bufs[0].shape[1], A = bufs[0].shape[0];
    const double *D = bufs[0].buf;
    double *O = bufs[1].buf;
    for (Py_ssize_t k = 0; k < G; k++) {
        PyObject *seq = PySequence_Fast(PyTuple_GET_ITEM(groups, k), "a group is a sequence");
        if (seq == NULL)
            goto done;
        double *o = O + k * L;
        for (Py_ssize_t y = 0; y < L; y++)
            o[y] = 0.0;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        PyObject **items = PySequence_Fast_ITEMS(seq);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *at = PyDict_GetItemWithError(index, items[i]);
            if (at == NULL) {
                if (PyErr_Occurred()) {
                    Py_DECREF(seq);
                    goto done;
                }
                continue;
            }
            Py_ssize_t r = PyLong_AsSsize_t(at);
            if (r < 0 || r >= A) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_IndexError, "attribute row outside dense");
                Py_DECREF(seq);
                goto done;
            }
            const double *d = D + r * L;
            for (Py_ssize_t y = 0; y < L; y++)
                o[y] += d[y];
        }
        Py_DECREF(seq);
    }
    result = Py_NewRef(Py_None);
done:
    release_buffers(bufs, 2);
    return result;
}

/* Sum of table.get(key, 0.0) over the dicts of `tables` (a list; None entries are absent
 * tables), added left to right; -1 on error (a table neither dict nor None, a non-float weight). */
static int sum_tables(PyObject *tables, PyObject *key, double *out) {
    double total = 0.0;
    Py_ssize_t n = PyList_GET_SIZE(tables);
    for (Py_ssize_t t = 0; t < n; t++) {
        PyObject *d = PyList_GET_ITEM(tables, t);
        if (d == Py_None)
            continue;
        if (!PyDict_Check(d)) {
            PyErr_SetString(PyExc_TypeError, "context tables must be dicts or None");
            return -1;
        }
        PyObject *w = PyDict_GetItemWithError(d, key);
        if (w == NULL) {
            if (PyErr_Occurred())
                return -1;
            continue;
        }
        double v = PyFloat_AsDouble(w);
        if (v == -1.0 && PyErr_Occurred())
            return -1;
        total += v;
    }
    *out = total;
    return 0;
}

#define MAX_CANDS 64

/* score_candidates(cands, tu, tf, row, column, unknown): the twin of
 * ranker.score_in_context_py. cands is a tuple of (reading, static score, UPOS, UPOS|FEATS);
 * tu and tf are lists of dicts weighting a UPOS and a UPOS|FEATS; row (a list of floats, or
 * None) is the sentence view's weight of every label, column maps a UPOS to its place in row
 * and unknown gives the weight of a UPOS that has none. Returns ([(reading, score)] best first,
 * stable among equal scores, index of the best candidate in cands). */
static PyObject *score_candidates(PyObject *self, PyObject *args) {
    PyObject *cands, *tu, *tf, *row, *column, *unknown;
    if (!PyArg_ParseTuple(args, "O!O!O!OO!O!", &PyTuple_Type, &cands, &PyList_Type, &tu,
                          &PyList_Type, &tf, &row, &PyDict_Type, &column, &PyDict_Type, &unknown))
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(cands);
    if (n < 1 || n > MAX_CANDS) {
        PyErr_Format(PyExc_ValueError, "between 1 and %d candidates", MAX_CANDS);
        return NULL;
    }
    if (row != Py_None && !PyList_Check(row)) {
        PyErr_SetString(PyExc_TypeError, "row must be a list or None");
        return NULL;
    }
    double by_upos[MAX_CANDS], score[MAX_CANDS];
    PyObject *upos[MAX_CANDS];
    Py_ssize_t order[MAX_CANDS], best = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *c = PyTuple_GET_ITEM(cands, i);
        if (!PyTuple_Check(c) || PyTuple_GET_SIZE(c) != 4) {
            PyErr_SetString(PyExc_TypeError, "a candidate is a 4-tuple");
            return NULL;
        }
        double stat = PyFloat_AsDouble(PyTuple_GET_ITEM(c, 1));
        if (stat == -1.0 && PyErr_Occurred())
            return NULL;
        PyObject *u = PyTuple_GET_ITEM(c, 2);
        upos[i] = u;
        Py_ssize_t same = -1;
        for (Py_ssize_t j = 0; j < i && same < 0; j++) {
            int eq = upos[j] == u ? 1 : PyObject_RichCompareBool(upos[j], u, Py_EQ);
            if (eq < 0)
                return NULL;
            if (eq)
                same = j;
        }
        double d;
        if (same >= 0) {
            d = by_upos[same];
        } else {
            if (sum_tables(tu, u, &d) < 0)
                return NULL;
            if (row != Py_None) {
                PyObject *k = PyDict_GetItemWithError(column, u);
                PyObject *w;
                if (k != NULL) {
                    Py_ssize_t at = PyLong_AsSsize_t(k);
                    if (at == -1 && PyErr_Occurred())
                        return NULL;
                    if (at < 0 || at >= PyList_GET_SIZE(row)) {
                        PyErr_SetString(PyExc_IndexError, "column outside the row");
                        return NULL;
                    }
                    w = PyList_GET_ITEM(row, at);
                } else {
                    if (PyErr_Occurred())
                        return NULL;
                    w = PyDict_GetItemWithError(unknown, u);
                    if (w == NULL && PyErr_Occurred())
                        return NULL;
                }
                if (w != NULL) {
                    double v = PyFloat_AsDouble(w);
                    if (v == -1.0 && PyErr_Occurred())
                        return NULL;
                    d += v;
                }
            }
        }
        by_upos[i] = d;
        double f;
        if (sum_tables(tf, PyTuple_GET_ITEM(c, 3), &f) < 0)
            return NULL;
        score[i] = stat + d + f;
        if (score[i] > score[best])
            best = i;
        /* stable insertion, best first */
        Py_ssize_t at = i;
        while (at > 0 && score[order[at - 1]] < score[i]) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = i;
    }
    PyObject *scored = PyList_New(n);
    if (scored == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        Py_ssize_t i = order[k];
        PyObject *pair = Py_BuildValue("(Od)", PyTuple_GET_ITEM(PyTuple_GET_ITEM(cands, i), 0),
                                       score[i]);
        if (pair == NULL) {
            Py_DECREF(scored);
            return NULL;
        }
        PyList_SET_ITEM(scored, k, pair);
    }
    return Py_BuildValue("(Nn)", scored, best);
}

/* ---- The static score of a word's readings: the twin of ranker.static_scores_py ----------
 *
 * A reading's static score is the sum of the ranker's weights of its feature strings
 * (ranker.static_features + memory_features, in that order, added left to right as Python's
 * sum does). The strings are built here as UTF-8 bytes and looked up in a hash table made once
 * from the weight dict (weight_table), so a new word form costs no Python string per feature.
 * Identical feature strings, identical weights: the model is the shipped one, unchanged. */

#include <stdint.h>

#define TABLE_NAME "muragat.morph._crf.WeightTable"

typedef struct {
    uint64_t hash;
    Py_ssize_t off, len; /* the key's bytes in blob */
    double weight;
} KeyEntry;

typedef struct {
    KeyEntry *entries;
    uint64_t *slots; /* hash's high half << 32 | 1 + index into entries; 0 is an empty slot */
    size_t mask;
    char *blob;
    Py_ssize_t max_len; /* no longer key exists: a longer string has weight 0 unbuilt */
} WeightTable;

/* A multiply-xorshift hash read eight bytes at a time (keys are short: ~20 bytes). */
static uint64_t key_hash(const char *s, Py_ssize_t n) {
    uint64_t h = 0x243F6A8885A308D3ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    if (n > 0) {
        uint64_t w = 0;
        memcpy(&w, s, (size_t)n);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 32);
}

static void table_free(WeightTable *t) {
    if (t == NULL)
        return;
    free(t->entries);
    free(t->slots);
    free(t->blob);
    free(t);
}

static void table_capsule_free(PyObject *cap) {
    table_free(PyCapsule_GetPointer(cap, TABLE_NAME));
}

static const double *table_find(const WeightTable *t, const char *key, Py_ssize_t len) {
    if (len > t->max_len)
        return NULL;
    uint64_t h = key_hash(key, len);
    uint64_t high = h >> 32;
    for (size_t i = (size_t)h & t->mask; t->slots[i]; i = (i + 1) & t->mask) {
        if (t->slots[i] >> 32 != high)
            continue;
        const KeyEntry *e = &t->entries[(t->slots[i] & 0xFFFFFFFFu) - 1];
        if (e->hash == h && e->len == len && memcmp(t->blob + e->off, key, (size_t)len) == 0)
            return &e->weight;
    }
    return NULL;
}

/* weight_table(weights: dict[str, float]) -> an opaque table for static_scores. A key that is
 * not valid UTF-8 (a lone surrogate) is left out: only a form with one could build it, and such
 * a form is scored by the Python reference (static_scores returns None). */
static PyObject *weight_table(PyObject *self, PyObject *weights) {
    if (!PyDict_Check(weights) || PyDict_GET_SIZE(weights) >= 0x7FFFFFFF) {
        PyErr_SetString(PyExc_TypeError, "weights must be a dict (of fewer than 2**31 names)");
        return NULL;
    }
    Py_ssize_t n = PyDict_GET_SIZE(weights), used = 0, blob_len = 0, blob_cap = 1024;
    WeightTable *t = calloc(1, sizeof(WeightTable));
    size_t width = 16;
    while (width < (size_t)(2 * n + 2))
        width <<= 1;
    if (t != NULL) {
        t->entries = malloc(sizeof(KeyEntry) * (size_t)(n + 1));
        t->slots = calloc(width, sizeof(uint64_t));
        t->blob = malloc((size_t)blob_cap);
        t->mask = width - 1;
    }
    if (t == NULL || t->entries == NULL || t->slots == NULL || t->blob == NULL) {
        table_free(t);
        return PyErr_NoMemory();
    }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(weights, &pos, &key, &value)) {
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "weight names must be str");
            goto fail;
        }
        double w = PyFloat_AsDouble(value);
        if (w == -1.0 && PyErr_Occurred())
            goto fail;
        Py_ssize_t len;
        const char *s = PyUnicode_AsUTF8AndSize(key, &len);
        if (s == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
                goto fail;
            PyErr_Clear();
            continue;
        }
        if (blob_len + len > blob_cap) {
            while (blob_len + len > blob_cap)
                blob_cap *= 2;
            char *grown = realloc(t->blob, (size_t)blob_cap);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            t->blob = grown;
        }
        memcpy(t->blob + blob_len, s, (size_t)len);
        KeyEntry *e = &t->entries[used];
        e->hash = key_hash(s, len);
        e->off = blob_len;
        e->len = len;
        e->weight = w;
        blob_len += len;
        if (len > t->max_len)
            t->max_len = len;
        size_t i = (size_t)e->hash & t->mask;
        while (t->slots[i])
            i = (i + 1) & t->mask;
        t->slots[i] = (e->hash >> 32) << 32 | (uint64_t)++used;
    }
    PyObject *cap = PyCapsule_New(t, TABLE_NAME, table_capsule_free);
    if (cap == NULL)
        table_free(t);
    return cap;
fail:
    table_free(t);
    return NULL;
}

/* A growing byte buffer: a feature string, or the key of a count table. */
typedef struct {
    char *p;
    Py_ssize_t len, cap;
} Buf;

static int buf_put(Buf *b, const char *s, Py_ssize_t n) {
    if (b->len + n > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 256;
        while (b->len + n > cap)
            cap *= 2;
        char *grown = realloc(b->p, (size_t)cap);
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

typedef struct {
    const char *p;
    Py_ssize_t n;
} Str;

/* The UTF-8 of a str; 1 when it has none (a lone surrogate: the caller falls back), -1 on
 * another error, 0 on success. */
static int utf8_of(PyObject *s, Str *out) {
    if (!PyUnicode_Check(s))
        return 1;
    out->p = PyUnicode_AsUTF8AndSize(s, &out->n);
    if (out->p != NULL)
        return 0;
    if (PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) {
        PyErr_Clear();
        return 1;
    }
    return -1;
}

static int is_cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static Py_ssize_t code_points(Str s) {
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < s.n; i++)
        n += !is_cont(s.p[i]);
    return n;
}

/* s[-k:] in code points (all of s when shorter). */
static Str tail(Str s, Py_ssize_t k) {
    Py_ssize_t i = s.n;
    while (k > 0 && i > 0) {
        i--;
        if (!is_cont(s.p[i]))
            k--;
    }
    return (Str){s.p + i, s.n - i};
}

/* _bucket of ranker: the share x as one digit */
static char bucket(double x) {
    return x <= 0 ? '0' : x < 0.2 ? '1' : x < 0.5 ? '2' : x < 0.8 ? '3' : x < 1 ? '4' : '5';
}

/* The feature being built, and the running score. */
typedef struct {
    const WeightTable *t;
    Buf key;
    double sum;
} Scorer;

static int put(Scorer *sc, const char *s, Py_ssize_t n) { return buf_put(&sc->key, s, n); }
static int lit(Scorer *sc, const char *s) { return put(sc, s, (Py_ssize_t)strlen(s)); }
static int str(Scorer *sc, Str s) { return put(sc, s.p, s.n); }
static int num(Scorer *sc, Py_ssize_t v) { /* str(v) of a count >= 0 */
    char digits[24];
    int at = (int)sizeof digits;
    do {
        digits[--at] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0 && at > 0);
    return put(sc, digits + at, (Py_ssize_t)sizeof digits - at);
}

/* Ends the feature: its weight (0 when the model has none) joins the sum. */
static void done_feature(Scorer *sc) {
    const double *w = table_find(sc->t, sc->key.p, sc->key.len);
    sc->sum += w != NULL ? *w : 0.0;
    sc->key.len = 0;
}

/* A count of a {key: count} table (0 when absent), or -1 with *fallback set when the value is
 * not a number, or -2 on an error; the key is built in b from the parts. */
static int count_of(PyObject *table, Buf *b, const Str *parts, int nparts, double *out) {
    b->len = 0;
    for (int k = 0; k < nparts; k++)
        if (buf_put(b, parts[k].p, parts[k].n) < 0)
            return -2;
    PyObject *key = PyUnicode_DecodeUTF8(b->p, b->len, NULL);
    if (key == NULL)
        return -2;
    PyObject *v = PyDict_GetItemWithError(table, key);
    Py_DECREF(key);
    if (v == NULL) {
        if (PyErr_Occurred())
            return -2;
        *out = 0.0;
        return 0;
    }
    if (!PyLong_Check(v) && !PyFloat_Check(v))
        return -1;
    *out = PyFloat_AsDouble(v);
    return *out == -1.0 && PyErr_Occurred() ? -2 : 0;
}

/* table.get(key) as a non-empty dict, or NULL (absent, empty or not a dict: *other set when it
 * is something the reference would have to judge). */
static PyObject *nonempty_dict(PyObject *table, PyObject *key, int *other) {
    PyObject *v = PyDict_GetItemWithError(table, key);
    if (v == NULL)
        return NULL;
    if (!PyDict_Check(v)) {
        *other = 1;
        return NULL;
    }
    return PyDict_GET_SIZE(v) ? v : NULL;
}

#define S(lit_) ((Str){lit_, (Py_ssize_t)sizeof(lit_) - 1})

/* The static score of one reading; 1 = the reference must score this form, -1 = error. */
static int score_reading(Scorer *sc, Buf *kb, Str lw, Py_ssize_t lw_cp, int capital, Str wx,
                         PyObject *forms_counts, PyObject *lemmas, PyObject *auto_forms,
                         PyObject *auto_counts, PyObject *auto_lemmas, PyObject *stems,
                         PyObject *a, PyObject *srcs) {
    static PyObject *s_lemma, *s_upos, *s_feats, *s_lower, *s_empty;
    if (s_lemma == NULL) {
        s_lemma = PyUnicode_InternFromString("lemma");
        s_upos = PyUnicode_InternFromString("upos");
        s_feats = PyUnicode_InternFromString("feats");
        s_lower = PyUnicode_InternFromString("lower");
        s_empty = PyUnicode_InternFromString("");
        if (!s_lemma || !s_upos || !s_feats || !s_lower || !s_empty)
            return -1;
    }
    int rc = -1, other = 0;
    PyObject *lemma = PyObject_GetAttr(a, s_lemma);
    PyObject *upos = lemma ? PyObject_GetAttr(a, s_upos) : NULL;
    PyObject *feats = upos ? PyObject_GetAttr(a, s_feats) : NULL;
    PyObject *lem_obj = NULL, *it = NULL, *src = NULL;
    if (feats == NULL)
        goto out;
    if (!PyUnicode_Check(lemma) || !PyAnySet_Check(srcs)) {
        rc = 1;
        goto out;
    }
    lem_obj = PyObject_CallMethodNoArgs(lemma, s_lower);
    if (lem_obj == NULL)
        goto out;
    Str u, f, lem, lemma_s, lex;
    int got;
    if ((got = utf8_of(upos, &u)) || (got = utf8_of(feats, &f)) || (got = utf8_of(lem_obj, &lem)) ||
        (got = utf8_of(lemma, &lemma_s))) {
        rc = got;
        goto out;
    }
    PyObject *lex_obj = PyDict_GetItemWithError(stems, lem_obj);
    if (lex_obj == NULL && PyErr_Occurred())
        goto out;
    if ((got = utf8_of(lex_obj ? lex_obj : s_empty, &lex))) {
        rc = got;
        goto out;
    }
    /* edit_rule: the common prefix in code points (identical bytes, cut back to a whole char) */
    Py_ssize_t p = 0;
    while (p < lw.n && p < lem.n && lw.p[p] == lem.p[p])
        p++;
    while (p > 0 && ((p < lw.n && is_cont(lw.p[p])) || (p < lem.n && is_cont(lem.p[p]))))
        p--;
    Str strip = {lw.p + p, lw.n - p}, add = {lem.p + p, lem.n - p};
    Py_ssize_t strip_cp = code_points(strip), add_cp = code_points(add);
    char pc[4];
    Py_ssize_t pcn = 0;
    for (const char *c = "ADNV"; *c; c++)
        if (memchr(lex.p, *c, (size_t)lex.n) != NULL)
            pc[pcn++] = *c;
    Str pos = {pc, pcn}, bar = S("|");
    Py_ssize_t nsrcs = PySet_GET_SIZE(srcs);
    /* static_features */
#define FEAT(expr) do { if (expr) goto out; done_feature(sc); } while (0)  /* expr: parts joined by || */
    FEAT(lit(sc, "U=") || str(sc, u));
    FEAT(lit(sc, "F=") || str(sc, f));
    FEAT(lit(sc, "UF=") || str(sc, u) || str(sc, bar) || str(sc, f));
    FEAT(lit(sc, "E=") || str(sc, strip) || lit(sc, ">") || str(sc, add) || str(sc, bar) || str(sc, u) ||
         str(sc, bar) || str(sc, f));
    FEAT(lit(sc, "EU=") || str(sc, strip) || lit(sc, ">") || str(sc, add) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "LX=") || str(sc, lex) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "NS=") || num(sc, nsrcs));
    FEAT(lit(sc, "SAME=") || lit(sc, strip.n == 0 ? "True" : "False") || str(sc, u));
    FEAT(lit(sc, "CAP=") || lit(sc, capital ? "True" : "False") || str(sc, u));
    for (int pass = 0; pass < 2; pass++) { /* S= then SF=, in the set's own order both times */
        it = PyObject_GetIter(srcs);
        if (it == NULL)
            goto out;
        while ((src = PyIter_Next(it)) != NULL) {
            Str s;
            if ((got = utf8_of(src, &s))) {
                rc = got;
                goto out;
            }
            if (pass == 0)
                FEAT(lit(sc, "S=") || str(sc, s) || str(sc, bar) || str(sc, u));
            else
                FEAT(lit(sc, "SF=") || str(sc, s) || str(sc, bar) || str(sc, u) || str(sc, bar) ||
                     str(sc, f));
            Py_CLEAR(src);
        }
        if (PyErr_Occurred())
            goto out;
        Py_CLEAR(it);
    }
    for (Py_ssize_t k = 1; k <= 4; k++) {
        if (lw_cp > k) {
            char name[4] = {'X', (char)('0' + k), '=', 0};
            FEAT(lit(sc, name) || str(sc, tail(lw, k)) || str(sc, bar) || str(sc, u));
        }
    }
    FEAT(lit(sc, "X3F=") || str(sc, tail(lw, 3)) || str(sc, bar) || str(sc, f));
    Py_ssize_t lem_cp = code_points(lem);
    FEAT(lit(sc, "LS2=") || str(sc, tail(lem, 2)) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "LS3=") || str(sc, tail(lem, 3)) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "LL=") || num(sc, lem_cp < 8 ? lem_cp : 8) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "WX=") || str(sc, wx) || str(sc, bar) || num(sc, strip_cp) || str(sc, bar) ||
         str(sc, u));
    FEAT(lit(sc, "ST=") || num(sc, strip_cp) || str(sc, bar) || num(sc, add_cp) || str(sc, bar) ||
         str(sc, u));
    FEAT(lit(sc, "LP=") || str(sc, pos) || str(sc, bar) || str(sc, u));
    FEAT(lit(sc, "LPF=") || str(sc, pos) || str(sc, bar) || str(sc, u) || str(sc, bar) || str(sc, f));
    /* memory_features */
    double n = 0.0;
    if (forms_counts != NULL) {
        const Str key_n[1] = {S("n")};
        if ((got = count_of(forms_counts, kb, key_n, 1, &n)))
            goto judged;
    }
    if (n <= 0) {
        FEAT(lit(sc, "MN|") || str(sc, u));
    } else {
        double cu, ct, cl;
        const Str ku[2] = {S("u:"), u}, kt[4] = {S("t:"), u, bar, f},
                  kl[4] = {S("l:"), lemma_s, bar, u};
        if ((got = count_of(forms_counts, kb, ku, 2, &cu)) ||
            (got = count_of(forms_counts, kb, kt, 4, &ct)) ||
            (got = count_of(forms_counts, kb, kl, 4, &cl)))
            goto judged;
        char b_mu[4] = {'M', 'U', bucket(cu / n), 0};
        char b_mt[4] = {'M', 'T', bucket(ct / n), 0};
        char b_ml[4] = {'M', 'L', bucket(cl / n), 0};
        char b_mtl[6] = {'M', 'T', 'L', bucket(ct / n), bucket(cl / n), 0};
        FEAT(lit(sc, b_mu) || str(sc, bar) || str(sc, u));
        FEAT(lit(sc, b_mt));
        FEAT(lit(sc, b_ml));
        FEAT(lit(sc, b_mtl));
    }
    PyObject *lc = nonempty_dict(lemmas, lem_obj, &other);
    if (lc == NULL && (other || PyErr_Occurred()))
        goto judged_other;
    if (lc != NULL) {
        double ln, lu;
        const Str kn[1] = {S("n")}, ku[1] = {u};
        if ((got = count_of(lc, kb, kn, 1, &ln)) || (got = count_of(lc, kb, ku, 1, &lu)))
            goto judged;
        if (ln > 0) {
            char b_lm[4] = {'L', 'M', bucket(lu / ln), 0};
            FEAT(lit(sc, b_lm) || str(sc, bar) || str(sc, u));
        } else {
            FEAT(lit(sc, "LMN|") || str(sc, u));
        }
    } else {
        FEAT(lit(sc, "LMN|") || str(sc, u));
    }
    if (PyDict_GET_SIZE(auto_forms)) { /* auto_features */
        if (auto_counts != NULL) {
            double an, cu, cl;
            const Str kn[1] = {S("n")}, ku[2] = {S("u:"), u}, kl[4] = {S("l:"), lemma_s, bar, u};
            PyObject *has_n = PyDict_GetItemString(auto_counts, "n");
            if (has_n == NULL) { /* counts["n"]: the reference raises KeyError */
                rc = 1;
                goto out;
            }
            if ((got = count_of(auto_counts, kb, kn, 1, &an)) ||
                (got = count_of(auto_counts, kb, ku, 2, &cu)) ||
                (got = count_of(auto_counts, kb, kl, 4, &cl)))
                goto judged;
            if (an == 0) { /* the reference raises ZeroDivisionError */
                rc = 1;
                goto out;
            }
            char b_au[4] = {'A', 'U', bucket(cu / an), 0};
            char b_aul[5] = {'A', 'U', 'L', bucket(cl / an), 0};
            FEAT(lit(sc, b_au) || str(sc, bar) || str(sc, u));
            FEAT(lit(sc, b_aul));
        } else {
            FEAT(lit(sc, "AUN|") || str(sc, u));
        }
        PyObject *alc = nonempty_dict(auto_lemmas, lem_obj, &other);
        if (alc == NULL && (other || PyErr_Occurred()))
            goto judged_other;
        if (alc != NULL) {
            double an, au;
            const Str kn[1] = {S("n")}, ku[1] = {u};
            if (PyDict_GetItemString(alc, "n") == NULL) {
                rc = 1;
                goto out;
            }
            if ((got = count_of(alc, kb, kn, 1, &an)) || (got = count_of(alc, kb, ku, 1, &au)))
                goto judged;
            if (an == 0) {
                rc = 1;
                goto out;
            }
            char b_al[4] = {'A', 'L', bucket(au / an), 0};
            FEAT(lit(sc, b_al) || str(sc, bar) || str(sc, u));
        } else {
            FEAT(lit(sc, "ALN|") || str(sc, u));
        }
    }
#undef FEAT
    rc = 0;
    goto out;
judged: /* count_of: -1 a value the reference must judge, -2 an error */
    rc = got == -1 ? 1 : -1;
    goto out;
judged_other:
    rc = other ? 1 : -1;
out:
    Py_XDECREF(src);
    Py_XDECREF(it);
    Py_XDECREF(lem_obj);
    Py_XDECREF(feats);
    Py_XDECREF(upos);
    Py_XDECREF(lemma);
    return rc;
}

/* static_scores(table, word, lower, cands, stems, forms, lemmas, auto_forms, auto_lemmas):
 * the static score of every (reading, sources) of cands (a list), as
 * ranker.static_scores_py computes them; None when the form is one the reference must score
 * (a lone surrogate, a count table of an unexpected shape). */
static PyObject *static_scores(PyObject *self, PyObject *args) {
    PyObject *cap, *word, *lower, *cands, *stems, *forms, *lemmas, *auto_forms, *auto_lemmas;
    if (!PyArg_ParseTuple(args, "OUUO!O!O!O!O!O!", &cap, &word, &lower, &PyList_Type, &cands,
                          &PyDict_Type, &stems, &PyDict_Type, &forms, &PyDict_Type, &lemmas,
                          &PyDict_Type, &auto_forms, &PyDict_Type, &auto_lemmas))
        return NULL;
    const WeightTable *t = PyCapsule_GetPointer(cap, TABLE_NAME);
    if (t == NULL)
        return NULL;
    Scorer sc = {t, {NULL, 0, 0}, 0.0};
    Buf kb = {NULL, 0, 0};
    PyObject *result = NULL;
    Str lw, wx;
    int got = utf8_of(lower, &lw), other = 0;
    if (got)
        goto judged;
    PyObject *wx_obj = PyDict_GetItemWithError(stems, lower);
    if (wx_obj == NULL && PyErr_Occurred())
        goto done;
    if (wx_obj == NULL)
        wx = S("");
    else if ((got = utf8_of(wx_obj, &wx)))
        goto judged;
    int capital = PyUnicode_GET_LENGTH(word) > 0 &&
                  Py_UNICODE_ISUPPER(PyUnicode_READ_CHAR(word, 0));
    PyObject *counts = nonempty_dict(forms, lower, &other);
    if (counts == NULL && PyErr_Occurred())
        goto fail;
    PyObject *auto_counts = nonempty_dict(auto_forms, lower, &other);
    if (auto_counts == NULL && PyErr_Occurred())
        goto fail;
    if (other)
        goto fallback;
    Py_ssize_t lw_cp = code_points(lw), n = PyList_GET_SIZE(cands);
    result = PyList_New(n);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(cands, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2)
            goto fallback;
        sc.sum = 0.0;
        sc.key.len = 0;
        got = score_reading(&sc, &kb, lw, lw_cp, capital, wx, counts, lemmas, auto_forms,
                            auto_counts, auto_lemmas, stems, PyTuple_GET_ITEM(pair, 0),
                            PyTuple_GET_ITEM(pair, 1));
        if (got)
            goto judged;
        PyObject *v = PyFloat_FromDouble(sc.sum);
        if (v == NULL)
            goto fail;
        PyList_SET_ITEM(result, i, v);
    }
    goto done;
judged:
    if (got < 0)
        goto fail;
fallback:
    Py_XDECREF(result);
    result = Py_NewRef(Py_None);
    goto done;
fail:
    Py_CLEAR(result);
done:
    free(sc.key.p);
    free(kb.p);
    return result;
}

static PyMethodDef methods[] = {
    {"forward_backward", forward_backward, METH_VARARGS,
     "forward_backward(state, trans, out): label marginals of a linear-chain CRF into out."},
    {"view_weights", view_weights, METH_VARARGS,
     "view_weights(table, rows, before, after, trans, best_w, bucket_w, edges, slots): the "
     "ranker's sentence-view weight of every label at every word."},
    {"score_candidates", score_candidates, METH_VARARGS,
     "score_candidates(cands, tu, tf, row, column, unknown): a word's readings scored in "
     "context, best first, and the index of the best."},
    {"attr_vectors", attr_vectors, METH_VARARGS,
     "attr_vectors(index, dense, groups, out): out[k] = the summed state weights of the CRF "
     "attributes of groups[k]."},
    {"weight_table", weight_table, METH_O,
     "weight_table(weights): the ranker's weights as a table for static_scores."},
    {"static_scores", static_scores, METH_VARARGS,
     "static_scores(table, word, lower, cands, stems, forms, lemmas, auto_forms, auto_lemmas): "
     "the static score of every reading of a word form (None: score it in Python)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_crf", NULL, -1, methods};

PyMODINIT_FUNC PyInit__crf(void) { return PyModule_Create(&module); }
