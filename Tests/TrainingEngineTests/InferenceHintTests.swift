import Testing
import TrainingCore
import TrainingEngine
import TrainingTesting

/// What a caller of a model that is not READY_TO_USE is told to do: the step that fits its status,
/// in words any client can follow (no RPC or CLI names).
@Suite("Inference refusals name the next step for the model's state")
struct InferenceHintTests {
    @Test(
        "each busy or unfinished status has its own next step",
        arguments: [
            (ModelStatus.created, "upload one"), (.validating, "being validated"), (.validated, "not trained yet"),
            (.training, "wait until its status is READY_TO_USE"), (.errored, "upload a corrected dataset"),
        ]
    )
    func hint(status: ModelStatus, expected: String) {
        let hint = InferenceEndpoint<TextLabelTrainer>.nextStep(for: status)
        #expect(hint.contains(expected), "\(hint)")
        #expect(!hint.contains("_model") && !hint.contains("snet-train") && !hint.contains("upload_and_validate"), "\(hint)")
    }
}
