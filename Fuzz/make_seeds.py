#!/usr/bin/env python3
"""Writes a small seed corpus of zip, tar and tar.gz archives (well-formed and hostile) for the fuzzer."""
import gzip
import io
import os
import sys
import tarfile
import zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buf.getvalue()


def tar_bytes(fmt, members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def member(name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, (data if kind == tarfile.REGTYPE else None)


files = [("yes/a.wav", b"RIFF" + bytes(60)), ("no/b.wav", b"hello" * 40), ("dir/", b"")]
save("zip-deflate", zip_bytes(files))
save("zip-stored", zip_bytes(files, zipfile.ZIP_STORED))
save("zip-hostile", zip_bytes([("../evil", b"x"), ("/abs", b"y"), ("A.wav", b"1"), ("a.wav", b"2")]))
save("zip-nested", zip_bytes([("inner.bin", zip_bytes(files))]))
save("zip-empty", zip_bytes([]))

members = [member("yes/a.wav", b"RIFF" + bytes(60)), member("dir/", kind=tarfile.DIRTYPE)]
long_name = "long/" + "x" * 120 + ".wav"
for fmt, label in [(tarfile.USTAR_FORMAT, "ustar"), (tarfile.GNU_FORMAT, "gnu"), (tarfile.PAX_FORMAT, "pax")]:
    extra = [member(long_name, b"long")] if fmt != tarfile.USTAR_FORMAT else []
    data = tar_bytes(fmt, members + extra)
    save("tar-" + label, data)
    save("tgz-" + label, gzip.compress(data))
save("tar-links", tar_bytes(tarfile.GNU_FORMAT, [member("l", kind=tarfile.SYMTYPE, link="/etc"),
                                                 member("h", kind=tarfile.LNKTYPE, link="l"),
                                                 member("f", kind=tarfile.FIFOTYPE)]))
