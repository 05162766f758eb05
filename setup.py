"""The one compiled part of muragat: the values scanner (src/muragat/values/_scan.c).

`optional=True`: without a C compiler the install still succeeds and the values layer runs
its Python implementation (same spans, slower). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "muragat.values._scan",
            ["src/muragat/values/_scan.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
