"""The one compiled part of muragat: the morphology tagger's inner loops
(src/muragat/morph/_crf.c: CRF forward-backward, the sentence view's weights, the scoring of
a word's readings in context, and a new form's static scores and CRF rows), where the profile
puts the tagger's time. Its Python reference is src/muragat/morph/crf.py,
ranker.score_in_context_py and ranker.static_scores_py (tests/test_morph_crf.py and
tests/test_crf_static_equivalence.py check they agree).

`optional=True`: without a C compiler the install still succeeds and the tagger runs its
Python reference (same results, slower). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "muragat.morph._crf",
            ["src/muragat/morph/_crf.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
    ]
)
