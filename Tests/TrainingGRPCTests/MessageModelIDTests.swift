import ExampleServiceProto
import Foundation
import SwiftProtobuf
import Testing
import TrainingGRPC
import TrainingProto

/// The model id the request log and metrics read from each message: by type for training.Model's
/// messages, by reflection for a trainable method's input, never by walking forwarded bytes.
@Suite("The model id a message carries")
struct MessageModelIDTests {
    @Test("a method input whose ModelID is unset first is still read once a later message sets it")
    func unsetThenSet() {
        #expect(MessageModelID.of(Service_sttInput()) == nil)
        let input = Service_sttInput.with {
            $0.modelID = .with { $0.modelID = "m1" }; $0.speech = Data([1, 2])
        }
        #expect(MessageModelID.of(input) == "m1")
    }

    @Test("training.Model's own messages, forwarded bytes and messages without the field")
    func otherMessages() {
        #expect(MessageModelID.of(Training_UploadInput.with { $0.modelID = "u1" }) == "u1")
        #expect(MessageModelID.of(Training_ValidateRequest.with { $0.modelID = "v1" }) == "v1")
        #expect(MessageModelID.of([UInt8](repeating: 7, count: 1 << 20)) == nil)
        #expect(MessageModelID.of(Service_sttResp.with { $0.result = "up" }) == nil)
        #expect(MessageModelID.of(Service_sttResp.with { $0.result = "down" }) == nil)
    }
}
