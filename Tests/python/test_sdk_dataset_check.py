"""snet-train's pre-check agrees with the Python SDK's own dataset check, archive by archive.

The SDK is the real one (snet-sdk 6.0.0 from PyPI, Tests/python/requirements.txt): its
`Training._check_dataset` runs unchanged, given the method metadata the daemon would hand it, read
here from the committed descriptor sets (Protos/service.protoset, Examples/python-intent/intent.protoset)
by parsing the `training.*` method options off the wire, with no Swift involved. Each archive of a
generated set (the walkthroughs', `snet-train pack`'s, folder entries, dotfiles, macOS metadata,
upper-case extensions, tar and tar.gz, counts and sizes at each limit and one past, names that are not
UTF-8) goes through both; `snet-train check --json` must give the SDK's verdict and the SDK's reasons.

Needs the snet-train binary: SNET_TRAIN_BIN, or .build/debug/snet-train. Set SDK_TABLE=FILE to also
write the verdicts as a Markdown table.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from google.protobuf import descriptor_pb2
from snet.sdk.exceptions import WrongDatasetError
from snet.sdk.training.responses import MethodMetadata
from snet.sdk.training.training import Training

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024
STT = ("service.ExampleService", "stt", ROOT / "Protos" / "service.protoset")
INTENT = ("intent.IntentClassifier", "classify", ROOT / "Examples" / "python-intent" / "intent.protoset")
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)  # the SDK and the archive checks read no audio

# training.proto's MethodOptions extensions: number -> (name, is_string)
OPTIONS = {
    50001: ("default_model_id", True),
    50002: ("max_models_per_user", False),
    50003: ("dataset_max_size_mb", False),
    50004: ("dataset_max_count_files", False),
    50005: ("dataset_max_size_single_file_mb", False),
    50006: ("dataset_files_type", True),
    50007: ("dataset_type", True),
    50008: ("dataset_description", True),
}


def varint(data, i):
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def training_options(raw):
    """The training.* options in a serialized MethodOptions, read off the wire."""
    found = {name: ("" if is_string else 0) for name, is_string in OPTIONS.values()}
    i = 0
    while i < len(raw):
        key, i = varint(raw, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(raw, i)
        elif wire == 2:
            length, i = varint(raw, i)
            value, i = raw[i : i + length], i + length
        elif wire == 1:
            value, i = raw[i : i + 8], i + 8
        elif wire == 5:
            value, i = raw[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        if number in OPTIONS:
            name, is_string = OPTIONS[number]
            found[name] = value.decode() if is_string else value
    return found


def method_metadata(service, method, protoset):
    """What the daemon's get_method_metadata answers for the method: its options, verbatim."""
    files = descriptor_pb2.FileDescriptorSet.FromString(protoset.read_bytes())
    for file in files.file:
        for candidate in file.service:
            if f"{file.package}.{candidate.name}" == service:
                for rpc in candidate.method:
                    if rpc.name == method:
                        return MethodMetadata(**training_options(rpc.options.SerializeToString()))
    raise LookupError(f"{service}/{method} not in {protoset}")


def sdk_verdict(archive, metadata):
    """The SDK's own check on the archive: no daemon, only the metadata it would have fetched."""
    training = Training.__new__(Training)
    training.get_method_metadata = lambda method_name, model_id="": metadata
    try:
        training._check_dataset("model", archive)
    except WrongDatasetError as refused:
        return {"accepted": False, "problems": refused.errors, "error": None}
    except Exception as raised:  # noqa: BLE001 - whatever ZipFile raises is the SDK's refusal
        return {"accepted": False, "problems": [], "error": f"{type(raised).__name__}: {raised}"}
    return {"accepted": True, "problems": [], "error": None}


def snet_train():
    binary = Path(os.environ.get("SNET_TRAIN_BIN", ROOT / ".build" / "debug" / "snet-train"))
    assert binary.exists(), f"{binary} not found: run `swift build --product snet-train` first"
    return binary


def precheck(archive, target):
    service, method, protoset = target
    run = subprocess.run(
        [str(snet_train()), "check", str(archive), "--method", f"{service}/{method}", "--proto-set", str(protoset), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout, run.stderr
    return json.loads(run.stdout), run.returncode


# --- archive makers ------------------------------------------------------------------------------


def words_folder(root, extension="wav", clips=3, extra=()):
    folder = root / "words"
    for word in ("yes", "no", "up", "down"):
        (folder / word).mkdir(parents=True, exist_ok=True)
        for n in range(clips):
            (folder / word / f"{word}-{n}.{extension}").write_bytes(WAV)
    for name, data in extra:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def intents_folder(root):
    folder = root / "intents"
    shutil.copytree(ROOT / "Examples" / "python-intent" / "sample-dataset", folder)
    return folder


def run(arguments, cwd):
    subprocess.run(arguments, cwd=cwd, check=True, capture_output=True)


def zip_entries(path, entries):
    """A zip of (name, bytes) file entries and (name ending in /) folder entries, as given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def patch_name(path, old, new):
    """Replaces a name's bytes in the local header and the central directory (same length)."""
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old) == 2
    path.write_bytes(data.replace(old, new))
    return path


def sized_zip(path, target_bytes, single_limit):
    """A stored zip of exactly `target_bytes` on disk, in files of at most `single_limit` bytes."""
    count = 1
    while True:
        names = [f"{'ab'[n % 2]}/{n:04d}.txt" for n in range(count)]
        payload = target_bytes - 22 - sum(30 + 46 + 2 * len(name) for name in names)
        if payload <= count * single_limit:
            break
        count += 1
    sizes = [min(single_limit, payload - single_limit * n) for n in range(count)]
    assert all(size > 0 for size in sizes) and sum(sizes) == payload
    zip_entries(path, [(name, b"x" * size) for name, size in zip(names, sizes)])
    assert path.stat().st_size == target_bytes
    return path


def archives(scratch):
    """(maker, target, path) for every archive of the set."""
    made = []

    def add(maker, target, path):
        made.append((maker, target, path))

    words = words_folder(scratch / "stt")
    run(["zip", "-qr", "words.zip", "words/"], words.parent)
    add("zip -qr (what the stt walkthrough used)", STT, words.parent / "words.zip")
    run(["zip", "-qr", "-D", "words-D.zip", "words/"], words.parent)
    add("zip -qr -D (the stt walkthrough)", STT, words.parent / "words-D.zip")
    run([sys.executable, "-m", "zipfile", "-c", "words-py.zip", "words"], words.parent)
    add("python3 -m zipfile -c", STT, words.parent / "words-py.zip")
    run([str(snet_train()), "pack", "words", "-o", "words-pack.zip", "--proto-set", str(STT[2]), "--method", "stt"], words.parent)
    add("snet-train pack", STT, words.parent / "words-pack.zip")

    dotted = words_folder(scratch / "dotfiles", extra=[(".DS_Store", b"x"), ("yes/.hidden.wav", WAV), ("no/.DS_Store", b"x")])
    run(["zip", "-qr", "-D", "dotted.zip", "words/"], dotted.parent)
    add("zip -qr -D, with .DS_Store and .hidden.wav", STT, dotted.parent / "dotted.zip")
    run([str(snet_train()), "pack", "words", "-o", "dotted-pack.zip", "--proto-set", str(STT[2])], dotted.parent)
    add("snet-train pack, with .DS_Store and .hidden.wav", STT, dotted.parent / "dotted-pack.zip")

    clips = [(f"words/{word}/{n}.wav", WAV) for word in ("yes", "no") for n in range(3)]
    add("macOS metadata as file entries (__MACOSX/._x.wav)", STT,
        zip_entries(scratch / "macos-files.zip", clips + [(f"__MACOSX/words/yes/._{n}.wav", b"meta") for n in range(3)]))
    add("macOS Finder (__MACOSX/ folder entries too)", STT,
        zip_entries(scratch / "macos-finder.zip", [("words/", b""), ("words/yes/", b""), ("words/no/", b"")] + clips
                    + [("__MACOSX/", b""), ("__MACOSX/words/", b""), ("__MACOSX/words/._yes", b"meta")]))

    upper = words_folder(scratch / "upper", extension="WAV")
    run(["zip", "-qr", "-D", "upper.zip", "words/"], upper.parent)
    add("zip -qr -D of YES.WAV files", STT, upper.parent / "upper.zip")
    run([str(snet_train()), "pack", "words", "-o", "upper-pack.zip", "--proto-set", str(STT[2])], upper.parent)
    add("snet-train pack of YES.WAV files", STT, upper.parent / "upper-pack.zip")
    add("a .txt among the clips", STT, zip_entries(scratch / "stray.zip", clips + [("words/notes.txt", b"hi")]))

    for mode, suffix in (("w", "tar"), ("w:gz", "tar.gz")):
        path = scratch / f"words.{suffix}"
        with tarfile.open(path, mode) as archive:
            archive.add(words, arcname="words")
        add(f"tar ({suffix})", STT, path)

    per_word = 5000 // 4
    at_count = [(f"w{n % 4}/{n}.wav", WAV) for n in range(5000)]
    add("5000 files (dataset_max_count_files)", STT, zip_entries(scratch / "count-5000.zip", at_count))
    add("5001 files", STT, zip_entries(scratch / "count-5001.zip", at_count + [("w0/extra.wav", WAV)]))
    add("4999 files and 2 folder entries (5001 entries)", STT,
        zip_entries(scratch / "count-folders.zip", [("w0/", b""), ("w1/", b"")] + at_count[:4999]))
    assert per_word > 0

    add("a 5 MiB clip (dataset_max_size_single_file_mb)", STT, zip_entries(scratch / "single-5.zip", clips + [("words/up/long.wav", bytes(5 * MiB))]))
    add("a 5 MiB + 1 B clip", STT, zip_entries(scratch / "single-5+1.zip", clips + [("words/up/long.wav", bytes(5 * MiB + 1))]))

    plain = zip_entries(scratch / "cp437.zip", clips + [("words/up/Xclip.wav", WAV)])
    add("a name that is not UTF-8 (byte 0xFF, no UTF-8 flag)", STT, patch_name(plain, b"Xclip", b"\xffclip"))
    flagged = zip_entries(scratch / "bad-utf8.zip", clips + [("words/up/\u00e9clip.wav", WAV)])
    add("a name marked UTF-8 that is not (0xFF 0xFF)", STT, patch_name(flagged, "\u00e9".encode(), b"\xff\xff"))
    add("not an archive", STT, scratch / "notes.zip")
    (scratch / "notes.zip").write_text("not a zip\n")

    intents = intents_folder(scratch / "intent")
    run([sys.executable, "-m", "zipfile", "-c", "../intents-py.zip", "weather", "music", "alarm", "news"], intents)
    add("python3 -m zipfile -c (what the gateway walkthrough used)", INTENT, intents.parent / "intents-py.zip")
    run(["zip", "-qr", "-D", "../intents-D.zip", "."], intents)
    add("zip -qr -D (the gateway walkthrough)", INTENT, intents.parent / "intents-D.zip")
    run([str(snet_train()), "pack", "intents", "-o", "intents-pack.zip", "--proto-set", str(INTENT[2]), "--method", "classify"], intents.parent)
    add("snet-train pack (the gateway walkthrough)", INTENT, intents.parent / "intents-pack.zip")
    add("a 50 MiB zip (dataset_max_size_mb)", INTENT, sized_zip(scratch / "size-50.zip", 50 * MiB, MiB))
    add("a 50 MiB + 1 B zip", INTENT, sized_zip(scratch / "size-50+1.zip", 50 * MiB + 1, MiB))
    return made


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("sdk-archives")
    rows = []
    for maker, target, path in archives(scratch):
        sdk = sdk_verdict(path, method_metadata(*target))
        checked, exit_code = precheck(path, target)
        rows.append((maker, target, path, sdk, checked, exit_code))
    if os.environ.get("SDK_TABLE"):
        lines = ["| archive maker | method | SDK verdict | pre-check verdict (SDK) | pre-check verdict (server rules) |", "| --- | --- | --- | --- | --- |"]
        for maker, target, _, sdk, checked, _ in rows:
            def said(verdict):
                if verdict["accepted"]:
                    return "accepts"
                reasons = ([verdict["error"]] if verdict.get("error") else []) + verdict["problems"]
                return f"refuses: {reasons[0]}" + (f" (+{len(reasons) - 1})" if len(reasons) > 1 else "")
            server = "accepts" if checked["server"]["accepted"] else f"refuses: {checked['server']['problems'][0]}"
            lines.append(f"| {maker} | {target[1]} | {said(sdk)} | {said(checked['sdk'])} | {server} |")
        Path(os.environ["SDK_TABLE"]).write_text("\n".join(lines) + "\n")
    return rows


def test_the_set_covers_both_verdicts(verdicts):
    assert any(sdk["accepted"] for *_, sdk, _, _ in verdicts)
    assert any(not sdk["accepted"] and sdk["problems"] for *_, sdk, _, _ in verdicts)
    assert any(sdk["error"] for *_, sdk, _, _ in verdicts)


def test_precheck_gives_the_sdk_verdict_and_reasons(verdicts):
    for maker, _, path, sdk, checked, _ in verdicts:
        mine = checked["sdk"]
        assert mine["accepted"] == sdk["accepted"], f"{maker}: SDK {sdk}, pre-check {mine}"
        assert mine["problems"] == sdk["problems"], f"{maker}: reasons differ"
        if sdk["error"] and sdk["error"].startswith("BadZipFile"):
            assert mine.get("error") == sdk["error"], maker
        elif sdk["error"]:
            assert (mine.get("error") or "").split(":")[0] == sdk["error"].split(":")[0], f"{maker}: {mine.get('error')} vs {sdk['error']}"
        else:
            assert mine.get("error") is None, maker


def test_exit_code_follows_the_verdicts(verdicts):
    for maker, _, _, sdk, checked, exit_code in verdicts:
        expected = 4 if not checked["server"]["accepted"] else (0 if sdk["accepted"] else 9)
        assert exit_code == expected, f"{maker}: exit {exit_code}, expected {expected}"


def test_refusals_say_how_to_make_an_accepted_archive(verdicts):
    for maker, _, _, sdk, checked, _ in verdicts:
        if not sdk["accepted"]:
            assert checked["sdk"]["advice"], f"{maker}: no advice"


def test_what_the_walkthroughs_and_pack_make_passes_the_sdk(verdicts):
    for maker, _, _, sdk, checked, _ in verdicts:
        if "walkthrough)" in maker or maker.startswith("snet-train pack"):
            assert sdk["accepted"], f"{maker}: {sdk}"
            assert checked["server"]["accepted"], f"{maker}: {checked['server']}"
