import Foundation
import Logging
import SNETTraining
import Testing
import TrainingCore

@testable import TrainingGateway

/// What the scheduler says about a job, and what each way a job can end means for the model. The
/// outcomes a one-node test cluster cannot produce (out of memory, preemption, a node that fails
/// to boot, a deadline) are proven here, from the job states `scontrol` reports.
@Suite("Slurm job states")
struct SlurmJobStateTests {
    @Test("one line of scontrol -o show job")
    func parsesScontrol() throws {
        let line =
            "JobId=7 JobName=snet-train-m1-j1 UserId=root(0) JobState=PENDING Reason=Resources Dependency=(null) "
            + "ExitCode=0:0 RunTime=1-02:03:04 TimeLimit=00:02:00 Partition=gpu NodeList=(null) Command=/a b/job.sh"
        let job = try #require(SlurmJobState(scontrolLine: line))
        #expect(job.state == "PENDING" && job.reason == "Resources" && job.partition == "gpu")
        #expect(job.isPending && !job.isRunning && !job.isFinished)
        #expect(job.runTime == .seconds(86_400 + 2 * 3_600 + 3 * 60 + 4))
        let failed = try #require(SlurmJobState(scontrolLine: "JobId=8 JobState=CANCELLED+ Reason=None ExitCode=0:15 NodeList=n1"))
        #expect(failed.state == "CANCELLED" && failed.exitSignal == 15 && failed.isFinished)
        #expect(SlurmJobState(scontrolLine: "slurm_load_jobs error: Invalid job id specified") == nil)
    }

    @Test(
        "each way the scheduler ends a job: an ERRORED reason, the trainer's own end, or a new submission",
        arguments: [
            ("OUT_OF_MEMORY", "ran out of memory"),
            ("CANCELLED", "cancelled the job"),
            ("DEADLINE", "deadline"),
            ("REVOKED", "REVOKED"),
        ]
    )
    func endedByTheScheduler(state: String, reason: String) {
        guard case .ended(.stopped(let text)) = SlurmOutcome.of(SlurmJobState(state: state), recorded: .exited(137)) else {
            Issue.record("\(state) did not end the run with a reason")
            return
        }
        #expect(text.contains(reason))
    }

    @Test("lost jobs are submitted again", arguments: ["NODE_FAIL", "PREEMPTED", "BOOT_FAIL"])
    func lostJobs(state: String) {
        guard case .resubmit = SlurmOutcome.of(SlurmJobState(state: state, nodes: "n1"), recorded: nil) else {
            Issue.record("\(state) is not submitted again")
            return
        }
    }

    @Test("the trainer's recorded end wins for a job that completed or failed; else the scheduler's exit code")
    func exitStatus() {
        #expect(SlurmOutcome.of(SlurmJobState(state: "TIMEOUT"), recorded: nil) == .ended(.timedOut))
        #expect(SlurmOutcome.of(SlurmJobState(state: "FAILED", exitStatus: 3), recorded: .exited(2)) == .ended(.exited(2)))
        #expect(SlurmOutcome.of(SlurmJobState(state: "FAILED", exitStatus: 3), recorded: nil) == .ended(.exited(3)))
        #expect(SlurmOutcome.of(SlurmJobState(state: "FAILED", exitSignal: 9), recorded: nil) == .ended(.signalled(9)))
        #expect(SlurmOutcome.of(SlurmJobState(state: "COMPLETED"), recorded: nil) == .ended(.exited(0)))
    }

    @Test("sbatch arguments: name, whole minutes past the time limit and grace, the configured options, extra arguments last")
    func sbatchArguments() {
        let command = TrainerCommand(executable: "/bin/true", gracePeriod: .seconds(10))
        let options = SlurmOptions(partition: "gpu", account: "lab", gpus: "a100:2", memory: "16G", cpusPerTask: 4, extraArguments: ["--qos=long"])
        let runner = SlurmTrainerRunner(
            command: command, options: options, root: URL(filePath: "/shared"), client: SlurmClient(), logger: .init(label: "test")
        )
        let directory = SlurmRunDirectory(url: URL(filePath: "/shared/snet-train-m-j", directoryHint: .isDirectory))
        let arguments = runner.sbatchArguments(name: "snet-train-m-j", directory: directory, timeLimit: .seconds(3_600))
        #expect(arguments.contains("--job-name=snet-train-m-j"))
        #expect(arguments.contains("--time=62"))  // 3600 + 10 + 60 seconds, rounded up
        #expect(arguments.contains("--no-requeue") && arguments.contains("--export=NIL"))
        #expect(["--partition=gpu", "--account=lab", "--gpus=a100:2", "--mem=16G", "--cpus-per-task=4"].allSatisfy(arguments.contains))
        #expect(arguments.last == "--qos=long")
    }

    @Test("job names carry the model and the run, in characters Slurm takes")
    func jobNames() {
        let request = TrainerRunRequest(
            phase: .train, dataset: URL(filePath: "/d"), method: .init(name: .init(service: "s.S", method: "m"), options: .init(defaultModelID: "x")),
            timeLimit: .seconds(1), job: TrainerJob(jobID: "job 1", modelID: "model/1")
        )
        #expect(SlurmTrainerRunner.jobName(for: request) == "snet-train-model_1-job_1")
    }
}
