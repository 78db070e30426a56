"""training-gateway end to end with the Slurm runner: the example provider's trainer submitted as
batch jobs to the one-node test cluster (scripts/start-slurm.sh), followed, cancelled, and taken
up again by a gateway restarted after being killed.

Skipped without a cluster (no SLURM_CONF, no sbatch) unless CI=true, where the cluster must be there.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from test_gateway import Gateway, provider, training, validated_model, wait_for  # noqa: F401 (fixtures too)

HAVE_CLUSTER = shutil.which("sbatch") is not None and subprocess.run(["sinfo", "-h"], capture_output=True).returncode == 0
pytestmark = pytest.mark.skipif(
    not HAVE_CLUSTER and os.environ.get("CI") != "true",
    reason="no Slurm cluster: apt-get install slurm-wlm munge; scripts/start-slurm.sh; export SLURM_CONF",
)


def cluster_jobs(name_part):
    """(id, state) of the jobs the scheduler still knows whose name contains name_part."""
    out = subprocess.run(["squeue", "--noheader", "--states=all", "--format=%i %T %j"], capture_output=True, text=True, check=True).stdout
    return [(line.split()[0], line.split()[1]) for line in out.splitlines() if name_part in line]


def active_jobs(name_part):
    return [job for job in cluster_jobs(name_part) if job[1] in ("PENDING", "RUNNING", "CONFIGURING", "COMPLETING")]


def run_directory(gateway, model_id):
    found = list((gateway.data / "trainer-jobs").glob(f"snet-train-{model_id}-*"))
    assert len(found) == 1, found
    return found[0]


def wait_until(condition, what, timeout=60):
    deadline = time.time() + timeout
    while not condition():
        assert time.time() < deadline, f"timed out waiting until {what}"
        time.sleep(0.1)


@pytest.fixture()
def cluster_gateway(provider):
    data = Path(tempfile.mkdtemp(prefix="gateway-slurm-")) / "data"
    gateway = Gateway(provider, data, environment={"INTENT_TRAIN_DELAY": "1"}, runner="slurm")
    yield gateway
    if gateway.process.poll() is None:
        gateway.stop()
    shutil.rmtree(data.parent, ignore_errors=True)


def test_train_on_the_cluster_with_progress_then_infer(cluster_gateway, training):
    training_pb2, _ = training
    stub, model_id = validated_model(cluster_gateway, training)
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    final, detail, details = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED}, timeout=120)
    assert final == training_pb2.READY_TO_USE, details
    assert detail.startswith("Trained on 40 texts, 4 intents"), detail
    assert any(d.startswith("Training: ") and "%" in d for d in details), details


def test_delete_during_training_cancels_the_job(cluster_gateway, training):
    training_pb2, _ = training
    stub, model_id = validated_model(cluster_gateway, training)
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    wait_until(lambda: active_jobs(model_id), "the job is submitted")
    stub.delete_model(training_pb2.ModelID(model_id=model_id))
    wait_until(lambda: not active_jobs(model_id), "the job is gone", timeout=30)


@pytest.mark.parametrize("away", ["briefly", "past MinJobAge"])
def test_a_killed_gateway_takes_its_job_up_again_and_never_runs_it_twice(cluster_gateway, training, away):
    training_pb2, training_pb2_grpc = training
    stub, model_id = validated_model(cluster_gateway, training)
    stub.train_model(training_pb2.ModelID(model_id=model_id))
    wait_until(lambda: any(state == "RUNNING" for _, state in cluster_jobs(model_id)), "the job runs")
    directory = run_directory(cluster_gateway, model_id)
    job_id = (directory / "slurm-job-id").read_text().strip()
    cluster_gateway.kill()
    assert active_jobs(model_id), "the job outlives the gateway"
    if away != "briefly":
        # The job ends while no gateway watches, and the scheduler forgets it (MinJobAge 5 s in the test cluster).
        wait_until(lambda: not cluster_jobs(model_id), "the scheduler forgets the job", timeout=120)
    cluster_gateway.start()
    stub = training_pb2_grpc.ModelStub(cluster_gateway.channel)
    # The killed gateway's job lease must expire before the restarted gateway takes the job up.
    final, detail, details = wait_for(stub, training_pb2, model_id, {training_pb2.READY_TO_USE, training_pb2.ERRORED}, timeout=180)
    assert final == training_pb2.READY_TO_USE, details
    assert (run_directory(cluster_gateway, model_id) / "slurm-job-id").read_text().strip() == job_id, "the run was submitted again"
