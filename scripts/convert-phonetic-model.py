#!/usr/bin/env python3
"""Converts CMU Sphinx's generic US English acoustic model (as shipped in the pocketsphinx wheel on
PyPI) into the recognizer's phonetic-model resource.

The recognizer only needs the model's codebooks: 42 base phones (silence and noise included) x
3 feature streams (13 cepstra, their deltas, their second deltas) x 128 diagonal Gaussians. It
turns each frame into posterior probabilities over the 42 phones (see PhoneticModel.swift).

Output (little-endian): "SNPM", UInt16 version 1, UInt16 phones, streams, densities, dimension,
then means and variances as Float16 (phones x streams x densities x dimension each).

Usage: python3 -m pip download pocketsphinx==5.1.1 --no-deps -d /tmp/ps
       scripts/convert-phonetic-model.py /tmp/ps/pocketsphinx-5.1.1-*.whl
"""
import struct
import sys
import zipfile

import numpy

MODEL = "pocketsphinx/model/en-us/en-us/"
OUTPUT = "Sources/SpeechCommands/Resources/en-us-phonetic.bin"


def read_gauden(data):
    """A Sphinx-3 Gaussian density file: text header up to 'endhdr', byte-order magic, sizes, floats."""
    position = data.index(b"endhdr\n") + len(b"endhdr\n")
    (magic,) = struct.unpack_from("<I", data, position)
    assert magic == 0x11223344, "not a little-endian Sphinx-3 file"
    position += 4
    codebooks, streams, densities = struct.unpack_from("<3i", data, position)
    position += 12
    lengths = struct.unpack_from("<%di" % streams, data, position)
    position += 4 * streams
    assert len(set(lengths)) == 1, "streams of different lengths"
    (total,) = struct.unpack_from("<i", data, position)
    position += 4
    values = numpy.frombuffer(data, dtype="<f4", count=total, offset=position)
    return values.reshape(codebooks, streams, densities, lengths[0])


def main():
    wheel = zipfile.ZipFile(sys.argv[1])
    means = read_gauden(wheel.read(MODEL + "means"))
    variances = read_gauden(wheel.read(MODEL + "variances"))
    assert means.shape == variances.shape
    with open(OUTPUT, "wb") as output:
        output.write(b"SNPM")
        output.write(struct.pack("<5H", 1, *means.shape))
        output.write(means.astype("<f2").tobytes())
        output.write(numpy.maximum(variances, 1e-4).astype("<f2").tobytes())
    print(OUTPUT, means.shape)


main()
