import SwiftProtobuf
import Testing
import TrainingCore
import TrainingProto

/// `ModelStatus.wireNumber` is the one mapping between the domain's statuses and training.proto's.
@Suite("ModelStatus wire numbers")
struct StatusWireNumberTests {
    @Test("each status's wire number is the training.proto value of the same name, and back", arguments: ModelStatus.allCases)
    func matchesTheProto(status: ModelStatus) throws {
        let proto = try #require(Training_Status(rawValue: status.wireNumber))
        // The proto's own name for the value, as its JSON mapping writes it.
        let json = try Training_StatusResponse.with { $0.status = proto }.jsonString()
        #expect(json == #"{"status":"\#(status.rawValue)"}"# || (status == .created && json == "{}"), "\(json)")
        #expect(ModelStatus(wireNumber: status.wireNumber) == status)
    }

    @Test("a number this version does not know is no status")
    func unknown() {
        #expect(ModelStatus(wireNumber: 7) == nil)
        #expect(ModelStatus(wireNumber: -1) == nil)
    }
}
