"""training-gateway end to end, with the Python example provider (Examples/python-intent) running
for real: its grpcio service, its scikit-learn trainer speaking the trainer protocol, and the
gateway in front of both, driven by a client generated from the unmodified training.proto.

Needs the training-gateway binary: GATEWAY_BINARY, or .build/debug/training-gateway.
"""

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_tools import protoc

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "Examples" / "python-intent"
OWNER = "0x1111111111111111111111111111111111111111"
STRANGER = "0x2222222222222222222222222222222222222222"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def training(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    include = Path(protoc.__file__).parent / "_proto"
    assert protoc.main(["protoc", f"-I{ROOT / 'Protos'}", f"-I{include}", f"--python_out={out}", f"--grpc_python_out={out}", "training.proto"]) == 0
    sys.path.insert(0, str(out))
    import training_pb2, training_pb2_grpc  # noqa: E401

    return training_pb2, training_pb2_grpc


@pytest.fixture(scope="module")
def intent():
    """The example's messages, from its committed descriptor set: no generated code."""
    files = descriptor_pb2.FileDescriptorSet.FromString((EXAMPLE / "intent.protoset").read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"intent.{name}"))
        for name in ("ClassifyRequest", "ClassifyResponse", "RankedLabel", "LabelsRequest", "LabelsResponse")
    }


def wait_for_port(port, process, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert process.poll() is None, f"process exited with {process.returncode}"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    env = dict(os.environ, INTENT_SERVICE_TEST_HOOKS="1")
    process = subprocess.Popen([sys.executable, str(EXAMPLE / "service.py"), "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Gateway:
    """A training-gateway process; restartable on the same data directory."""

    def __init__(self, provider_port, data, **trainer):
        binary = Path(os.environ.get("GATEWAY_BINARY", ROOT / ".build" / "debug" / "training-gateway"))
        assert binary.exists(), f"{binary} not found: run `swift build --product training-gateway` first"
        self.binary, self.data, self.port = binary, Path(data), free_port()
        self.config = self.data.parent / f"{self.data.name}.yaml"
        environment = [f"{name}={value}" for name, value in trainer.pop("environment", {}).items()]
        server_extra = trainer.pop("server_extra", "")
        # runner="slurm": trainers run as jobs of the one-node test cluster (scripts/start-slurm.sh).
        runner = trainer.pop("runner", "local")
        lines = [
            "logLevel: warning",
            f"server: {{host: 127.0.0.1, port: {self.port}, dataDirectory: {self.data}{server_extra}}}",
            *trainer.pop("extra_lines", []),
            f"provider: {{descriptorSet: {EXAMPLE / 'intent.protoset'}, endpoint: '127.0.0.1:{provider_port}'}}",
            "methods:",
        ]
        for method, extra in (("classify", environment), ("rank", trainer.pop("rank_environment", []))):
            lines += [
                f"  {method}:",
                "    access: restricted",
                "    trainer:",
                f"      command: [{sys.executable}, {EXAMPLE / 'train.py'}]",
                f"      timeLimitSeconds: {trainer.get('time_limit', 120)}",
                "      gracePeriodSeconds: 2",
                f"      environment: [{', '.join(extra)}]",
            ]
            if runner == "slurm":
                lines += ["      runner: slurm", "      slurm: {pollIntervalSeconds: 1, pendingLimitSeconds: 120}"]
        self.config.write_text("\n".join(lines) + "\n")
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen([str(self.binary), "--config", str(self.config)], stdout=subprocess.DEVNULL)
        wait_for_port(self.port, self.process)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")

    def stop(self):
        self.channel.close()
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=30) == 0, "the gateway did not stop cleanly on SIGTERM"

    def kill(self):
        """As a crash would: SIGKILL, nothing cleaned up."""
        self.channel.close()
        self.process.kill()
        self.process.wait(timeout=30)

    def trainer_processes(self):
        """PIDs of trainer processes this gateway started (their environment names its work root)."""
        marker = f"TRAINING_GATEWAY_RUN={self.data / 'trainer-runs'}".encode()
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    environ = Path(f"/proc/{entry}/environ").read_bytes()
                except OSError:
                    continue
                if any(item.rstrip(b"/") == marker.rstrip(b"/") for item in environ.split(b"\0")):
                    found.append(int(entry))
        return found


@pytest.fixture(scope="module")
def gateway(provider):
    data = Path(tempfile.mkdtemp(prefix="gateway-")) / "data"
    # classify trains slowly enough to watch; rank's trainer crashes.
    gateway = Gateway(provider, data, environment={"INTENT_TRAIN_DELAY": "0.6"}, rank_environment=["INTENT_TRAIN_CRASH=1"])
    yield gateway
    gateway.stop()
    assert not gateway.trainer_processes()
    shutil.rmtree(data.parent, ignore_errors=True)


def archive(folder, labels=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in sorted(folder.rglob("*.txt")):
            relative = path.relative_to(folder)
            if labels is None or relative.parts[0] in labels:
                zipped.write(path, str(relative))
    return buffer.getvalue()


def upload(stub, training_pb2, model_id, payload):
    batch = 1024 * 1024
    count = max(1, -(-len(payload) // batch))
    pieces = (
        training_pb2.UploadInput(
            model_id=model_id, data=payload[(n - 1) * batch : n * batch], file_name="intents.zip",
            file_size=len(payload), batch_size=batch, batch_number=n, batch_count=count,
        )
        for n in range(1, count + 1)
    )
    return stub.upload_and_validate(pieces)


def status(stub, training_pb2, model_id):
    response, call = stub.get_model_status.with_call(training_pb2.ModelID(model_id=model_id))
    return response.status, dict(call.trailing_metadata()).get("status-detail", "")


def wait_for(stub, training_pb2, model_id, wanted, timeout=90):
    details = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        current, detail = status(stub, training_pb2, model_id)
        if not details or details[-1] != detail:
            details.append(detail)
        if current in wanted:
            return current, detail, details
        time.sleep(0.1)
    raise AssertionError(f"model {model_id} still {current} ({detail})")


def validated_model(gateway, training, method="classify", owner=OWNER):
    training_pb2, training_pb2_grpc = training
    stub = training_pb2_grpc.ModelStub(gateway.channel)
    model_id = stub.create_model(
        training_pb2.NewModel(
            name="intents", grpc_service_name="intent.IntentClassifier", grpc_method_name=method, address_list=[owner],
        )
    ).model_id
    assert upload(stub, training_pb2, model_id, archive(EXAMPLE / "sample-dataset")).status == training_pb2.VALIDATING
    final, detail, _ = wait_for(stub, training_pb2, model_id, {training_pb2.VALIDATED, training_pb2.ERRORED})
    assert final == training_pb2.VALIDATED, detail
    assert detail.startswith("Dataset is valid: 4 intents, 40 texts"), detail
    return stub, model_id


def call(channel, intent, method, request, caller=None, timeout=10, extra=()):
    metadata = ((("snet-user-address", caller),) if caller else ()) + tuple(extra)
    if method == "rank":
        rpc = channel.unary_stream(
            "/intent.IntentClassifier/rank", request_serializer=intent["ClassifyRequest"].SerializeToString,
            response_deserializer=intent["RankedLabel"].FromString,
        )
        return list(rpc(request, metadata=metadata, timeout=timeout))
    names = {"classify": ("ClassifyRequest", "ClassifyResponse"), "labels": ("LabelsRequest", "LabelsResponse")}[method]
    rpc = channel.unary_unary(
        f"/intent.IntentClassifier/{method}", request_serializer=intent[names[0]].SerializeToString,
        response_deserializer=intent[names[1]].FromString,
    )
    return rpc(request, metadata=metadata, timeout=timeout)


def classify_request(training, intent, model_id, text):
    training_pb2, _ = training
    return intent["ClassifyRequest"](model_id={"model_id": model_id}, text=text)


def test_forwarding_of_untrainable_calls_errors_and_deadlines(gateway, training, intent):
    labels = call(gateway.channel, intent, "labels", intent["LabelsRequest"]())
    assert list(labels.labels) == ["goodbye", "greeting", "thanks"]
    with pytest.raises(grpc.RpcError) as empty:
        call(gateway.channel, intent, "classify", classify_request(training, intent, "", "  "))
    assert empty.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert empty.value.details() == "text is empty: send the sentence to classify."  # the provider's, unchanged
    started = time.time()
    with pytest.raises(grpc.RpcError) as late:
        call(gateway.channel, intent, "classify", classify_request(training, intent, "", "sleep:5"), timeout=0.5)
    assert late.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.time() - started < 3


@pytest.mark.parametrize("code", ["INTERNAL", "UNKNOWN", "NOT_FOUND", "RESOURCE_EXHAUSTED", "UNAVAILABLE", "DATA_LOSS"])
def test_the_providers_status_message_and_trailers_come_back_unchanged(gateway, training, intent, code):
    message = f"provider says {code.lower()} (trace-7)"
    with pytest.raises(grpc.RpcError) as failed:
        call(gateway.channel, intent, "classify", classify_request(training, intent, "", f"fail:{code}:{message}"))
    assert failed.value.code() == getattr(grpc.StatusCode, code)
    assert failed.value.details() == message
    trailers = dict(failed.value.trailing_metadata())
    assert trailers.get("provider-trace") == "trace-7"
    assert trailers.get("provider-detail-bin") == b"\x00\xffdetail"


def test_every_snet_model_key_a_caller_sends_is_removed(gateway, training, intent):
    forged = (
        ("snet-model-id", "forged"), ("snet-model-path", "/etc"), ("snet-model-extra", "x"),
        ("snet-model-path-bin", b"/etc"), ("snet-model-anything-bin", b"\x00"),
    )
    answer = call(gateway.channel, intent, "classify", classify_request(training, intent, "", "snet-model-keys"), extra=forged)
    # Only the gateway's own key: the default model's id, and no path.
    assert answer.label == "snet-model-id=''"


def test_default_model_unary_and_streaming(gateway, training, intent):
    for model_id in ("", "default"):
        answer = call(gateway.channel, intent, "classify", classify_request(training, intent, model_id, "thank you so much"))
        assert (answer.label, answer.model_id) == ("thanks", "default")
    ranked = call(gateway.channel, intent, "rank", classify_request(training, intent, "default", "hello there"))
    assert [r.label for r in ranked][0] == "greeting" and len(ranked) == 3
    assert abs(sum(r.confidence for r in ranked) - 1) < 1e-6


def test_trainer_rejects_a_bad_dataset(gateway, training):
    training_pb2, training_pb2_grpc = training
    stub = training_pb2_grpc.ModelStub(gateway.channel)
    model_id = stub.create_model(training_pb2.NewModel(grpc_service_name="intent.IntentClassifier", grpc_method_name="classify")).model_id
    # Valid for the archive checks (txt files, in limits) but one intent only: the trainer refuses it.
    upload(stub, training_pb2, model_id, archive(EXAMPLE / "sample-dataset", labels={"weather"}))
    final, detail, _ = wait_for(stub, training_pb2, model_id, {training_pb2.VALIDATED, training_pb2.ERRORED})
    assert final == training_pb2.ERRORED
    assert detail == "The dataset was rejected: found 1 label folder(s), need at least 2."


def test_train_with_progress_then_infer_with_access_control(gateway, training, intent):
    training_pb2, _ = training
    stub, model_id = validated_model(gateway, training)
    assert stub.train_model(training_pb2.ModelID(model_id=model_id)).status == training_pb2.TRAINING
    final, detail, details = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED})
    assert final == training_pb2.READY_TO_USE, detail
    assert detail.startswith("Trained on 40 texts, 4 intents"), detail
    # Progress is published at most once a second, so quick steps may be merged: any step between
    # the start and the end shows the trainer's own progress reaching the status detail.
    assert any(d.startswith("Training: ") and "%" in d and not d.startswith("Training: 100%") for d in details), details

    for text, expected in (("will it snow tomorrow", "weather"), ("play some music", "music"), ("wake me up at six", "alarm")):
        answer = call(gateway.channel, intent, "classify", classify_request(training, intent, model_id, text), caller=OWNER)
        assert (answer.label, answer.model_id) == (expected, model_id)
    with pytest.raises(grpc.RpcError) as refused:
        call(gateway.channel, intent, "classify", classify_request(training, intent, model_id, "hello"), caller=STRANGER)
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.RpcError) as wrong_method:
        call(gateway.channel, intent, "rank", classify_request(training, intent, model_id, "hello"), caller=OWNER)
    assert wrong_method.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    # A caller cannot point the provider at a directory of its choosing: the gateway drops the keys.
    forged = call(
        gateway.channel, intent, "classify", classify_request(training, intent, "", "thanks"),
        extra=(("snet-model-path", "/nonexistent"), ("snet-model-id", model_id)),
    )
    assert (forged.label, forged.model_id) == ("thanks", "default")


def test_delete_during_training_kills_the_trainer(gateway, training):
    training_pb2, _ = training
    stub, model_id = validated_model(gateway, training)
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    deadline = time.time() + 30
    while not gateway.trainer_processes():
        assert time.time() < deadline, "the trainer never started"
        time.sleep(0.05)
    assert stub.delete_model(training_pb2.ModelID(model_id=model_id)).status == training_pb2.DELETED
    deadline = time.time() + 10
    while gateway.trainer_processes():
        assert time.time() < deadline, "a trainer process outlived its deleted model"
        time.sleep(0.05)
    assert status(stub, training_pb2, model_id)[0] == training_pb2.DELETED


def test_a_crashing_trainer_ends_errored(gateway, training):
    training_pb2, _ = training
    stub, model_id = validated_model(gateway, training, method="rank")
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    final, detail, _ = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED})
    assert final == training_pb2.ERRORED
    assert detail.startswith("Training failed: the trainer crashed (signal 6)"), detail


def test_gateway_restart_during_training_recovers_the_job(gateway, training, intent):
    training_pb2, training_pb2_grpc = training
    stub, model_id = validated_model(gateway, training)
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    deadline = time.time() + 30
    while not gateway.trainer_processes():
        assert time.time() < deadline, "the trainer never started"
        time.sleep(0.05)
    gateway.stop()
    assert not gateway.trainer_processes(), "shutdown left a trainer running"
    gateway.start()
    stub = training_pb2_grpc.ModelStub(gateway.channel)
    final, detail, _ = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED})
    assert final == training_pb2.READY_TO_USE, detail
    answer = call(gateway.channel, intent, "classify", classify_request(training, intent, model_id, "any rain today"), caller=OWNER)
    assert answer.label == "weather"


def test_a_trainer_past_its_time_limit_ends_errored(provider, training):
    training_pb2, _ = training
    data = Path(tempfile.mkdtemp(prefix="gateway-limit-")) / "data"
    slow = Gateway(provider, data, environment={"INTENT_TRAIN_DELAY": "30"}, time_limit=2)
    try:
        stub, model_id = validated_model(slow, training)
        stub.train_model(training_pb2.ModelID(model_id=model_id))
        final, detail, _ = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED}, timeout=30)
        assert final == training_pb2.ERRORED
        assert detail == "Training did not finish within its time limit of 2 seconds and was stopped."
        assert not slow.trainer_processes()
    finally:
        slow.stop()
        shutil.rmtree(data.parent, ignore_errors=True)


def test_a_connection_per_poll_never_closed_as_the_daemon_polls_stays_bounded(provider, training, tmp_path):
    """The daemon's status poller makes a new client for every poll and never closes it (grpc-go then
    goes idle after the server's GOAWAY, as grpcio does): the server's idle timeout and connection
    limit must keep its connections and descriptors bounded, and new callers served."""
    training_pb2, training_pb2_grpc = training
    admin = free_port()
    gateway = Gateway(
        provider, tmp_path / "data", server_extra=", connections: {maxIdleSeconds: 1, limit: 64}", extra_lines=[f"admin: {{port: {admin}}}"]
    )
    pid, polls, channels = gateway.process.pid, 200, []

    def descriptors():
        return len(os.listdir(f"/proc/{pid}/fd"))

    def open_connections():
        scrape = urllib.request.urlopen(f"http://127.0.0.1:{admin}/metrics", timeout=10).read().decode()
        return int(float(next(line.split()[-1] for line in scrape.splitlines() if line.startswith("snet_connections_open"))))

    def poll(channel):
        try:
            training_pb2_grpc.ModelStub(channel).get_model_status(training_pb2.ModelID(model_id="0" * 32), timeout=10)
        except grpc.RpcError as error:
            return error.code() == grpc.StatusCode.NOT_FOUND
        return False

    try:
        before = descriptors()
        answered, peak_open, peak_descriptors = 0, 0, before
        for _ in range(polls):
            # A connection of its own (grpcio otherwise shares one between channels), never closed.
            channel = grpc.insecure_channel(f"127.0.0.1:{gateway.port}", options=[("grpc.use_local_subchannel_pool", 1)])
            channels.append(channel)
            answered += poll(channel)
            peak_open, peak_descriptors = max(peak_open, open_connections()), max(peak_descriptors, descriptors())
            time.sleep(0.02)
        deadline = time.time() + 20
        while open_connections() > 0 and time.time() < deadline:
            time.sleep(0.1)
        after_open, after = open_connections(), descriptors()
        late = grpc.insecure_channel(f"127.0.0.1:{gateway.port}", options=[("grpc.use_local_subchannel_pool", 1)])
        channels.append(late)
        late_served = poll(late)
        print(
            f"\nconnection figures: {polls} polls, each on a new connection never closed; answered {answered}; "
            f"open connections at most {peak_open} (limit 64), {after_open} after the idle time; "
            f"gateway descriptors {before} before, {peak_descriptors} at peak, {after} after; a new caller served: {late_served}"
        )
        assert answered == polls
        assert peak_open <= 64 and after_open == 0
        assert after <= before + 5
        assert late_served
    finally:
        for channel in channels:
            channel.close()
        gateway.stop()
        shutil.rmtree(tmp_path / "data", ignore_errors=True)


def test_snet_train_inspect_and_daemon_config_work_against_the_gateway(gateway):
    cli = ROOT / ".build" / "debug" / "snet-train"
    if not cli.exists():
        pytest.skip("snet-train not built")
    endpoint = f"127.0.0.1:{gateway.port}"
    inspected = subprocess.run([str(cli), "inspect", "--endpoint", endpoint], capture_output=True, text=True, timeout=60)
    assert inspected.returncode == 0, inspected.stderr
    assert "intent.IntentClassifier" in inspected.stdout and "classify" in inspected.stdout
    config = subprocess.run([str(cli), "daemon-config", "--endpoint", endpoint], capture_output=True, text=True, timeout=60)
    assert config.returncode == 0, config.stderr
    assert "model_maintenance_endpoint" in config.stdout
