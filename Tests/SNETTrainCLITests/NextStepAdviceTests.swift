import GRPCCore
import Testing
import TrainingCore

@testable import snet_train

/// The next step a refusal names, for each state a model can be in: the CLI's table, without a
/// server or a process. NextStepTests shows, with the binary against a server, that the advice
/// reaches the user (a `next:` line, `error.next` with `--json`).
@Suite("snet-train: the next step after a refusal, by model state")
struct NextStepAdviceTests {
    static let id = "0123456789abcdef0123456789abcdef"

    static func advice(_ kind: ModelCommand.Kind, _ status: ModelStatus?, code: RPCError.Code = .failedPrecondition) -> String? {
        NextStep.advice(after: code, to: ModelCommand(kind: kind, modelID: id, method: "service.ExampleService/stt"), status: status)
    }

    static let upload = "upload a dataset: snet-train upload \(id) FILE"
    static let waitForValidation = "wait for validation to end: snet-train watch \(id) --until VALIDATED"
    static let trainFirst = "train it, then wait: snet-train train \(id) && snet-train watch \(id)"
    static let waitForTraining = "wait for training to end: snet-train watch \(id) (exits 0 at READY_TO_USE)"
    static let fixDataset = "see why with snet-train status \(id), then upload a corrected dataset: snet-train upload \(id) FILE"
    static let createAnother =
        "the model is deleted; create a new one: snet-train create --method service.ExampleService/stt --name NAME --caller ADDRESS"

    @Test(
        "each state's step, for train and call",
        arguments: [
            (ModelStatus.created, upload, upload),
            (.validating, waitForValidation, waitForValidation),
            (.validated, nil, trainFirst),
            (.training, waitForTraining, waitForTraining),
            (.readyToUse, nil, nil),
            (.errored, fixDataset, fixDataset),
            (.deleted, createAnother, createAnother),
        ] as [(ModelStatus, String?, String?)]
    )
    func byState(status: ModelStatus, train: String?, call: String?) {
        #expect(Self.advice(.train, status) == train)
        #expect(Self.advice(.call, status) == call)
    }

    @Test("an id the server does not know: check it, or create a model; a refusal of another kind adds nothing")
    func unknownModel() {
        #expect(
            Self.advice(.train, nil, code: .notFound)
                == "check the model id, or create a model: snet-train create --method service.ExampleService/stt --name NAME --caller ADDRESS")
        #expect(Self.advice(.train, nil, code: .failedPrecondition) == nil)
    }

    @Test("NOT_FOUND on a call to a model that exists: the caller is not in its address list")
    func notThisCallersModel() throws {
        let advice = try #require(Self.advice(.call, .readyToUse, code: .notFound))
        #expect(advice.hasPrefix("model \(Self.id) exists (READY_TO_USE) but the server does not let this caller use it"))
        #expect(advice.contains("pass --caller"))
        #expect(Self.advice(.call, .deleted, code: .notFound)?.hasPrefix("the model is deleted") == true)
    }
}
