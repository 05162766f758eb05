/* Forward-backward of a linear-chain CRF: the compiled twin of crf._forward_backward_py.
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

static PyMethodDef methods[] = {
    {"forward_backward", forward_backward, METH_VARARGS,
     "forward_backward(state, trans, out): label marginals of a linear-chain CRF into out."},
    {"view_weights", view_weights, METH_VARARGS,
     "view_weights(table, rows, before, after, trans, best_w, bucket_w, edges, slots): the "
     "ranker's sentence-view weight of every label at every word."},
    {"score_candidates", score_candidates, METH_VARARGS,
     "score_candidates(cands, tu, tf, row, column, unknown): a word's readings scored in "
     "context, best first, and the index of the best."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_crf", NULL, -1, methods};

PyMODINIT_FUNC PyInit__crf(void) { return PyModule_Create(&module); }
