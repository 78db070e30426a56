"""Drives stt-service's whole training lifecycle with a client generated, at test time, from the
unmodified training.proto (and service.proto) by grpcio-tools: the proof that a non-Swift consumer
such as the SingularityNET daemon or SDK can use the service.

Needs the stt-service binary: STT_BINARY, or .build/debug/stt-service (swift build first).
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import grpc
import pytest
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "Sources" / "stt-service" / "DefaultDataset"


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    include = Path(protoc.__file__).parent / "_proto"
    for proto in ("training.proto", "service.proto"):
        code = protoc.main(
            ["protoc", f"-I{ROOT / 'Protos'}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", proto]
        )
        assert code == 0, f"protoc failed for {proto}"
    sys.path.insert(0, str(out))
    import training_pb2, training_pb2_grpc, service_pb2, service_pb2_grpc  # noqa: E401

    return training_pb2, training_pb2_grpc, service_pb2, service_pb2_grpc


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    binary = Path(os.environ.get("STT_BINARY", ROOT / ".build" / "debug" / "stt-service"))
    assert binary.exists(), f"{binary} not found: run `swift build --product stt-service` first"
    data = tempfile.mkdtemp(prefix="stt-python-")
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "--port", str(port), "--data-dir", data, "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
    )
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    try:
        grpc.channel_ready_future(channel).result(timeout=300)  # first start trains the default model
        yield channel
    finally:
        channel.close()
        process.terminate()
        assert process.wait(timeout=30) == 0, "stt-service did not stop cleanly on SIGTERM"
        shutil.rmtree(data, ignore_errors=True)


def wait_while_busy(stub, training_pb2, model_id, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = stub.get_model_status(training_pb2.ModelID(model_id=model_id)).status
        if status not in (training_pb2.VALIDATING, training_pb2.TRAINING):
            return status
        time.sleep(0.25)
    raise AssertionError("model still busy")


def sdk_upload(stub, training_pb2, model_id, name, payload, batch_size=1024 * 1024):
    """The SDK's upload: 1 MiB pieces with file_name, file_size, batch_size, batch_number from 1, batch_count."""
    count = max(1, -(-len(payload) // batch_size))

    def pieces():
        for number in range(1, count + 1):
            yield training_pb2.UploadInput(
                model_id=model_id,
                data=payload[(number - 1) * batch_size : number * batch_size],
                file_name=name,
                file_size=len(payload),
                batch_size=batch_size,
                batch_number=number,
                batch_count=count,
            )

    return stub.upload_and_validate(pieces())


def test_whole_lifecycle_from_python(stubs, server):
    training_pb2, training_pb2_grpc, service_pb2, service_pb2_grpc = stubs
    training = training_pb2_grpc.ModelStub(server)
    service = service_pb2_grpc.ExampleServiceStub(server)

    words = ["yes", "no", "stop"]
    clips = {word: sorted((DATASET / word).glob("*.wav")) for word in words}
    held_out = {word: files[-2:] for word, files in clips.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for word, files in clips.items():
            for clip in files[:-2]:
                archive.write(clip, f"{word}/{clip.name}")

    created = training.create_model(
        training_pb2.NewModel(
            name="python", grpc_service_name="service.ExampleService", grpc_method_name="stt",
            organization_id="org", service_id="svc", group_id="default_group",
        )
    )
    model_id = created.model_id
    assert model_id
    assert training.validate_model_price(training_pb2.ValidateRequest(model_id=model_id)).price >= 1
    assert sdk_upload(training, training_pb2, model_id, "speech.zip", buffer.getvalue()).status == training_pb2.VALIDATING
    assert wait_while_busy(training, training_pb2, model_id) == training_pb2.VALIDATED
    assert training.train_model_price(training_pb2.ModelID(model_id=model_id)).price >= 1
    assert training.train_model(training_pb2.ModelID(model_id=model_id)).status == training_pb2.TRAINING
    assert wait_while_busy(training, training_pb2, model_id) == training_pb2.READY_TO_USE

    correct = 0
    total = 0
    for word, files in held_out.items():
        for clip in files:
            answer = service.stt(
                service_pb2.sttInput(model_id=training_pb2.ModelID(model_id=model_id), speech=clip.read_bytes())
            )
            assert answer.result in words or answer.result == ""  # empty: refused as silence or unknown
            correct += answer.result == word
            total += 1
    assert correct / total >= 0.5, f"held-out accuracy {correct}/{total}"

    basic = service.basic_stt(service_pb2.basicSttInput(speech=(DATASET / "go").glob("*.wav").__next__().read_bytes()))
    assert basic.result in {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go", ""}

    assert training.delete_model(training_pb2.ModelID(model_id=model_id)).status == training_pb2.DELETED
    assert training.get_model_status(training_pb2.ModelID(model_id=model_id)).status == training_pb2.DELETED


def test_errors_reach_python_with_codes(stubs, server):
    training_pb2, training_pb2_grpc, _, _ = stubs
    training = training_pb2_grpc.ModelStub(server)
    with pytest.raises(grpc.RpcError) as unknown:
        training.get_model_status(training_pb2.ModelID(model_id="0" * 32))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    assert "create_model" in unknown.value.details()

    with pytest.raises(grpc.RpcError) as wrong:
        training.create_model(training_pb2.NewModel(grpc_service_name="service.ExampleService", grpc_method_name="basic_stt"))
    assert wrong.value.code() == grpc.StatusCode.INVALID_ARGUMENT

    model_id = training.create_model(
        training_pb2.NewModel(grpc_service_name="service.ExampleService", grpc_method_name="stt")
    ).model_id
    with pytest.raises(grpc.RpcError) as early:
        training.train_model(training_pb2.ModelID(model_id=model_id))
    assert early.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "CREATED" in early.value.details()

    broken = sdk_upload(training, training_pb2, model_id, "speech.zip", b"PK\x03\x04 not really a zip")
    assert broken.status == training_pb2.VALIDATING
    assert wait_while_busy(training, training_pb2, model_id) == training_pb2.ERRORED
    _, call = training.get_model_status.with_call(training_pb2.ModelID(model_id=model_id))
    detail = dict(call.trailing_metadata()).get("status-detail", "")
    assert detail, "the reason an upload failed is in the status-detail trailer"


def test_long_answers_stay_readable_by_grpcio(stubs, server):
    """grpcio's default client refuses response metadata over 16 KiB (it then reports
    RESOURCE_EXHAUSTED, not the real answer): a huge model_id echoed in an error, or a long
    validation report in the status-detail trailers, must stay under that."""
    training_pb2, training_pb2_grpc, _, _ = stubs
    training = training_pb2_grpc.ModelStub(server)

    with pytest.raises(grpc.RpcError) as unknown:
        training.get_model_status(training_pb2.ModelID(model_id="x" * 65536))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    assert len(unknown.value.details()) < 1024

    # Sixty word folders under long names, each with its clip one folder too deep: sixty different
    # problems, fifty of them listed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        clip = next((DATASET / "no").glob("*.wav")).read_bytes()
        for index in range(60):
            archive.writestr(f"{'recorded-on-a-tuesday-afternoon-' * 3}{index}/takes/a.wav", clip)
    model_id = training.create_model(
        training_pb2.NewModel(grpc_service_name="service.ExampleService", grpc_method_name="stt")
    ).model_id
    assert sdk_upload(training, training_pb2, model_id, "speech.zip", buffer.getvalue()).status == training_pb2.VALIDATING
    assert wait_while_busy(training, training_pb2, model_id) == training_pb2.ERRORED
    response, call = training.get_model_status.with_call(training_pb2.ModelID(model_id=model_id))
    assert response.status == training_pb2.ERRORED
    trailers = dict(call.trailing_metadata())
    detail = trailers.get("status-detail", "")
    assert detail.startswith("The dataset is not usable"), detail[:200]
    assert detail.endswith("more characters not shown]"), detail[-200:]
    assert trailers.get("status-detail-bin", b"").decode().endswith("more characters not shown]")
