"""The compiled parts of muragat: the values scanner (src/muragat/values/_scan.c), the
cite layer's citations, bibliography split and lost-number inference (src/muragat/cite/_cite.c)
and the morphology CRF's forward-backward (src/muragat/morph/_crf.c).

`optional=True`: without a C compiler the install still succeeds and the layers run their
Python implementations (same results, slower). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "muragat.values._scan",
            ["src/muragat/values/_scan.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "muragat.morph._crf",
            ["src/muragat/morph/_crf.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
        Extension(
            "muragat.cite._cite",
            ["src/muragat/cite/_cite.c"],
            optional=True,
            extra_compile_args=["-O2"],
        ),
    ]
)
