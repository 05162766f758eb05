"""The one compiled part of muragat: the morphology tagger's inner loops
(src/muragat/morph/_crf.c: CRF forward-backward, the sentence view's weights and the scoring of
a word's readings in context), where the profile puts the tagger's time. Its Python reference
is src/muragat/morph/crf.py and ranker.score_in_context_py (tests/test_morph_crf.py checks they
agree).

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
