"""Rebuild ``data/floret_fi.npz``, the word-vector table of :mod:`aspa.engine.text.vectors`.

Reproduce the shipped file (needs nothing beyond numpy)::

    pip download --no-deps -d /tmp/pkgs spacy-fi-experimental-web-md==0.15.0
    unzip -q /tmp/pkgs/spacy_fi_experimental_web_md-0.15.0-py3-none-any.whl -d /tmp/spacy-fi
    uv run python -m aspa.engine.text.build_vectors \\
        /tmp/spacy-fi/spacy_fi_experimental_web_md/fi_experimental_web_md-0.15.0/vocab/vectors

The source is the pipeline's floret table (a ``.npy`` of 50,000 x 300 float32; its
``vectors.cfg`` gives the hashing settings copied into :mod:`aspa.engine.text.vectors`). SHA-256 of
the wheel 87213013d8f27e9f2ca95d2de09e3a19fd20ee844a65691d113d0630b4ea3c1a, of ``vocab/vectors``
e93f70271d90c11ee432c9221cf9337831c7ccf0bbcef2928e1bfb1e315d6b06. Licence: MIT (see
``data/FLORET-NOTICE``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aspa.engine.text.vectors import DIMENSIONS, VECTORS_FILE


def build_table(source: Path, dimensions: int = DIMENSIONS) -> npt.NDArray[np.float16]:
    """The shipped table from the source floret table (a ``.npy`` of shape (rows, 300)).

    Rows are centred and projected on their first ``dimensions`` principal axes (SVD; each axis's
    sign fixed so that its largest coordinate is positive), then stored as float16.
    """
    table = np.load(source).astype(np.float64)
    centred = table - table.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:dimensions]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    return np.asarray((centred @ (axes * signs[:, None]).T).astype(np.float16))


def main() -> None:
    parser = argparse.ArgumentParser(description="Build data/floret_fi.npz from the spaCy floret table.")
    parser.add_argument(
        "source",
        type=Path,
        help="vocab/vectors of spacy-fi-experimental-web-md 0.15.0 "
        "(pip download --no-deps spacy-fi-experimental-web-md==0.15.0, then unzip the wheel)",
    )
    parser.add_argument("--dimensions", type=int, default=DIMENSIONS)
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("data") / VECTORS_FILE)
    args = parser.parse_args()
    table = build_table(args.source, args.dimensions)
    np.savez_compressed(args.output, table=table)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB, table {table.shape})")


if __name__ == "__main__":
    main()
